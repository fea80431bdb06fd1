"""Workers and the holders they work for: a conflict of interest.

A worker employed for a holder (by the holder, or by the co-op with hours for them on a
timesheet) may not move that holder's money as their representative. This is the employment
domain's conflict source (`app.representatives.conflicts.CONFLICT_SOURCES`), and the re-check
made when an employment or a timesheet makes a worker with an account work for a holder.
"""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.auth.models import User
from app.coops import service as coops
from app.coops.models import Member
from app.employment.models import Worker
from app.employment.workers_for import workers_employed_for
from app.notifications.conflicts import announce_newly_conflicted


async def employed_worker(session: AsyncSession, holder: Member, representative: User) -> list[str]:
    """`worker:<worker id>` for each worker employed for this membership whose account is the
    representative's."""
    return sorted(
        {
            f"worker:{found.worker_id}"
            for found in await workers_employed_for(session, holder.id)
            if found.user_id == representative.id
        }
    )


async def recheck_worker(
    session: AsyncSession,
    actor: Actor,
    worker: Worker,
    member_ids: set[uuid.UUID],
    *,
    now: datetime,
) -> None:
    """After `worker` came to work for these members: tell of every mandate this makes
    conflicted (the worker's account holding a money scope for one of them)."""
    if worker.user_id is None:
        return
    for member_id in sorted(member_ids, key=str):
        member = await coops.find_member(session, coop_id=worker.coop_id, member_id=member_id)
        if member is None:
            continue
        await announce_newly_conflicted(
            session,
            actor,
            member,
            representative_ids=[worker.user_id],
            reason=f"worker:{worker.id}",
            now=now,
        )
