"""Notifications: events written in the transaction that caused them, and each person's feed.

`notify` is the one call domains and workflows make. It writes the event, one notification per
person it reaches (their feed entry and their e-mail, sent later) and one delivery per webhook
subscribed to it, all in the caller's transaction: a change that rolls back leaves nothing to
send. The worker (`app.worker`) sends what is due after the commit, at least once.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.coops.models import Coop
from app.core.i18n import Language
from app.notifications import catalogue, recipients, writing
from app.notifications.errors import NotificationNotFound
from app.notifications.events import Event, ParamValue
from app.notifications.models import (
    Notification,
    NotificationEvent,
    NotificationFlag,
)
from app.notifications.webhooks import service as webhooks


def _jsonable(params: dict[str, ParamValue] | Any) -> dict[str, ParamValue]:
    out: dict[str, ParamValue] = {}
    for name, value in dict(params).items():
        if isinstance(value, datetime):
            out[name] = value.isoformat()
        elif isinstance(value, uuid.UUID):
            out[name] = str(value)
        elif value is None or isinstance(value, int | str):
            out[name] = value
        else:
            out[name] = str(value)
    return out


async def notify(session: AsyncSession, event: Event) -> uuid.UUID | None:
    """Write `event` for everyone it reaches and every webhook subscribed to it.

    Returns the id of the event written, or None when an event with the same `key` exists
    already (written by another request or worker: the key's unique index decides, under any
    concurrency).
    """
    event_id = uuid.uuid4()
    row = {
        "id": event_id,
        "type": event.type,
        "at": event.at,
        "coop_id": event.coop_id,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "params": _jsonable(event.params),
        "key": event.key,
    }
    if event.key is not None and not await _claim_key(session, row):
        return None
    reached = await recipients.resolve(session, event)
    await writing.write(
        session,
        row,
        reached=reached,
        to_webhooks=webhooks.delivers(event.type),
        with_event=event.key is None,
    )
    return event_id


async def _claim_key(session: AsyncSession, row: dict[str, Any]) -> bool:
    """Write a once-only event's row first, under a savepoint: False when its key is taken."""
    if await session.scalar(
        select(NotificationEvent.id).where(NotificationEvent.key == row["key"])
    ):
        return False
    try:
        async with session.begin_nested():
            await session.execute(writing.INSERT_EVENT, row)
    except IntegrityError:
        return False
    return True


async def sent_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Which of these once-only keys have an event already."""
    if not keys:
        return set()
    rows = await session.scalars(
        select(NotificationEvent.key).where(NotificationEvent.key.in_(keys))
    )
    return {k for k in rows.all() if k is not None}


# Built once: every posting to a member's account sends the first (its surplus flag).
_LOCK_FLAG = (
    select(NotificationFlag.raised)
    .where(NotificationFlag.key == bindparam("key"))
    .with_for_update()
)
_RAISE_NEW_FLAG = insert(NotificationFlag).values(
    key=bindparam("flag_key"), raised=True, changed_at=bindparam("now")
)
_SET_FLAG = (
    update(NotificationFlag)
    .where(NotificationFlag.key == bindparam("flag_key"))
    .values(raised=bindparam("on"), changed_at=bindparam("now"))
)


async def flag_turned_on(session: AsyncSession, key: str, *, on: bool, now: datetime) -> bool:
    """Record whether the condition `key` holds; True only when it has just turned true.

    Callers hold whatever serialises the condition (a member's surplus: the membership's
    lock), so the row is read, then written, without a race of its own.
    """
    raised = await session.scalar(_LOCK_FLAG, {"key": key})
    if raised is None:
        if not on:
            return False
        await session.execute(_RAISE_NEW_FLAG, {"flag_key": key, "now": now})
        return True
    if raised == on:
        return False
    await session.execute(_SET_FLAG, {"flag_key": key, "on": on, "now": now})
    return on


@dataclass(frozen=True, slots=True)
class FeedItem:
    id: uuid.UUID
    type: str
    at: datetime
    title: str
    body: str
    subject_type: str
    subject_id: uuid.UUID
    read_at: datetime | None


def feed_of(user_id: uuid.UUID, *, unread: bool | None) -> Select[Any]:
    """A person's notifications with what their texts need: the event, the co-op's name and
    the name of the holder a representative is told about."""
    holder = aliased(User)
    stmt = (
        select(Notification, NotificationEvent, Coop.name, holder.full_name)
        .join(NotificationEvent, NotificationEvent.id == Notification.event_id)
        .outerjoin(Coop, Coop.id == NotificationEvent.coop_id)
        .outerjoin(holder, holder.id == Notification.for_user_id)
        .where(Notification.user_id == user_id)
    )
    if unread is True:
        stmt = stmt.where(Notification.read_at.is_(None))
    elif unread is False:
        stmt = stmt.where(Notification.read_at.is_not(None))
    return cast("Select[Any]", stmt)


def as_item(
    notification: Notification,
    event: NotificationEvent,
    coop_name: str | None,
    holder_name: str | None,
    language: Language,
) -> FeedItem:
    text = catalogue.render(
        event.type,
        event.params,
        language,
        coop=coop_name,
        holder=holder_name,
        representing=notification.for_user_id is not None,
    )
    return FeedItem(
        id=notification.id,
        type=event.type.value,
        at=notification.at,
        title=text.title,
        body=text.body,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        read_at=notification.read_at,
    )


async def mark_read(
    session: AsyncSession, *, user_id: uuid.UUID, notification_id: uuid.UUID, now: datetime
) -> tuple[Notification, NotificationEvent, str | None, str | None]:
    """Mark one of the person's notifications read (a second time keeps the first time)."""
    row = (
        await session.execute(
            feed_of(user_id, unread=None).where(Notification.id == notification_id)
        )
    ).one_or_none()
    if row is None:
        raise NotificationNotFound
    notification, event, coop_name, holder_name = row
    if notification.read_at is None:
        notification.read_at = now
        await session.flush()
    return notification, event, coop_name, holder_name


async def mark_all_read(session: AsyncSession, *, user_id: uuid.UUID, now: datetime) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
