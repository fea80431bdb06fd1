"""Direct Payment awards: what a council pays a holder, from when, as a history of versions."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, enum_column


class AwardStatus(StrEnum):
    """`declared` by the holder, then `confirmed` or `rejected` by the paying council."""

    declared = "declared"
    confirmed = "confirmed"
    rejected = "rejected"


# A version in force is one the council has not rejected (SPEC section 25, "Awards").
IN_FORCE = (AwardStatus.declared, AwardStatus.confirmed)


class DirectPaymentAward(UUIDPrimaryKey, Base):
    """One version of a holder's award. A later `start_date` starts a new version and ends
    the one before the day before; a version is corrected in place only while it is not
    confirmed. Postings keep the version they were made under (`ledger_posting.award_id`).
    """

    __tablename__ = "direct_payment_award"
    __table_args__ = (
        CheckConstraint("weekly_amount_pence >= 1", name="weekly_amount_pence_positive"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint(
            "(status = 'confirmed') = (confirmed_at IS NOT NULL)", name="confirmed_has_time"
        ),
        CheckConstraint(
            "(status = 'rejected') = (rejected_at IS NOT NULL)", name="rejected_has_time"
        ),
        CheckConstraint(
            "decided_by_user_id IS NULL OR decided_by_api_client_id IS NULL",
            name="decided_by_one",
        ),
        # One version per holder and start day: a second PUT with that day corrects it.
        Index("uq_direct_payment_award_user_id_start_date", "user_id", "start_date", unique=True),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # The council that pays the award: money and people are counted by it (SPEC section 10).
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    weekly_amount_pence: Mapped[int] = mapped_column(BigInteger)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    assessed_hours_per_week: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[AwardStatus] = mapped_column(enum_column(AwardStatus))
    # The council's own reference for the award, set when it confirms.
    council_reference: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[datetime | None]
    rejected_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    # Who at the council last confirmed or rejected it: an officer, or the council's system.
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    decided_by_api_client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_client.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def in_force_on(self, day: date) -> bool:
        """In force that day: not rejected, and the day within its dates."""
        return (
            self.status in IN_FORCE
            and self.start_date <= day
            and (self.end_date is None or day <= self.end_date)
        )
