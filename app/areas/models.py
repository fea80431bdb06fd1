"""The 22 principal local authorities of Wales (reference data, loaded by a migration)."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class Area(Base):
    __tablename__ = "area"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(100))
    name_cy: Mapped[str] = mapped_column(String(100))
    health_board_code: Mapped[str] = mapped_column(String(9))
    health_board_name_en: Mapped[str] = mapped_column(String(200))
    health_board_name_cy: Mapped[str] = mapped_column(String(200))
