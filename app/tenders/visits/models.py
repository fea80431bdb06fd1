"""A visit is one stretch of care under a contract, recorded by the provider's staff.

The holder (or their representative) confirms or queries it; one left alone is confirmed
automatically after the co-op's `visit_confirm_hours`; an admin settles a query. Only
confirmed visits can be invoiced, each once (`invoice_line_id`).
"""

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, enum_column


class VisitStatus(StrEnum):
    to_confirm = "to_confirm"
    confirmed = "confirmed"
    queried = "queried"
    rejected = "rejected"


class ConfirmedBy(StrEnum):
    member = "member"
    representative = "representative"
    auto = "auto"
    admin = "admin"


class VisitOutcome(StrEnum):
    """How an administrator settles a query."""

    confirmed = "confirmed"
    rejected = "rejected"


class Visit(UUIDPrimaryKey, Base):
    __tablename__ = "visit"
    __table_args__ = (
        CheckConstraint("minutes BETWEEN 1 AND 1440", name="minutes_in_a_day"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_visit_contract_id_member_id_starts_at", "contract_id", "member_id", "starts_at"),
        Index("ix_visit_status_recorded_at", "status", "recorded_at"),
    )

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"), index=True)
    # What the provider typed, in Europe/London: an end at or before the start is the next day.
    date: Mapped[date]
    start_time: Mapped[time] = mapped_column(Time())
    end_time: Mapped[time] = mapped_column(Time())
    # The same interval as instants (UTC, half-open), for overlap checks across midnight and
    # clock changes.
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer)
    worker_name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus))
    confirmed_by: Mapped[ConfirmedBy | None] = mapped_column(enum_column(ConfirmedBy))
    recorded_at: Mapped[datetime]
    recorded_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # Who confirmed, queried or settled it, and when (none for an automatic confirmation).
    confirmed_at: Mapped[datetime | None]
    confirmed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    query_reason: Mapped[str | None] = mapped_column(Text)
    queried_at: Mapped[datetime | None]
    queried_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
    resolved_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # The invoice line it was billed on; a visit is invoiced once (unless that line is voided).
    invoice_line_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("invoice_line.id"), index=True
    )
