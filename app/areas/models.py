"""The 22 principal local authorities of Wales (reference data, loaded by a migration), and
how each monitors the Direct Payments it pays."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, enum_column


class Area(Base):
    __tablename__ = "area"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(100))
    name_cy: Mapped[str] = mapped_column(String(100))
    health_board_code: Mapped[str] = mapped_column(String(9))
    health_board_name_en: Mapped[str] = mapped_column(String(200))
    health_board_name_cy: Mapped[str] = mapped_column(String(200))


class MonitoringPeriod(StrEnum):
    """How often a council asks its holders for a Direct Payment monitoring return."""

    four_weekly = "four_weekly"
    monthly = "monthly"
    quarterly = "quarterly"
    annual = "annual"


class MonitoringProfile(Base):
    """How one council monitors the Direct Payments it pays; an area without a row reads the
    defaults (`app.areas.service.DEFAULT_PROFILE`). Replaced whole by a platform admin."""

    __tablename__ = "area_monitoring_profile"
    __table_args__ = (
        CheckConstraint("surplus_weeks BETWEEN 1 AND 52", name="surplus_weeks_in_range"),
        CheckConstraint("first_review_weeks BETWEEN 1 AND 104", name="first_review_weeks_in_range"),
    )

    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    period: Mapped[MonitoringPeriod] = mapped_column(enum_column(MonitoringPeriod))
    # A holder's balance above this many weeks of their award is a surplus the council may
    # claw back.
    surplus_weeks: Mapped[int] = mapped_column(Integer)
    first_review_weeks: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]
    updated_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
