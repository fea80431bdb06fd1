"""Webhooks: created by a co-op's administrators (its events) or a platform administrator
(every co-op's), each event fanned out to them in the transaction that wrote it."""

import base64
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, cast, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.core.config import Settings
from app.notifications.errors import WebhookNotFound
from app.notifications.events import ACCOUNT_TYPES, EventType
from app.notifications.models import (
    Webhook,
    WebhookAttempt,
)
from app.notifications.webhooks import address


def new_secret() -> str:
    """`whsec_` and base64 of 32 random bytes, as Standard Webhooks libraries read it."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def create_webhook(
    session: AsyncSession,
    settings: Settings,
    actor: Actor,
    *,
    coop_id: uuid.UUID | None,
    url: str,
    event_types: Sequence[EventType],
    description: str,
    now: datetime,
) -> Webhook:
    """A webhook for `coop_id`'s events (None: every co-op's). In production its address must
    be https and public (`webhook_url_refused`)."""
    await address.check(settings, url)
    webhook = Webhook(
        id=uuid.uuid4(),
        coop_id=coop_id,
        url=url,
        event_types=[t.value for t in dict.fromkeys(event_types)],
        description=description,
        secret=new_secret(),
        created_at=now,
        created_by_user_id=actor.user.id,
    )
    session.add(webhook)
    await session.flush()
    audit.record(
        session,
        actor,
        "webhook.created",
        "webhook",
        webhook.id,
        coop_id=coop_id,
        data={"event_types": webhook.event_types},
    )
    return webhook


def webhooks_of(coop_id: uuid.UUID | None) -> Select[Any]:
    """A co-op's live webhooks, or (None) the platform's own."""
    owner = Webhook.coop_id.is_(None) if coop_id is None else Webhook.coop_id == coop_id
    return select(Webhook).where(owner, Webhook.deleted_at.is_(None))


async def get_webhook(
    session: AsyncSession, *, coop_id: uuid.UUID | None, webhook_id: uuid.UUID
) -> Webhook:
    """A live webhook of this owner; another co-op's, or a deleted one, does not exist."""
    webhook: Webhook | None = await session.scalar(
        webhooks_of(coop_id).where(Webhook.id == webhook_id)
    )
    if webhook is None:
        raise WebhookNotFound
    return webhook


async def delete_webhook(
    session: AsyncSession, actor: Actor, webhook: Webhook, *, now: datetime
) -> None:
    """Stop a webhook at once: nothing more is sent to it (what was sent stays recorded)."""
    webhook.deleted_at = now
    await session.flush()
    audit.record(session, actor, "webhook.deleted", "webhook", webhook.id, coop_id=webhook.coop_id)


def attempts_of(webhook_id: uuid.UUID) -> Select[Any]:
    return select(WebhookAttempt).where(WebhookAttempt.webhook_id == webhook_id)


# Built once: every event about a co-op sends one of them.
_PLATFORMS_HOOKS = select(Webhook.id, Webhook.event_types).where(
    Webhook.coop_id.is_(None), Webhook.deleted_at.is_(None)
)
_HOOKS_OF_COOP = select(Webhook.id, Webhook.event_types).where(
    or_(Webhook.coop_id.is_(None), Webhook.coop_id == bindparam("coop_id")),
    Webhook.deleted_at.is_(None),
)


def delivers(event_type: EventType) -> bool:
    """Events about accounts never go to a webhook."""
    return event_type not in ACCOUNT_TYPES


# `subscribed`'s rule as a condition on `webhook`, for the statement that writes an event's
# deliveries itself on PostgreSQL (`app.notifications.writing`), one round trip fewer; bound
# to `hook_coop_id` and `hook_event_types` (`[the event's type]`). The suite runs every webhook
# test on both databases: this rule on PostgreSQL, `subscribed` on SQLite.
SUBSCRIBED = and_(
    or_(
        Webhook.coop_id.is_(None),
        Webhook.coop_id == bindparam("hook_coop_id", type_=Webhook.coop_id.type),
    ),
    Webhook.deleted_at.is_(None),
    cast(Webhook.event_types, JSONB).contains(bindparam("hook_event_types", type_=JSONB)),
)


async def subscribed(
    session: AsyncSession, event_type: EventType, *, coop_id: uuid.UUID | None
) -> list[uuid.UUID]:
    """The live webhooks an event goes to, one delivery each: the co-op's own, and the
    platform's. Events about accounts never go to a webhook."""
    if not delivers(event_type):
        return []
    if coop_id is None:
        rows = await session.execute(_PLATFORMS_HOOKS)
    else:
        rows = await session.execute(_HOOKS_OF_COOP, {"coop_id": coop_id})
    return [hook_id for hook_id, types in rows.all() if event_type.value in types]
