"""Accounts and logins as the audit log sees them: each act, then its entry."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth import service as auth
from app.auth.actor import Actor
from app.auth.models import PreferredLanguage, User
from app.auth.passwords import Passwords
from app.core.config import Settings
from app.notifications.events import Event, EventType
from app.notifications.service import notify


async def register(
    session: AsyncSession,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    full_name: str,
    preferred_language: PreferredLanguage,
    now: datetime,
) -> User:
    """A new account, recorded in the audit log."""
    user = await auth.register(
        session,
        passwords,
        email=email,
        password=password,
        full_name=full_name,
        preferred_language=preferred_language,
        now=now,
    )
    audit.record(session, Actor(user=user), "user.registered", "user", user.id, about=user.id)
    return user


async def start_login(
    session: AsyncSession, settings: Settings, *, user: User, now: datetime
) -> auth.TokenPair:
    """A login opened and recorded, the person told of it (`account.new_login`, on every
    sign-in with a password), then its first pair of tokens."""
    login = await auth.open_login(session, user=user, now=now)
    audit.record(session, Actor(user=user), "auth.login", "auth_session", login.id, about=user.id)
    await notify(
        session,
        Event(
            type=EventType.account_new_login,
            subject_type="auth_session",
            subject_id=login.id,
            at=now,
            recipients=[user.id],
            params={"signed_in_at": now.isoformat()},
        ),
    )
    return await auth.issue_pair(session, settings, user_id=user.id, login_id=login.id, now=now)


async def revoke_login(
    session: AsyncSession, *, login_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> None:
    """A login revoked on theft detection, recorded when its user still exists."""
    user = await auth.revoke_login(session, login_id=login_id, user_id=user_id, now=now)
    if user is not None:
        audit.record(
            session, Actor(user=user), "auth.login_revoked", "auth_session", login_id, about=user_id
        )
