"""Co-operatives, the Welsh areas they serve, and their members."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.db import Base, UUIDPrimaryKey, enum_column


class MemberClass(StrEnum):
    service_user = "service_user"
    carer = "carer"
    worker = "worker"
    community_supporter = "community_supporter"
    local_authority = "local_authority"


class MemberStatus(StrEnum):
    pending = "pending"
    active = "active"
    suspended = "suspended"
    left = "left"


class VotingMode(StrEnum):
    one_member_one_vote = "one_member_one_vote"
    class_weighted = "class_weighted"


class RuleChangeStatus(StrEnum):
    pending = "pending"
    applied = "applied"
    withdrawn = "withdrawn"
    superseded = "superseded"


class Coop(UUIDPrimaryKey, Base):
    __tablename__ = "coop"
    # The service always sets every rule; the database's defaults serve rows written before a
    # rule existed, so an insert need not read them back.
    __mapper_args__ = {"eager_defaults": False}
    __table_args__ = (
        CheckConstraint("quorum_percent BETWEEN 0 AND 100", name="quorum_percent_range"),
        CheckConstraint("pass_percent BETWEEN 0 AND 100", name="pass_percent_range"),
        CheckConstraint(
            "refund_second_approval_pence >= 0", name="refund_second_approval_pence_non_negative"
        ),
        CheckConstraint(
            "variation_vote_percent BETWEEN 0 AND 100", name="variation_vote_percent_range"
        ),
        CheckConstraint("visit_confirm_hours BETWEEN 1 AND 720", name="visit_confirm_hours_range"),
        CheckConstraint("invoice_dispute_days BETWEEN 0 AND 60", name="invoice_dispute_days_range"),
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    voting_mode: Mapped[VotingMode] = mapped_column(enum_column(VotingMode))
    # {member_class: weight}; present exactly when voting_mode is class_weighted.
    class_weights: Mapped[dict[str, int] | None] = mapped_column(JSON)
    quorum_percent: Mapped[int] = mapped_column(Integer)
    pass_percent: Mapped[int] = mapped_column(Integer)
    award_requires_vote: Mapped[bool] = mapped_column(Boolean)
    refund_second_approval_pence: Mapped[int] = mapped_column(BigInteger)
    # A contract's rate may rise by up to this % over the rate at signing without the members'
    # vote; a rise beyond it is put to them. The database's default is the rules' default,
    # for co-ops written before the rule existed.
    variation_vote_percent: Mapped[int] = mapped_column(Integer, server_default=text("5"))
    # A visit neither confirmed nor queried this many hours after it was recorded is confirmed
    # automatically.
    visit_confirm_hours: Mapped[int] = mapped_column(Integer, server_default=text("48"))
    # An invoice waits this many days (of 24 hours) after it was submitted before it may be
    # approved, unless its members have accepted or confirmed everything on it.
    invoice_dispute_days: Mapped[int] = mapped_column(Integer, server_default=text("2"))
    # Invoice lines must be built from recorded visits; none typed by hand alone.
    invoices_from_visits_only: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))

    areas: Mapped[list["CoopArea"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="CoopArea.area_code"
    )

    @property
    def area_codes(self) -> list[str]:
        return sorted(link.area_code for link in self.areas)

    @property
    def rules(self) -> dict[str, Any]:
        return {
            "voting_mode": self.voting_mode,
            "class_weights": self.class_weights,
            "quorum_percent": self.quorum_percent,
            "pass_percent": self.pass_percent,
            "award_requires_vote": self.award_requires_vote,
            "refund_second_approval_pence": self.refund_second_approval_pence,
            "variation_vote_percent": self.variation_vote_percent,
            "visit_confirm_hours": self.visit_confirm_hours,
            "invoice_dispute_days": self.invoice_dispute_days,
            "invoices_from_visits_only": self.invoices_from_visits_only,
        }


class CoopArea(Base):
    """A council area a co-op operates in (a co-op may span several)."""

    __tablename__ = "coop_area"

    coop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coop.id", ondelete="CASCADE"), primary_key=True
    )
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True, index=True)


class Member(UUIDPrimaryKey, Base):
    """One person's membership of one co-op, from application to leaving.

    A person has at most one membership per co-op that has not ended (the partial unique
    index). Someone who left and applies again gets a new membership: the old one stays, with
    its own ledger account and history, as the record of that earlier period.
    """

    __tablename__ = "coop_member"
    __table_args__ = (
        Index(
            "uq_coop_member_live",
            "coop_id",
            "user_id",
            unique=True,
            postgresql_where=text("status <> 'left'"),
            sqlite_where=text("status <> 'left'"),
        ),
        CheckConstraint("is_admin OR NOT safeguarding_lead", name="lead_is_admin"),
        CheckConstraint(
            "lacks_capacity OR approver_mandate_id IS NULL", name="approver_only_when_lacking"
        ),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    member_class: Mapped[MemberClass] = mapped_column(enum_column(MemberClass))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[MemberStatus] = mapped_column(enum_column(MemberStatus))
    joined_at: Mapped[datetime]
    # Kept once set, even through a suspension: shared charges are split in approval order.
    approved_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]
    # An administrator who also receives and reads safeguarding concerns; once a co-op has
    # one it always keeps one (`app.coops.service.set_admin`).
    safeguarding_lead: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # In force once two administrators agreed (`app.representatives.capacity`): what waits for
    # this holder's approval waits for the representative of `approver_mandate_id` instead
    # (while that mandate is active), or for two administrators.
    lacks_capacity: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    approver_mandate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mandate.id"))

    user: Mapped[User] = relationship(lazy="raise")

    @property
    def full_name(self) -> str:
        return self.user.full_name


class CoopRuleChange(UUIDPrimaryKey, Base):
    """A co-op `PATCH` that weakens a safeguard, waiting for a second administrator.

    `changes` is the whole `PATCH` body as asked (name, description, areas and rules): the
    harmless parts wait with the weakening ones. `base_rules` are the rules in force when it
    was proposed; once the rules change any other way it is `superseded` and can no longer be
    approved.
    """

    __tablename__ = "coop_rule_change"
    __table_args__ = (Index("ix_coop_rule_change_coop_id_status", "coop_id", "status"),)

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    proposed_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    base_rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The names of the rules the change weakens (why it waits).
    weakens: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[RuleChangeStatus] = mapped_column(enum_column(RuleChangeStatus))
    created_at: Mapped[datetime]
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
