"""Who works for a holder: the workers employed for a membership, by the holder or by the
co-op (hours for them on a timesheet's current entries)."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.employment.models import EmployerKind, Employment, Timesheet, TimesheetEntry, Worker


@dataclass(frozen=True, slots=True)
class WorkerFor:
    """A worker employed for a member: by the member themselves (`as_employer`), or by the
    co-op with hours worked for them on a timesheet's current entries."""

    worker_id: uuid.UUID
    full_name: str
    user_id: uuid.UUID | None
    employment_id: uuid.UUID
    as_employer: bool


async def workers_employed_for(session: AsyncSession, member_id: uuid.UUID) -> list[WorkerFor]:
    """Every worker employed for the member, with their account (`user_id`, None without
    one), one item per employment, by name: the conflict-of-interest check asks whether a
    representative is one of them."""
    own = await session.execute(
        select(Worker, Employment.id)
        .join(Employment, Employment.worker_id == Worker.id)
        .where(Employment.employer_member_id == member_id)
    )
    found = {
        employment_id: WorkerFor(w.id, w.full_name, w.user_id, employment_id, True)
        for w, employment_id in own.all()
    }
    shared = await session.execute(
        select(Worker, Employment.id, Timesheet.revision, TimesheetEntry.revision)
        .join(Employment, Employment.worker_id == Worker.id)
        .join(Timesheet, Timesheet.employment_id == Employment.id)
        .join(TimesheetEntry, TimesheetEntry.timesheet_id == Timesheet.id)
        .where(
            Employment.employer_kind == EmployerKind.coop,
            TimesheetEntry.member_id == member_id,
        )
    )
    for w, employment_id, current, revision in shared.all():
        if current == revision and employment_id not in found:
            found[employment_id] = WorkerFor(w.id, w.full_name, w.user_id, employment_id, False)
    return sorted(found.values(), key=lambda f: (f.full_name, str(f.employment_id)))
