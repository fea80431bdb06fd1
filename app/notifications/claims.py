"""Work taken by one worker at a time: an atomic claim with a lease, and the retry schedule.

Several workers may run against one database. A worker claims due rows in a short
transaction of its own (on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, so workers never
wait for each other; then an `UPDATE ... WHERE` not already claimed, so a row is claimed by
one worker only, on SQLite too), does the slow part (SMTP, HTTP) outside any transaction,
and records the outcome in another. A worker that dies mid-way loses its lease after
`LEASE` and another takes the row up again: every message goes out at least once.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.config import Settings
from app.notifications.models import Notification, SendStatus, WebhookDelivery

LEASE = timedelta(minutes=5)
RETRY_FOR = timedelta(hours=24)


def next_try(
    settings: Settings, *, attempts: int, now: datetime, since: datetime
) -> datetime | None:
    """When to try again after `attempts` failed tries (base x 2^(attempts-1)), or None once
    that would fall more than 24 hours after `since` (the event): then it is given up."""
    wait = timedelta(seconds=settings.webhook_retry_base_seconds * 2 ** max(attempts - 1, 0))
    then = now + wait
    return then if then <= since + RETRY_FOR else None


async def _claim(
    session: AsyncSession,
    model: type[Notification] | type[WebhookDelivery],
    *,
    status: InstrumentedAttribute[SendStatus],
    next_at: InstrumentedAttribute[datetime | None],
    now: datetime,
    limit: int,
) -> list[uuid.UUID]:
    """Claim up to `limit` due rows of `model` whose `status` is pending, for `LEASE`."""
    free = or_(model.claimed_until.is_(None), model.claimed_until <= now)
    candidates = (
        select(model.id)
        .where(status == SendStatus.pending, next_at <= now, free)
        .order_by(next_at, model.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list((await session.scalars(candidates)).all())
    if not ids:
        return []
    claimed = await session.execute(
        update(model)
        .where(model.id.in_(ids), status == SendStatus.pending, free)
        .values(claimed_until=now + LEASE)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return list(claimed.scalars().all())


async def claim_emails(session: AsyncSession, *, now: datetime, limit: int) -> list[uuid.UUID]:
    return await _claim(
        session,
        Notification,
        status=Notification.email_status,
        next_at=Notification.email_next_at,
        now=now,
        limit=limit,
    )


async def claim_deliveries(session: AsyncSession, *, now: datetime, limit: int) -> list[uuid.UUID]:
    return await _claim(
        session,
        WebhookDelivery,
        status=WebhookDelivery.status,
        next_at=WebhookDelivery.next_at,
        now=now,
        limit=limit,
    )
