"""Accounts, logins and token rotation (limits on guessing are in `app.auth.throttle`)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, cast

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import sessions
from app.auth.errors import EmailTaken, InvalidToken, UserNotFound
from app.auth.models import (
    AuthSession,
    PreferredLanguage,
    RefreshToken,
    User,
)
from app.auth.passwords import Passwords
from app.auth.tokens import hash_refresh_token, issue_access_token, new_refresh_token
from app.core.config import Settings
from app.core.open_sets import ordered_set
from app.core.schemas import normalise_email


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str | None
    expires_in: int
    token_type: str = "bearer"  # noqa: S105


class ClientAuthenticator(Protocol):
    """Checks client credentials; answers the client's id, or None (the councils' is
    declared in `app.workflows.registry.build()`)."""

    async def __call__(
        self, session: AsyncSession, *, client_id: str, client_secret: str
    ) -> uuid.UUID | None: ...


# The open set `app.workflows.registry.build()` fills: who checks client credentials.
CLIENT_AUTHENTICATORS = "client_authenticators"


async def client_login(
    session: AsyncSession, settings: Settings, *, client_id: str, client_secret: str, now: datetime
) -> TokenPair | None:
    """A read-only access token for an API client (no refresh token: it simply asks again)."""
    authenticators = cast(
        tuple[ClientAuthenticator, ...], ordered_set(session, CLIENT_AUTHENTICATORS)
    )
    for authenticator in authenticators:
        client_uuid = await authenticator(session, client_id=client_id, client_secret=client_secret)
        if client_uuid is not None:
            token = issue_access_token(
                settings, subject=client_uuid, session_id=client_uuid, now=now, kind="client"
            )
            return TokenPair(
                access_token=token, refresh_token=None, expires_in=settings.access_token_seconds
            )
    return None


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
    email = normalise_email(email)
    existing = await session.scalar(select(User.id).where(User.email == email))
    if existing is not None:
        raise EmailTaken
    user = User(
        email=email,
        password_hash=await passwords.hash(password),
        full_name=full_name,
        preferred_language=preferred_language,
        is_platform_admin=False,
        created_at=now,
    )
    session.add(user)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent registration won the race
        raise EmailTaken from exc
    return user


async def authenticate(
    session: AsyncSession, passwords: Passwords, *, email: str, password: str
) -> User | None:
    """The user these credentials belong to, or None; the same work either way."""
    user = await session.scalar(
        select(User).where(User.email == normalise_email(email), User.closed_at.is_(None))
    )
    ok = await passwords.verify(user.password_hash if user else None, password)
    return user if ok and user is not None else None


async def open_login(
    session: AsyncSession, *, user: User, now: datetime, user_agent: str | None = None
) -> AuthSession:
    """A new login for `user`; its tokens come from `issue_pair`."""
    login = AuthSession(
        user_id=user.id,
        created_at=now,
        last_used_at=now,
        user_agent=sessions.clean_agent(user_agent),
    )
    session.add(login)
    await session.flush()
    return login


async def issue_pair(
    session: AsyncSession,
    settings: Settings,
    *,
    user_id: uuid.UUID,
    login: AuthSession,
    now: datetime,
) -> TokenPair:
    """A new access and refresh token from `login`; the refresh token dies with the login, at
    the latest 90 days after it began."""
    token, token_hash = new_refresh_token()
    session.add(
        RefreshToken(
            session_id=login.id,
            token_hash=token_hash,
            issued_at=now,
            expires_at=min(
                now + timedelta(days=settings.refresh_token_days), sessions.hard_end(login)
            ),
        )
    )
    await session.flush()
    access = issue_access_token(settings, subject=user_id, session_id=login.id, now=now)
    return TokenPair(
        access_token=access, refresh_token=token, expires_in=settings.access_token_seconds
    )


class SpentRefreshToken(Exception):
    """A used refresh token came back: its login must be revoked, and the revocation kept."""

    def __init__(self, login_id: uuid.UUID, user_id: uuid.UUID) -> None:
        super().__init__("refresh token reused")
        self.login_id = login_id
        self.user_id = user_id


async def refresh(
    session: AsyncSession, settings: Settings, *, refresh_token: str, now: datetime
) -> TokenPair:
    """Rotate: the presented token is spent and a new pair issued from the same login, whose
    last use is now. A login past its end (30 days unused, 90 days old, or revoked) gives none."""
    row = (
        await session.execute(
            select(RefreshToken, AuthSession)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .where(RefreshToken.token_hash == hash_refresh_token(refresh_token))
        )
    ).one_or_none()
    if row is None:
        raise InvalidToken
    token, login = row
    if not sessions.is_live(login, now) or token.expires_at <= now:
        raise InvalidToken
    # Spend the token with a conditional update so that two racing refreshes cannot both win.
    spent = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise SpentRefreshToken(login.id, login.user_id)
    user = await session.get(User, login.user_id)
    if user is None or user.closed_at is not None:
        raise InvalidToken
    login.last_used_at = now
    return await issue_pair(session, settings, user_id=user.id, login=login, now=now)


async def revoke_login(
    session: AsyncSession, *, login_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> User | None:
    """Theft detection: every token of this login stops working at once. The login's user,
    if they still exist."""
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == login_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return await session.get(User, user_id)


# Built once: every authenticated request sends one of these, and composing one cost about as
# much CPU as running it. Each reads the person of a live login (`_live_login`'s values).
_OF_LIVE_LOGIN = (
    User.id == bindparam("user_id"),
    User.closed_at.is_(None),
    AuthSession.id == bindparam("login_id"),
    sessions.LIVE,
)
_TOKEN_USER = select(User).join(AuthSession, AuthSession.user_id == User.id).where(*_OF_LIVE_LOGIN)
_LOGIN = (
    select(User, AuthSession)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(*_OF_LIVE_LOGIN)
)
_TOKEN_LANGUAGE = (
    select(User.preferred_language)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(*_OF_LIVE_LOGIN)
)


def _live_login(user_id: uuid.UUID, login_id: uuid.UUID, now: datetime) -> dict[str, object]:
    return {"user_id": user_id, "login_id": login_id, **sessions.live_parameters(now)}


async def load_user_for_token(
    session: AsyncSession, *, user_id: uuid.UUID, login_id: uuid.UUID, now: datetime
) -> User | None:
    """The person an access token speaks for, while its login is live."""
    return await session.scalar(_TOKEN_USER, _live_login(user_id, login_id, now))


async def load_login(
    session: AsyncSession, *, user_id: uuid.UUID, login_id: uuid.UUID, now: datetime
) -> tuple[User, AuthSession] | None:
    """The person and their login, while it is live (a web page's cookie names both)."""
    row = (await session.execute(_LOGIN, _live_login(user_id, login_id, now))).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def language_for_token(
    session: AsyncSession, *, user_id: uuid.UUID, login_id: uuid.UUID, now: datetime
) -> PreferredLanguage | None:
    """The preferred language of the person an access token speaks for (None if it does not)."""
    return await session.scalar(_TOKEN_LANGUAGE, _live_login(user_id, login_id, now))


async def users_by_email(session: AsyncSession, email: str) -> list[User]:
    """The account (open, at most one) with exactly this address, compared normalised."""
    return list(
        (
            await session.scalars(
                select(User).where(User.email == normalise_email(email), User.closed_at.is_(None))
            )
        ).all()
    )


async def open_user(
    session: AsyncSession, *, user_id: uuid.UUID | None = None, email: str | None = None
) -> User:
    """The open account named by id or by address; 404 `not_found` for anyone else."""
    if user_id is not None:
        user = await session.get(User, user_id)
    else:
        found = await users_by_email(session, email or "")
        user = found[0] if found else None
    if user is None or user.closed_at is not None:
        raise UserNotFound
    return user


async def update_profile(
    session: AsyncSession,
    user: User,
    *,
    full_name: str | None = None,
    preferred_language: PreferredLanguage | None = None,
) -> list[str]:
    """Change the fields given; the names of those that changed."""
    changed = []
    if full_name is not None and full_name != user.full_name:
        user.full_name = full_name
        changed.append("full_name")
    if preferred_language is not None and preferred_language != user.preferred_language:
        user.preferred_language = preferred_language
        changed.append("preferred_language")
    await session.flush()
    return changed
