"""E-mails from the outbox: each notification mailed once it is committed, unless turned off.

Run by the worker. Each e-mail is claimed (`claims`), sent outside any transaction through
`app.mail.sender`, and its outcome recorded; a failed send is tried again on the webhook
schedule (`DPC_WEBHOOK_RETRY_BASE_SECONDS` x 2^n) for 24 hours.
"""

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.coops.models import Coop
from app.core.config import Settings
from app.core.db import unit_of_work
from app.core.i18n import Language
from app.mail.sender import MailNotSent, OutgoingMail
from app.notifications import catalogue, claims
from app.notifications.events import REQUIRED_EMAIL
from app.notifications.models import (
    Notification,
    NotificationEvent,
    NotificationPreference,
    SendStatus,
)

log = logging.getLogger(__name__)
Sender = Callable[[Settings, OutgoingMail], Awaitable[None]]
BATCH = 20


@dataclass(frozen=True, slots=True)
class Prepared:
    notification_id: uuid.UUID
    event_at: datetime
    attempts: int
    mail: OutgoingMail | None  # None: nothing to send (turned off, or the account closed)
    status: SendStatus


async def _prepare(session: AsyncSession, notification_id: uuid.UUID) -> Prepared | None:
    person, holder = aliased(User), aliased(User)
    row = (
        await session.execute(
            select(Notification, NotificationEvent, person, Coop.name, holder.full_name)
            .join(NotificationEvent, NotificationEvent.id == Notification.event_id)
            .join(person, person.id == Notification.user_id)
            .outerjoin(Coop, Coop.id == NotificationEvent.coop_id)
            .outerjoin(holder, holder.id == Notification.for_user_id)
            .where(Notification.id == notification_id)
        )
    ).one_or_none()
    if row is None:
        return None
    notification, event, user, coop_name, holder_name = row

    def prepared(mail: OutgoingMail | None, status: SendStatus) -> Prepared:
        return Prepared(notification.id, event.at, notification.email_attempts, mail, status)

    if user.closed_at is not None:
        return prepared(None, SendStatus.skipped)
    if event.type not in REQUIRED_EMAIL:
        preference = await session.get(NotificationPreference, user.id)
        if preference is not None and preference.email.get(event.type.value) is False:
            return prepared(None, SendStatus.off)
    language: Language = "cy" if user.preferred_language.value == "cy" else "en"
    text = catalogue.render(
        event.type,
        event.params,
        language,
        coop=coop_name,
        holder=holder_name,
        representing=notification.for_user_id is not None,
    )
    footer = (catalogue.FOOTER_REQUIRED if event.type in REQUIRED_EMAIL else catalogue.FOOTER)[
        language
    ]
    mail = OutgoingMail(
        to=user.email, subject=text.title, text=f"{text.body}\n\n{footer}\n", language=language
    )
    return prepared(mail, SendStatus.sent)


async def _record(
    session: AsyncSession,
    settings: Settings,
    prepared: Prepared,
    *,
    sent: bool,
    now: datetime,
) -> None:
    notification = await session.get(Notification, prepared.notification_id)
    if notification is None:
        return
    notification.claimed_until = None
    if prepared.mail is None:
        notification.email_status = prepared.status
        notification.email_next_at = None
        return
    notification.email_attempts = prepared.attempts + 1
    if sent:
        notification.email_status = SendStatus.sent
        notification.sent_at = now
        notification.email_next_at = None
        return
    retry = claims.next_try(
        settings, attempts=notification.email_attempts, now=now, since=prepared.event_at
    )
    notification.email_next_at = retry
    if retry is None:
        notification.email_status = SendStatus.failed


async def send_due_emails(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    *,
    now: datetime,
    send: Sender,
) -> int:
    """Send every e-mail due at `now`, a batch at a time; returns how many were handled."""
    handled = 0
    while True:
        async with unit_of_work(sessionmaker) as session:
            ids = await claims.claim_emails(session, now=now, limit=BATCH)
        if not ids:
            return handled
        for notification_id in ids:
            async with unit_of_work(sessionmaker) as session:
                prepared = await _prepare(session, notification_id)
            if prepared is None:
                continue
            sent = False
            if prepared.mail is not None:
                try:
                    await send(settings, prepared.mail)
                    sent = True
                except MailNotSent as exc:
                    log.warning("notification e-mail not sent, to be retried: %s", exc)
            async with unit_of_work(sessionmaker) as session:
                await _record(session, settings, prepared, sent=sent, now=now)
            handled += 1
