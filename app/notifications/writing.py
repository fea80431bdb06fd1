"""Writing one event: its row, one notification per person reached and one delivery per
webhook subscribed, in one statement on PostgreSQL, in up to four on SQLite (in process: no
round trips to save).

`service.notify` has resolved whom the event reaches before it calls `write`, so nothing waits
on the event's own row; on PostgreSQL the statement picks the webhooks subscribed itself
(`webhooks.SUBSCRIBED`), on SQLite they are read first (`webhooks.subscribed`). The
statements are built once, as the ledger's are (`app.ledger.posting`): composing an ORM
statement, or flushing a unit of work, cost more than the round trip, and most requests that
change something send one event.
"""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Column, Insert, Table, bindparam, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import bound_array
from app.notifications.events import EventType
from app.notifications.models import (
    Notification,
    NotificationEvent,
    SendStatus,
    Webhook,
    WebhookDelivery,
)
from app.notifications.recipients import Reached
from app.notifications.webhooks import service as webhooks

_EVENTS: Table = NotificationEvent.__table__  # type: ignore[assignment]
_NOTIFICATIONS: Table = Notification.__table__  # type: ignore[assignment]
_DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[assignment]
_EVENT_COLUMNS = ("id", "type", "at", "coop_id", "subject_type", "subject_id", "params", "key")

INSERT_EVENT = _EVENTS.insert()
INSERT_NOTIFICATIONS = _NOTIFICATIONS.insert()
INSERT_DELIVERIES = _DELIVERIES.insert()


def _scalar(name: str, column: Column[Any]) -> BindParameter[Any]:
    return bindparam(name, type_=column.type)


def _all_at_once(*, with_event: bool, to_webhooks: bool) -> Insert:
    """On PostgreSQL the writes as one statement: the event and the deliveries in
    data-modifying WITH clauses (run to completion whatever the main statement reads), the
    notifications one per element of the arrays bound, a delivery per webhook subscribed. The
    foreign keys to the event are checked at the statement's end, when the event is there."""
    notifications = select(
        func.unnest(bound_array("notification_ids", _NOTIFICATIONS.c.id)),
        _scalar("e_id", _NOTIFICATIONS.c.event_id),
        func.unnest(bound_array("user_ids", _NOTIFICATIONS.c.user_id)),
        func.unnest(bound_array("for_user_ids", _NOTIFICATIONS.c.for_user_id)),
        _scalar("e_at", _NOTIFICATIONS.c.at),
        _scalar("pending", _NOTIFICATIONS.c.email_status),
        literal(0),
        _scalar("e_at", _NOTIFICATIONS.c.email_next_at),
    )
    statement = _NOTIFICATIONS.insert().from_select(
        [
            "id",
            "event_id",
            "user_id",
            "for_user_id",
            "at",
            "email_status",
            "email_attempts",
            "email_next_at",
        ],
        notifications,
    )
    if with_event:
        event = _EVENTS.insert().values(
            {name: _scalar(f"e_{name}", _EVENTS.c[name]) for name in _EVENT_COLUMNS}
        )
        statement = statement.add_cte(event.cte("written_event"))
    if to_webhooks:
        deliveries = _DELIVERIES.insert().from_select(
            ["id", "webhook_id", "event_id", "status", "attempts", "next_at"],
            select(
                func.gen_random_uuid(),
                Webhook.id,
                _scalar("e_id", _DELIVERIES.c.event_id),
                _scalar("pending", _DELIVERIES.c.status),
                literal(0),
                _scalar("e_at", _DELIVERIES.c.next_at),
            ).where(webhooks.SUBSCRIBED),
        )
        statement = statement.add_cte(deliveries.cte("written_deliveries"))
    return statement


# By (with_event, to_webhooks).
WRITE_ALL_AT_ONCE = {
    (with_event, to_webhooks): _all_at_once(with_event=with_event, to_webhooks=to_webhooks)
    for with_event in (True, False)
    for to_webhooks in (True, False)
}


async def write(
    session: AsyncSession,
    event: dict[str, Any],
    *,
    reached: Sequence[Reached],
    to_webhooks: bool,
    with_event: bool = True,
) -> None:
    """Insert the event (its columns in `event`, unless it is written already: `with_event`
    False), one pending notification per person reached and, with `to_webhooks`, one pending
    delivery per live webhook subscribed to the event (the co-op's and the platform's)."""
    event_type = EventType(event["type"])
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            WRITE_ALL_AT_ONCE[(with_event, to_webhooks)],
            {
                **({f"e_{name}": event[name] for name in _EVENT_COLUMNS} if with_event else {}),
                **(
                    {"hook_coop_id": event["coop_id"], "hook_event_types": [event_type.value]}
                    if to_webhooks
                    else {}
                ),
                "e_id": event["id"],
                "e_at": event["at"],
                "pending": SendStatus.pending,
                "notification_ids": [uuid.uuid4() for _ in reached],
                "user_ids": [person.user_id for person in reached],
                "for_user_ids": [person.for_user_id for person in reached],
            },
        )
        return
    webhook_ids: list[uuid.UUID] = []
    if to_webhooks:
        webhook_ids = await webhooks.subscribed(session, event_type, coop_id=event["coop_id"])
    if with_event:
        await session.execute(INSERT_EVENT, event)
    if reached:
        await session.execute(
            INSERT_NOTIFICATIONS,
            [
                {
                    "id": uuid.uuid4(),
                    "event_id": event["id"],
                    "user_id": person.user_id,
                    "for_user_id": person.for_user_id,
                    "at": event["at"],
                    "email_status": SendStatus.pending,
                    "email_attempts": 0,
                    "email_next_at": event["at"],
                }
                for person in reached
            ],
        )
    if webhook_ids:
        await session.execute(
            INSERT_DELIVERIES,
            [
                {
                    "id": uuid.uuid4(),
                    "webhook_id": webhook_id,
                    "event_id": event["id"],
                    "status": SendStatus.pending,
                    "attempts": 0,
                    "next_at": event["at"],
                }
                for webhook_id in webhook_ids
            ],
        )
