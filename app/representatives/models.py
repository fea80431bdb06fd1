"""Mandates holders grant to representatives, and acts that wait for the holder's approval."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, text
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


class ApprovalStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    refused = "refused"


class Mandate(UUIDPrimaryKey, Base):
    """What a holder lets one representative do for them, until revoked."""

    __tablename__ = "mandate"
    __table_args__ = (
        CheckConstraint("limit_pence_per_cycle >= 0", name="limit_pence_per_cycle_non_negative"),
        CheckConstraint("holder_user_id <> representative_user_id", name="not_self"),
        # One live mandate per holder and representative; revoked ones stay as the record.
        Index(
            "uq_mandate_live",
            "holder_user_id",
            "representative_user_id",
            unique=True,
            postgresql_where=text("revoked_at IS NULL"),
            sqlite_where=text("revoked_at IS NULL"),
        ),
    )

    holder_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    representative_user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    scopes: Mapped[list[str]] = mapped_column(JSON)
    limit_pence_per_cycle: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    holder: Mapped[User] = relationship(foreign_keys=[holder_user_id], lazy="raise")
    representative: Mapped[User] = relationship(foreign_keys=[representative_user_id], lazy="raise")


class Approval(UUIDPrimaryKey, Base):
    """Something a representative started that waits for the holder (a refund, for one).

    `kind` names the handler registered for it (see `approvals.register_approval_handler`);
    `subject_id` is the id of the thing waiting, in that handler's domain.
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

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_user_id], lazy="raise")
