"""Local-authority officers: council staff who see aggregate figures for one area."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class LaOfficer(Base):
    __tablename__ = "la_officer"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    appointed_at: Mapped[datetime]
