"""Direct Payment awards: what a council pays a holder, and from when."""

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey


class DirectPaymentAward(UUIDPrimaryKey, Base):
    """A holder's current award; `PUT /me/direct-payment` replaces it (the audit log keeps
    the history of changes)."""

    __tablename__ = "direct_payment_award"
    __table_args__ = (
        CheckConstraint("weekly_amount_pence >= 1", name="weekly_amount_pence_positive"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), unique=True)
    # The council that pays the award: money and people are counted by it (SPEC section 10).
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    weekly_amount_pence: Mapped[int] = mapped_column(BigInteger)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    assessed_hours_per_week: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def in_force_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)
