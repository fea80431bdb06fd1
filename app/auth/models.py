"""People, their logins and refresh tokens, failed-login records, and the single-use tokens
that reset a password or confirm a new e-mail address."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, enum_column


class PreferredLanguage(StrEnum):
    en = "en"
    cy = "cy"


class User(UUIDPrimaryKey, Base):
    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    preferred_language: Mapped[PreferredLanguage] = mapped_column(
        enum_column(PreferredLanguage), default=PreferredLanguage.en
    )
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class AuthSession(UUIDPrimaryKey, Base):
    """One login: every access and refresh token issued from it dies with it. It ends when
    revoked, 30 days after `last_used_at` (the sign-in or the latest refresh) or 90 days after
    `created_at`, whichever comes first (`app.auth.sessions`)."""

    __tablename__ = "auth_session"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime]
    # Always set (nullable in the schema only: see migration 0024); a null is never live.
    last_used_at: Mapped[datetime] = mapped_column(nullable=True)
    # As the client sent it at sign-in (trimmed), so a person can tell their logins apart.
    user_agent: Mapped[str | None] = mapped_column(String(300))
    revoked_at: Mapped[datetime | None]


class RefreshToken(UUIDPrimaryKey, Base):
    __tablename__ = "refresh_token"

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("auth_session.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class LoginFailure(UUIDPrimaryKey, Base):
    """Failed logins, kept in the database so throttling holds across every worker."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_email_at", "email", "at"),
        Index("ix_login_failure_client_address_at", "client_address", "at"),
    )

    email: Mapped[str] = mapped_column(String(254))
    client_address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class RegistrationAttempt(UUIDPrimaryKey, Base):
    """Registrations asked for, per client address, so mass sign-ups are slowed on any worker."""

    __tablename__ = "registration_attempt"
    __table_args__ = (Index("ix_registration_attempt_client_address_at", "client_address", "at"),)

    client_address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class PasswordReset(UUIDPrimaryKey, Base):
    """One request to reset a password, for a known address or not (both are stored alike, so
    answering takes the same work): the address as a keyed digest (never in clear), where the
    request came from, and the SHA-256 of the token that was mailed (user_id is null when the
    address belongs to nobody; no mail went then). A token works once, for 30 minutes, until a
    newer request voids it."""

    __tablename__ = "password_reset"
    __table_args__ = (
        Index("ix_password_reset_email_digest_requested_at", "email_digest", "requested_at"),
        Index("ix_password_reset_client_address_requested_at", "client_address", "requested_at"),
    )

    email_digest: Mapped[str] = mapped_column(String(64))
    client_address: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    requested_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]


class EmailChange(UUIDPrimaryKey, Base):
    """A change of e-mail address waiting for its confirmation from the new address: the token
    (stored as its SHA-256) works once, for 24 hours, until a newer request voids it."""

    __tablename__ = "email_change"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    new_email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    requested_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
