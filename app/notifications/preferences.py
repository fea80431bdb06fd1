"""Which notifications a person has e-mailed: every type unless turned off, some always."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.core.errors import must_exist
from app.notifications.errors import NotificationRequired
from app.notifications.events import REQUIRED_EMAIL, EventType
from app.notifications.models import NotificationPreference


def _complete(stored: Mapping[str, bool]) -> dict[str, bool]:
    return {t.value: t in REQUIRED_EMAIL or stored.get(t.value, True) for t in EventType}


async def email_preferences(session: AsyncSession, actor: Actor) -> dict[str, bool]:
    """Every type with whether it is e-mailed to the person signed in."""
    row = await session.get(NotificationPreference, actor.user.id)
    return _complete(row.email if row else {})


async def _held(session: AsyncSession, actor: Actor, *, now: datetime) -> NotificationPreference:
    """The person's row, locked; made first when missing (two first choices at once: one
    makes it, the other then locks it)."""
    row = await session.get(NotificationPreference, actor.user.id, with_for_update=True)
    if row is not None:
        return row
    try:
        async with session.begin_nested():
            session.add(NotificationPreference(user_id=actor.user.id, email={}, updated_at=now))
    except IntegrityError:
        pass
    row = await session.get(
        NotificationPreference, actor.user.id, with_for_update=True, populate_existing=True
    )
    return must_exist(row, "made just above, or by the request that won the race")


async def set_email_preferences(
    session: AsyncSession, actor: Actor, *, changes: Mapping[EventType, bool], now: datetime
) -> dict[str, bool]:
    """Merge `changes` into the person's choices: types not named keep theirs. Turning off
    an e-mail about one's account or an approval is refused (`notification_required`)."""
    refused = sorted(t.value for t, on in changes.items() if not on and t in REQUIRED_EMAIL)
    if refused:
        raise NotificationRequired(types=", ".join(refused), extra={"types": refused})
    row = await _held(session, actor, now=now)
    merged = dict(row.email)
    merged.update({t.value: on for t, on in changes.items() if t not in REQUIRED_EMAIL})
    row.email = merged
    row.updated_at = now
    await session.flush()
    audit.record(
        session,
        actor,
        "notification.preferences_changed",
        "user",
        actor.user.id,
        data={"email": {t.value: on for t, on in changes.items()}},
        about=actor.user.id,
    )
    return _complete(merged)
