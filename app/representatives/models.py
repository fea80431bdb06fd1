"""Mandates holders grant to representatives, and acts that wait for the holder's approval."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.db import Base, UUIDPrimaryKey, enum_column


class MandateScope(StrEnum):
    view = "view"
    contribute = "contribute"
    vote = "vote"
    refund = "refund"
    # Writing to the holder's support requests (raising, commenting, resolving); reading them
    # needs `view`.
    support = "support"
    # Letting the council that pays the holder read the evidence of their payments (and
    # ending that); reading the evidence itself needs `view`.
    share = "share"


class MandateRole(StrEnum):
    """In what capacity the representative acts: a helper by the holder's leave, or someone
    with standing in law to decide for a holder who cannot (a suitable person for Direct
    Payments, an attorney under a property and financial affairs LPA, a Court of Protection
    deputy, a parent). Only the latter may be named to approve for a holder who lacks
    capacity."""

    helper = "helper"
    suitable_person = "suitable_person"
    lpa_property_financial = "lpa_property_financial"
    deputy = "deputy"
    parent = "parent"


class MandateStatus(StrEnum):
    invited = "invited"  # granted, waiting for the representative to accept
    active = "active"
    declined = "declined"
    revoked = "revoked"


# A mandate that is waiting or working: one of these per holder and person at a time.
LIVE_STATUSES = (MandateStatus.invited, MandateStatus.active)
LIVE_MANDATE = text("status IN ('invited', 'active')")


class ApprovalStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    refused = "refused"


class Mandate(UUIDPrimaryKey, Base):
    """What a holder lets one representative do for them, once accepted, until revoked.

    `email` is the address the holder gave, normalised. The representative is known only
    once someone with that address has an account (`representative_user_id` stays empty
    for an address nobody has registered yet), and the mandate works only once accepted.
    """

    __tablename__ = "mandate"
    __table_args__ = (
        CheckConstraint("limit_pence_per_cycle >= 0", name="limit_pence_per_cycle_non_negative"),
        CheckConstraint("holder_user_id <> representative_user_id", name="not_self"),
        # One live mandate per holder and representative (and per address given); revoked and
        # declined ones stay as the record.
        Index(
            "uq_mandate_live",
            "holder_user_id",
            "representative_user_id",
            unique=True,
            postgresql_where=LIVE_MANDATE,
            sqlite_where=LIVE_MANDATE,
        ),
        Index(
            "uq_mandate_live_email",
            "holder_user_id",
            "email",
            unique=True,
            postgresql_where=LIVE_MANDATE,
            sqlite_where=LIVE_MANDATE,
        ),
        Index("ix_mandate_email", "email"),
    )

    holder_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    representative_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[MandateStatus] = mapped_column(enum_column(MandateStatus))
    role: Mapped[MandateRole] = mapped_column(
        enum_column(MandateRole),
        server_default=MandateRole.helper.value,
    )
    scopes: Mapped[list[str]] = mapped_column(JSON)
    limit_pence_per_cycle: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    holder: Mapped[User] = relationship(foreign_keys=[holder_user_id], lazy="raise")
    representative: Mapped[User | None] = relationship(
        foreign_keys=[representative_user_id], lazy="raise"
    )


class Approval(UUIDPrimaryKey, Base):
    """Something a representative started that waits for the holder (a refund, for one).

    `kind` names the handler registered for it (declared in `app.workflows.registry.build()`);
    `subject_id` is the id of the thing waiting, in that handler's domain. Who decides is
    worked out when asked (`app.representatives.approvals.who_decides`): the holder, or, for a
    holder marked as lacking capacity, their named approver or two co-op administrators.
    """

    __tablename__ = "approval"
    __table_args__ = (Index("ix_approval_holder_user_id_status", "holder_user_id", "status"),)

    holder_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    requested_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    coop_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coop.id"))
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID]
    status: Mapped[ApprovalStatus] = mapped_column(enum_column(ApprovalStatus))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    holder: Mapped[User] = relationship(foreign_keys=[holder_user_id], lazy="raise")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_user_id], lazy="raise")


class ApprovalAdminApproval(Base):
    """One co-op administrator's yes to an approval that waits for two of them (the holder
    lacks capacity and has no approver other than the one who asked)."""

    __tablename__ = "approval_admin_approval"

    approval_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("approval.id", ondelete="CASCADE"), primary_key=True
    )
    admin_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id"), primary_key=True
    )
    approved_at: Mapped[datetime]


class CapacityChangeStatus(StrEnum):
    pending = "pending"  # waits for a second, different administrator
    applied = "applied"
    superseded = "superseded"  # another request came before a second administrator agreed


class CapacityChange(UUIDPrimaryKey, Base):
    """An administrator's request to mark a holder's membership as lacking capacity (naming
    the mandate whose holder approves instead), or to lift that mark. It applies only when a
    second, different administrator asks for the same; the membership then carries it."""

    __tablename__ = "capacity_change"
    __table_args__ = (
        CheckConstraint(
            "lacks_capacity OR approver_mandate_id IS NULL", name="approver_only_when_lacking"
        ),
        Index(
            "uq_capacity_change_pending",
            "member_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_capacity_change_member_id_requested_at", "member_id", "requested_at"),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"))
    lacks_capacity: Mapped[bool] = mapped_column(Boolean)
    approver_mandate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mandate.id"))
    status: Mapped[CapacityChangeStatus] = mapped_column(enum_column(CapacityChangeStatus))
    requested_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime]
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
