"""Councils' access: officers who see one area's aggregate figures, and their API clients."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey


class LaOfficer(Base):
    __tablename__ = "la_officer"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    appointed_at: Mapped[datetime]


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
