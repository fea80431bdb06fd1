"""A person's logins: when one is live, listing them, and ending one, some or all at once.

A login is live until it is revoked, 30 days after its last use (the sign-in or the latest
refresh: `last_used_at`) or 90 days after it began, whichever comes first, whatever refreshes
happen. Access tokens are checked against their login on every request, so ending a login
ends its access tokens at once, not when they expire.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import AuthSession
from app.core.pagination import PageRequest, Sort, paginate

IDLE_LIMIT = timedelta(days=30)
LIFETIME = timedelta(days=90)
USER_AGENT_MAX = 300


def clean_agent(user_agent: str | None) -> str | None:
    """The User-Agent as shown back to the person: printable, trimmed, at most 300 characters."""
    if not user_agent:
        return None
    printable = " ".join("".join(ch if ch.isprintable() else " " for ch in user_agent).split())
    return printable[:USER_AGENT_MAX] or None


def hard_end(login: AuthSession) -> datetime:
    """The moment the login ends whatever happens: 90 days after it began."""
    return login.created_at + LIFETIME


def is_live(login: AuthSession, now: datetime) -> bool:
    return (
        login.revoked_at is None and login.last_used_at + IDLE_LIMIT > now and hard_end(login) > now
    )


def _live(idle_since: Any, born_since: Any) -> ColumnElement[bool]:
    """The condition `is_live` states, for queries: not revoked, used since `idle_since`,
    begun since `born_since`."""
    return and_(
        AuthSession.revoked_at.is_(None),
        AuthSession.last_used_at > idle_since,
        AuthSession.created_at > born_since,
    )


# For a statement built once: its parameters are `live_parameters(now)`.
LIVE = _live(bindparam("live_idle_since"), bindparam("live_born_since"))


def live_parameters(now: datetime) -> dict[str, datetime]:
    return {"live_idle_since": now - IDLE_LIMIT, "live_born_since": now - LIFETIME}


def live(now: datetime) -> ColumnElement[bool]:
    """`LIVE` for a statement composed per call, its values in it."""
    return _live(now - IDLE_LIMIT, now - LIFETIME)


async def list_logins(
    session: AsyncSession, user_id: uuid.UUID, page: PageRequest, *, now: datetime
) -> tuple[list[AuthSession], str | None]:
    """The person's live logins, newest first."""
    stmt = select(AuthSession).where(AuthSession.user_id == user_id, live(now))
    return await paginate(
        session,
        stmt,
        page,
        order=[
            Sort(AuthSession.created_at, descending=True),
            Sort(AuthSession.id, descending=True),
        ],
        key=lambda login: (login.created_at, login.id),
    )


async def end_login(
    session: AsyncSession, *, user_id: uuid.UUID, login_id: uuid.UUID, now: datetime
) -> bool:
    """End one of the person's live logins; False when they have no such live login."""
    ended = await session.execute(
        update(AuthSession)
        .where(AuthSession.id == login_id, AuthSession.user_id == user_id, live(now))
        .values(revoked_at=now)
    )
    return bool(ended.rowcount)  # type: ignore[attr-defined]


async def end_logins(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    now: datetime,
    keep: uuid.UUID | None = None,
) -> int:
    """End every live login of the person but `keep`; how many ended."""
    conditions = [AuthSession.user_id == user_id, live(now)]
    if keep is not None:
        conditions.append(AuthSession.id != keep)
    ended = await session.execute(update(AuthSession).where(*conditions).values(revoked_at=now))
    return int(ended.rowcount)  # type: ignore[attr-defined]


async def note_use(
    session: AsyncSession, login: AuthSession, *, now: datetime, every: timedelta
) -> None:
    """A login used without a refresh (a web page on its cookie) counts as used now, noted
    at most once every `every` so that reading pages seldom writes."""
    if login.last_used_at > now - every:
        return
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == login.id, AuthSession.last_used_at < now - every, live(now))
        .values(last_used_at=now)
    )
