"""A person's notifications and which of them are e-mailed."""

import uuid
from typing import Annotated

from fastapi import Query, Request

from app.auth.dependencies import CurrentActor
from app.auth.errors import OutsideMandate
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.i18n import DEFAULT_LANGUAGE, Language
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.notifications import preferences, service
from app.notifications.errors import NotificationNotFound, NotificationRequired
from app.notifications.models import Notification
from app.notifications.schemas import (
    NotificationPreferencesRead,
    NotificationPreferencesUpdate,
    NotificationRead,
    NotificationsRead,
)

router = Router(prefix="/me", tags=["notifications"])


def _language(request: Request) -> Language:
    chosen: Language = getattr(request.state, "language", None) or DEFAULT_LANGUAGE
    return chosen


@router.get(
    "/notifications",
    response_model=CursorPage[NotificationRead],
    responses=problems(OutsideMandate),
)
async def list_notifications(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    unread: Annotated[
        bool | None, Query(description="true: unread only; false: read only.")
    ] = None,
) -> CursorPage[NotificationRead]:
    """Your notifications, newest first, each `title` and `body` in your language
    (`Accept-Language: cy`, else your `preferred_language`). A representative also finds here
    what concerns the holders they represent with `view` (their refunds, contributions,
    invoices and approvals waiting), named in the text. Acting on someone's behalf
    (`X-On-Behalf-Of`) is refused: these are yours."""
    rows, next_cursor = await paginate(
        session,
        service.feed_of(actor.user.id, unread=unread),
        page,
        order=[Sort(Notification.at, descending=True), Sort(Notification.id, descending=True)],
        key=lambda row: (row[0].at, row[0].id),
        scalars=False,
    )
    language = _language(request)
    items = [
        NotificationRead.model_validate(service.as_item(n, event, coop, holder, language))
        for n, event, coop, holder in rows
    ]
    return CursorPage[NotificationRead](items=items, next_cursor=next_cursor)


@router.post(
    "/notifications/{notification_id}/read",
    response_model=NotificationRead,
    responses=problems(NotificationNotFound, OutsideMandate),
)
async def read_notification(
    notification_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    now: NowDep,
) -> NotificationRead:
    """Mark one of your notifications read; marking it again keeps the first `read_at`."""
    row = await service.mark_read(
        session, user_id=actor.user.id, notification_id=notification_id, now=now
    )
    return NotificationRead.model_validate(service.as_item(*row, _language(request)))


@router.post(
    "/notifications/read-all",
    response_model=NotificationsRead,
    responses=problems(OutsideMandate),
)
async def read_all_notifications(
    session: SessionDep, actor: CurrentActor, now: NowDep
) -> NotificationsRead:
    """Mark every unread notification of yours read."""
    count = await service.mark_all_read(session, user_id=actor.user.id, now=now)
    return NotificationsRead(read=count)


@router.get(
    "/notification-preferences",
    response_model=NotificationPreferencesRead,
    responses=problems(OutsideMandate),
)
async def get_notification_preferences(
    session: SessionDep, actor: CurrentActor
) -> NotificationPreferencesRead:
    """Which notification types are e-mailed to you (all, until you turn some off)."""
    email = await preferences.email_preferences(session, actor)
    return NotificationPreferencesRead.model_validate({"email": email})


@router.put(
    "/notification-preferences",
    response_model=NotificationPreferencesRead,
    responses=problems(NotificationRequired, OutsideMandate),
)
async def set_notification_preferences(
    body: NotificationPreferencesUpdate, session: SessionDep, actor: CurrentActor, now: NowDep
) -> NotificationPreferencesRead:
    """Turn e-mails of some types on or off; the types you do not name keep their setting.
    Notifications stay in your feed either way. E-mails about your account (`account.*`)
    and approvals waiting for you (`approval.waiting`) cannot be turned off: 422
    `notification_required`."""
    email = await preferences.set_email_preferences(session, actor, changes=body.email, now=now)
    return NotificationPreferencesRead.model_validate({"email": email})
