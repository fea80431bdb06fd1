"""A co-op's webhooks, told of its events (its administrators)."""

import uuid

from fastapi import Response

from app.auth.dependencies import CurrentActor
from app.auth.errors import OutsideMandate
from app.coops.dependencies import CoopAdmin
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep
from app.core.routing import Router
from app.notifications.errors import WebhookNotFound, WebhookUrlRefused
from app.notifications.models import Webhook
from app.notifications.schemas import (
    WebhookAttemptRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
)
from app.notifications.webhooks import pages, service

router = Router(prefix="/coops/{coop_id}/webhooks", tags=["webhooks"])

COOP = (CoopNotFound, CoopAdminRequired, OutsideMandate)
DELIVERY_TEXT = """

Each event is POSTed to the URL as JSON `{id, type, at, coop_id, subject_type, subject_id}`
(ids only: fetch what you may see through the API), signed as the Standard Webhooks
specification says: `webhook-id` (the event's id, the same on every try: use it to drop
repeats), `webhook-timestamp` and `webhook-signature` (HMAC-SHA256 with the secret). Any
answer but a 2xx within 10 seconds (redirects are not followed) is tried again after
`DPC_WEBHOOK_RETRY_BASE_SECONDS` (30) x 2^n seconds, for 24 hours after the event. Events about
accounts (`account.*`) never go to a webhook."""


@router.post(
    "",
    status_code=201,
    response_model=WebhookCreated,
    responses=problems(*COOP, WebhookUrlRefused),
    description="Tell an address of this co-op's events (co-op administrators). The answer "
    "holds the signing `secret`, shown this once." + DELIVERY_TEXT,
)
async def create_coop_webhook(
    body: WebhookCreate,
    session: SessionDep,
    settings: SettingsDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> Webhook:
    return await service.create_webhook(
        session,
        settings,
        actor,
        coop_id=admin.coop_id,
        url=body.url,
        event_types=body.event_types,
        description=body.description,
        now=now,
    )


@router.get(
    "",
    response_model=CursorPage[WebhookRead],
    responses=problems(*COOP),
)
async def list_coop_webhooks(
    session: SessionDep, admin: CoopAdmin, page: PageDep
) -> CursorPage[WebhookRead]:
    """The co-op's webhooks, oldest first (their secrets are never shown again)."""
    return await pages.page_of_webhooks(session, admin.coop_id, page)


@router.get(
    "/{webhook_id}",
    response_model=WebhookRead,
    responses=problems(*COOP, WebhookNotFound),
)
async def get_coop_webhook(webhook_id: uuid.UUID, session: SessionDep, admin: CoopAdmin) -> Webhook:
    """One of the co-op's webhooks."""
    return await service.get_webhook(session, coop_id=admin.coop_id, webhook_id=webhook_id)


@router.delete(
    "/{webhook_id}",
    status_code=204,
    responses=problems(*COOP, WebhookNotFound),
)
async def delete_coop_webhook(
    webhook_id: uuid.UUID, session: SessionDep, admin: CoopAdmin, actor: CurrentActor, now: NowDep
) -> Response:
    """Stop a webhook at once; its deliveries so far stay listed for the record."""
    webhook = await service.get_webhook(session, coop_id=admin.coop_id, webhook_id=webhook_id)
    await service.delete_webhook(session, actor, webhook, now=now)
    return Response(status_code=204)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=CursorPage[WebhookAttemptRead],
    responses=problems(*COOP, WebhookNotFound),
)
async def list_coop_webhook_deliveries(
    webhook_id: uuid.UUID, session: SessionDep, admin: CoopAdmin, page: PageDep
) -> CursorPage[WebhookAttemptRead]:
    """Every try to deliver an event to this webhook, newest first: the receiver's status
    code (None when it did not answer) and whether it counted as delivered (a 2xx)."""
    webhook = await service.get_webhook(session, coop_id=admin.coop_id, webhook_id=webhook_id)
    return await pages.page_of_attempts(session, webhook, page)
