"""The public Wales table as published: one edition a month, stored once and never changed.

An edition is made at the month's first request from the data as it stood at the end of the
previous month, and every request of that month is served from it (SPEC sections 18, 25).
Only published figures are stored (after disclosure control and rounding), never the raw
counts behind them. Triggers refuse any UPDATE or DELETE: a published figure is a record.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class WalesEdition(Base):
    __tablename__ = "wales_edition"
    __table_args__ = (
        CheckConstraint("first_day <= last_day", name="period_in_order"),
        CheckConstraint("last_day < month", name="period_before_month"),
    )

    # The first day of the month this edition is served in.
    month: Mapped[date] = mapped_column(primary_key=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    made_at: Mapped[datetime]


def _published(column: str, multiple: int) -> CheckConstraint:
    """`value` is null exactly when `suppressed`, and a shown value is a whole multiple."""
    return CheckConstraint(
        f"({column} IS NULL AND {column}_suppressed) OR "
        f"({column} IS NOT NULL AND NOT {column}_suppressed AND {column} >= 0 "
        f"AND {column} % {multiple} = 0)",
        name=f"{column}_published",
    )


class WalesEditionRow(Base):
    __tablename__ = "wales_edition_row"
    __table_args__ = (
        _published("holders_pooling", 5),
        _published("contributions_pence", 10_000),
        CheckConstraint("coops_active >= 0 AND tenders_awarded >= 0 AND gaps >= 0", name="counts"),
    )

    month: Mapped[date] = mapped_column(ForeignKey("wales_edition.month"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(100))
    name_cy: Mapped[str] = mapped_column(String(100))
    holders_pooling: Mapped[int | None] = mapped_column(Integer)
    holders_pooling_suppressed: Mapped[bool] = mapped_column(Boolean)
    contributions_pence: Mapped[int | None] = mapped_column(BigInteger)
    contributions_pence_suppressed: Mapped[bool] = mapped_column(Boolean)
    coops_active: Mapped[int] = mapped_column(Integer)
    tenders_awarded: Mapped[int] = mapped_column(Integer)
    gaps: Mapped[int] = mapped_column(Integer)
