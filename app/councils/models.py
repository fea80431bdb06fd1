"""Councils' access: officers who see one area's aggregate figures, and their API clients."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey

IN_FORCE = text("ended_at IS NULL")


class LaOfficer(UUIDPrimaryKey, Base):
    """One appointment of a person as a council's officer, from `appointed_at` until
    `ended_at` (kept afterwards: who could read an area's figures, and when). One appointment
    in force per person and area."""

    __tablename__ = "la_officer"
    __table_args__ = (
        Index(
            "uq_la_officer_in_force",
            "user_id",
            "area_code",
            unique=True,
            postgresql_where=IN_FORCE,
            sqlite_where=IN_FORCE,
        ),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    appointed_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class ApiClient(UUIDPrimaryKey, Base):
    """A council's own system pulling its area's figures on a schedule (client credentials).

    The secret is 256 random bits shown once; it is stored as its SHA-256 (a slow password
    hash buys nothing against a secret nobody chose, and would slow every token request).
    """

    __tablename__ = "api_client"

    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    revoked_at: Mapped[datetime | None]
