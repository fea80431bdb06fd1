"""Delivering events to webhooks: a signed POST of ids only, retried until a 2xx.

The body is `{id, type, at, coop_id, subject_type, subject_id}`, never personal data; the
receiver fetches what it may see through the API. It is signed as the Standard Webhooks
specification says (`webhook-id` is the event's id on every try, so a receiver can drop
repeats; `webhook-timestamp`; `webhook-signature` HMAC-SHA256 with the webhook's secret). A
try times out after 10 seconds and follows no redirect; anything but a 2xx is tried again
after `DPC_WEBHOOK_RETRY_BASE_SECONDS` x 2^n, for 24 hours after the event.
"""

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook as Signer

from app.core.config import Settings
from app.core.db import unit_of_work
from app.notifications import claims
from app.notifications.errors import WebhookUrlRefused
from app.notifications.models import (
    NotificationEvent,
    SendStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from app.notifications.webhooks import address

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0
BATCH = 20
USER_AGENT = "dpc-webhooks/1"


def payload(event: NotificationEvent) -> str:
    return json.dumps(
        {
            "id": str(event.id),
            "type": event.type.value,
            "at": event.at.isoformat(),
            "coop_id": str(event.coop_id) if event.coop_id else None,
            "subject_type": event.subject_type,
            "subject_id": str(event.subject_id),
        },
        separators=(",", ":"),
    )


def signed_headers(secret: str, *, event_id: uuid.UUID, body: str) -> dict[str, str]:
    # The receiver checks the timestamp against its own clock (five minutes either way), so
    # it is the real time of this try, whatever clock schedules the tries.
    sent_at = datetime.now(UTC)
    signature = Signer(secret).sign(msg_id=str(event_id), timestamp=sent_at, data=body)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": str(event_id),
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    ok: bool
    error: str | None = None


async def post(
    client: httpx.AsyncClient, settings: Settings, webhook: Webhook, event: NotificationEvent
) -> Outcome:
    """One try: the address checked again, then the signed POST."""
    try:
        target = await address.check(settings, webhook.url)
    except WebhookUrlRefused as exc:
        return Outcome(status_code=None, ok=False, error=f"address refused: {exc.params}"[:200])
    body = payload(event)
    headers = signed_headers(webhook.secret, event_id=event.id, body=body)
    extensions: dict[str, object] = {}
    if target.address is not None:
        headers["host"] = target.host
        extensions["sni_hostname"] = target.host
    try:
        response = await client.post(
            address.pinned_url(target),
            content=body.encode(),
            headers=headers,
            extensions=extensions,
        )
    except httpx.TimeoutException:
        return Outcome(status_code=None, ok=False, error="timed out")
    except httpx.HTTPError as exc:
        return Outcome(status_code=None, ok=False, error=type(exc).__name__)
    return Outcome(status_code=response.status_code, ok=200 <= response.status_code < 300)


def new_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False)


async def _load(
    session: AsyncSession, delivery_id: uuid.UUID
) -> tuple[WebhookDelivery, Webhook, NotificationEvent] | None:
    row = (
        await session.execute(
            select(WebhookDelivery, Webhook, NotificationEvent)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .join(NotificationEvent, NotificationEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id)
        )
    ).one_or_none()
    if row is None:
        return None
    delivery, webhook, event = row
    return delivery, webhook, event


async def _record(
    session: AsyncSession,
    settings: Settings,
    delivery_id: uuid.UUID,
    outcome: Outcome | None,
    *,
    event_at: datetime,
    now: datetime,
) -> None:
    delivery = await session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return
    delivery.claimed_until = None
    if outcome is None:  # the webhook was deleted meanwhile
        delivery.status = SendStatus.skipped
        delivery.next_at = None
        return
    delivery.attempts += 1
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            webhook_id=delivery.webhook_id,
            event_id=delivery.event_id,
            at=now,
            status_code=outcome.status_code,
            ok=outcome.ok,
            error=outcome.error,
        )
    )
    if outcome.ok:
        delivery.status = SendStatus.sent
        delivery.next_at = None
        return
    delivery.next_at = claims.next_try(
        settings, attempts=delivery.attempts, now=now, since=event_at
    )
    if delivery.next_at is None:
        delivery.status = SendStatus.failed


async def deliver_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    now: datetime,
    client: httpx.AsyncClient,
) -> int:
    """Try every delivery due at `now`, a batch at a time; returns how many were tried."""
    handled = 0
    while True:
        async with unit_of_work(sessionmaker) as session:
            ids = await claims.claim_deliveries(session, now=now, limit=BATCH)
        if not ids:
            return handled
        for delivery_id in ids:
            async with unit_of_work(sessionmaker) as session:
                loaded = await _load(session, delivery_id)
            if loaded is None:
                continue
            _, webhook, event = loaded
            outcome = None
            if webhook.deleted_at is None:
                outcome = await post(client, settings, webhook, event)
                if not outcome.ok:
                    log.info(
                        "webhook delivery failed, to be retried",
                        extra={"webhook_id": str(webhook.id), "status": outcome.status_code},
                    )
            async with unit_of_work(sessionmaker) as session:
                await _record(session, settings, delivery_id, outcome, event_at=event.at, now=now)
            handled += 1
