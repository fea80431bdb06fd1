"""Pages of webhooks and of their delivery tries, as both routers answer them."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import CursorPage, PageRequest, Sort, paginate
from app.notifications.models import Webhook, WebhookAttempt
from app.notifications.schemas import WebhookAttemptRead, WebhookRead
from app.notifications.webhooks import service


async def page_of_webhooks(
    session: AsyncSession, coop_id: uuid.UUID | None, page: PageRequest
) -> CursorPage[WebhookRead]:
    items, next_cursor = await paginate(
        session,
        service.webhooks_of(coop_id),
        page,
        order=[Sort(Webhook.created_at), Sort(Webhook.id)],
        key=lambda w: (w.created_at, w.id),
    )
    return CursorPage[WebhookRead](
        items=[WebhookRead.model_validate(w) for w in items], next_cursor=next_cursor
    )


async def page_of_attempts(
    session: AsyncSession, webhook: Webhook, page: PageRequest
) -> CursorPage[WebhookAttemptRead]:
    items, next_cursor = await paginate(
        session,
        service.attempts_of(webhook.id),
        page,
        order=[
            Sort(WebhookAttempt.at, descending=True),
            Sort(WebhookAttempt.id, descending=True),
        ],
        key=lambda a: (a.at, a.id),
    )
    return CursorPage[WebhookAttemptRead](
        items=[WebhookAttemptRead.model_validate(a) for a in items], next_cursor=next_cursor
    )
