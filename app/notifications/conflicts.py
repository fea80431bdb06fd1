"""Telling of a representative who has just become conflicted as to a holder.

A change in a domain above representatives (a call-off with the representative's provider, an
employment of the representative as the holder's worker) can make a mandate conflicted; its
money scopes stop working at once (`app.representatives.conflicts.working_scopes`). Each such
domain calls this after its change, so the holder, the co-op's administrators and the
representative are told in one way.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.coops.models import Member
from app.notifications.events import CoopAdmins, Event, EventType
from app.notifications.service import notify
from app.representatives import conflicts


async def announce_newly_conflicted(
    session: AsyncSession,
    actor: Actor,
    holder: Member,
    *,
    representative_ids: Iterable[uuid.UUID],
    reason: str,
    now: datetime,
) -> None:
    for mandate in await conflicts.newly_conflicted(
        session, actor, holder, representative_ids=representative_ids, reason=reason
    ):
        representative = [mandate.representative_user_id] if mandate.representative_user_id else []
        await notify(
            session,
            Event(
                type=EventType.mandate_conflict_of_interest,
                subject_type="mandate",
                subject_id=mandate.id,
                at=now,
                coop_id=holder.coop_id,
                recipients=[holder.user_id, CoopAdmins(), *representative],
            ),
        )
