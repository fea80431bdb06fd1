"""The platform's webhooks, told of every co-op's events (platform administrators)."""

import uuid

from fastapi import Response

from app.auth.dependencies import PlatformAdmin
from app.auth.errors import OutsideMandate, PlatformAdminRequired
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

router = Router(prefix="/admin/webhooks", tags=["webhooks"])

PLATFORM = (PlatformAdminRequired, OutsideMandate)
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
    responses=problems(*PLATFORM, WebhookUrlRefused),
    description="Tell an address of every co-op's events (platform administrators). The "
    "answer holds the signing `secret`, shown this once." + DELIVERY_TEXT,
)
async def create_platform_webhook(
    body: WebhookCreate,
    session: SessionDep,
    settings: SettingsDep,
    actor: PlatformAdmin,
    now: NowDep,
) -> Webhook:
    return await service.create_webhook(
        session,
        settings,
        actor,
        coop_id=None,
        url=body.url,
        event_types=body.event_types,
        description=body.description,
        now=now,
    )


@router.get(
    "",
    response_model=CursorPage[WebhookRead],
    responses=problems(*PLATFORM),
)
async def list_platform_webhooks(
    session: SessionDep, actor: PlatformAdmin, page: PageDep
) -> CursorPage[WebhookRead]:
    """The platform's webhooks (co-ops' own are listed under each co-op)."""
    del actor
    return await pages.page_of_webhooks(session, None, page)


@router.get(
    "/{webhook_id}",
    response_model=WebhookRead,
    responses=problems(*PLATFORM, WebhookNotFound),
)
async def get_platform_webhook(
    webhook_id: uuid.UUID, session: SessionDep, actor: PlatformAdmin
) -> Webhook:
    """One of the platform's webhooks."""
    del actor
    return await service.get_webhook(session, coop_id=None, webhook_id=webhook_id)


@router.delete(
    "/{webhook_id}",
    status_code=204,
    responses=problems(*PLATFORM, WebhookNotFound),
)
async def delete_platform_webhook(
    webhook_id: uuid.UUID, session: SessionDep, actor: PlatformAdmin, now: NowDep
) -> Response:
    """Stop one of the platform's webhooks at once."""
    webhook = await service.get_webhook(session, coop_id=None, webhook_id=webhook_id)
    await service.delete_webhook(session, actor, webhook, now=now)
    return Response(status_code=204)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=CursorPage[WebhookAttemptRead],
    responses=problems(*PLATFORM, WebhookNotFound),
)
async def list_platform_webhook_deliveries(
    webhook_id: uuid.UUID, session: SessionDep, actor: PlatformAdmin, page: PageDep
) -> CursorPage[WebhookAttemptRead]:
    """Every try to deliver an event to this webhook, newest first."""
    del actor
    webhook = await service.get_webhook(session, coop_id=None, webhook_id=webhook_id)
    return await pages.page_of_attempts(session, webhook, page)
