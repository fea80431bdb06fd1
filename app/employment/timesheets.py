"""Timesheets: the minutes of one pay period, kept by the worker or the employer and
confirmed by the employer, until the period's payroll is exported."""

import uuid
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.coops import service as coops
from app.coops.models import MemberStatus
from app.core.clock import local_date
from app.core.errors import ValidationFailed
from app.core.field_errors import FieldError, field_error
from app.employment import conflicts
from app.employment.access import Seen, employer_member
from app.employment.errors import PeriodExported, TimesheetNotFound
from app.employment.models import (
    EmployerKind,
    Employment,
    PayrollExport,
    Timesheet,
    TimesheetEntry,
    TimesheetStatus,
    Worker,
)
from app.employment.periods import Period, period_starting
from app.employment.schemas import MINUTES_IN_A_DAY, EntryRead, EntryWrite, TimesheetRead


def pay_period(employment: Employment, period_start: date) -> Period:
    """The employment's pay period starting on `period_start`, or 422 naming it."""
    period = period_starting(employment.pay_frequency, employment.first_period_start, period_start)
    if period is None:
        raise ValidationFailed(
            [
                field_error(
                    ["path", "period_start"],
                    "No pay period of this employment starts on this day.",
                    msg_cy="Nid oes cyfnod tâl o'r gyflogaeth hon yn dechrau ar y diwrnod hwn.",
                )
            ]
        )
    return period


async def is_exported(session: AsyncSession, *, coop_id: uuid.UUID, period_start: date) -> bool:
    found = await session.scalar(
        select(PayrollExport.id).where(
            PayrollExport.coop_id == coop_id, PayrollExport.period_start == period_start
        )
    )
    return found is not None


async def find(
    session: AsyncSession, employment_id: uuid.UUID, period_start: date
) -> Timesheet | None:
    return await session.scalar(
        select(Timesheet).where(
            Timesheet.employment_id == employment_id, Timesheet.period_start == period_start
        )
    )


async def current_entries(
    session: AsyncSession, timesheets: list[Timesheet]
) -> dict[uuid.UUID, list[TimesheetEntry]]:
    """Each timesheet's entries of its current revision, in the order written."""
    found: dict[uuid.UUID, list[TimesheetEntry]] = {t.id: [] for t in timesheets}
    if not timesheets:
        return found
    revisions = {t.id: t.revision for t in timesheets}
    rows = await session.scalars(
        select(TimesheetEntry)
        .where(TimesheetEntry.timesheet_id.in_(list(revisions)))
        .order_by(TimesheetEntry.timesheet_id, TimesheetEntry.revision, TimesheetEntry.position)
    )
    for entry in rows:
        if entry.revision == revisions[entry.timesheet_id]:
            found[entry.timesheet_id].append(entry)
    return found


def as_read(
    timesheet: Timesheet, entries: list[TimesheetEntry], *, exported: bool
) -> TimesheetRead:
    return TimesheetRead(
        id=timesheet.id,
        employment_id=timesheet.employment_id,
        period_start=timesheet.period_start,
        period_end=timesheet.period_end,
        status=timesheet.status,
        revision=timesheet.revision,
        total_minutes=sum(e.minutes for e in entries),
        entries=[
            EntryRead(date=e.work_date, minutes=e.minutes, member_id=e.member_id) for e in entries
        ],
        submitted_at=timesheet.submitted_at,
        submitted_by_user_id=timesheet.submitted_by_user_id,
        confirmed_at=timesheet.confirmed_at,
        confirmed_by_user_id=timesheet.confirmed_by_user_id,
        exported=exported,
    )


async def _check_entries(
    session: AsyncSession,
    employment: Employment,
    period: Period,
    entries: list[EntryWrite],
    *,
    today: date,
) -> list[uuid.UUID | None]:
    """Each entry's member, or 422 naming every field in error: a day in the period and not
    after today, at most 24 hours a day, and for the co-op's employees a member of the co-op
    (for a holder's own employee, the holder or nobody)."""
    errors: list[FieldError] = []
    per_day: dict[date, int] = defaultdict(int)
    members: list[uuid.UUID | None] = []
    active: dict[uuid.UUID, bool] = {}
    for index, entry in enumerate(entries):
        where: list[str | int] = ["body", "entries", index]
        if entry.date not in period:
            errors.append(
                field_error(
                    [*where, "date"],
                    f"The day is outside the pay period {period.start} to {period.end}.",
                    msg_cy=f"Mae'r diwrnod y tu allan i'r cyfnod tâl {period.start} i {period.end}.",
                )
            )
        elif entry.date > today:
            errors.append(
                field_error(
                    [*where, "date"],
                    "Work is recorded once done: the day is after today.",
                    msg_cy="Cofnodir gwaith ar ôl ei wneud: mae'r diwrnod ar ôl heddiw.",
                )
            )
        per_day[entry.date] += entry.minutes
        if per_day[entry.date] > MINUTES_IN_A_DAY:
            errors.append(
                field_error(
                    [*where, "minutes"],
                    "A day's entries add up to more than 24 hours.",
                    msg_cy="Mae cofnodion y diwrnod yn fwy na 24 awr.",
                )
            )
        member_id = entry.member_id
        if employment.employer_kind is EmployerKind.member:
            if member_id is not None and member_id != employment.employer_member_id:
                errors.append(
                    field_error(
                        [*where, "member_id"],
                        "A holder's own employee works for that holder only.",
                        msg_cy="Mae gweithiwr deiliad yn gweithio i'r deiliad hwnnw yn unig.",
                    )
                )
            members.append(employment.employer_member_id)
            continue
        if member_id is None:
            errors.append(
                field_error(
                    [*where, "member_id"],
                    "Name the member the co-op's employee worked for.",
                    msg_cy="Enwch yr aelod y gweithiodd gweithiwr y cwmni cydweithredol iddo.",
                    type="missing",
                )
            )
            members.append(None)
            continue
        if member_id not in active:
            member = await coops.find_member(
                session, coop_id=employment.coop_id, member_id=member_id
            )
            active[member_id] = member is not None and member.status is MemberStatus.active
        if not active[member_id]:
            errors.append(
                field_error(
                    [*where, "member_id"],
                    "No active member of this co-operative has this id.",
                    msg_cy="Nid oes gan unrhyw aelod gweithredol o'r cwmni cydweithredol hwn y rhif hwn.",
                )
            )
        members.append(member_id)
    if errors:
        raise ValidationFailed(errors)
    return members


async def put_timesheet(
    session: AsyncSession,
    seen: Seen,
    *,
    period_start: date,
    entries: list[EntryWrite],
    now: datetime,
) -> TimesheetRead:
    """Write the period's entries as a new revision (the earlier ones stay, for the record);
    the timesheet is `submitted` again until its employer confirms it. A period whose
    payroll is exported is closed (409 `period_exported`)."""
    seen.require_writer()
    employment = seen.employment
    period = pay_period(employment, period_start)
    if await is_exported(session, coop_id=employment.coop_id, period_start=period.start):
        raise PeriodExported
    members = await _check_entries(session, employment, period, entries, today=local_date(now))
    timesheet = await find(session, employment.id, period.start)
    actor = seen.actor
    if timesheet is None:
        timesheet = Timesheet(
            employment_id=employment.id,
            coop_id=employment.coop_id,
            period_start=period.start,
            period_end=period.end,
            revision=0,
        )
        session.add(timesheet)
    timesheet.revision += 1
    timesheet.status = TimesheetStatus.submitted
    timesheet.submitted_at = now
    timesheet.submitted_by_user_id = actor.user.id
    timesheet.confirmed_at = None
    timesheet.confirmed_by_user_id = None
    await session.flush()
    written = [
        TimesheetEntry(
            timesheet_id=timesheet.id,
            revision=timesheet.revision,
            position=position,
            work_date=entry.date,
            minutes=entry.minutes,
            member_id=member_id,
        )
        for position, (entry, member_id) in enumerate(zip(entries, members, strict=True))
    ]
    session.add_all(written)
    await session.flush()
    employer = await employer_member(session, employment)
    audit.record(
        session,
        actor,
        "timesheet.submitted",
        "timesheet",
        timesheet.id,
        coop_id=employment.coop_id,
        data={
            "employment_id": str(employment.id),
            "period_start": period.start.isoformat(),
            "revision": timesheet.revision,
            "entries": [
                [e.work_date.isoformat(), e.minutes, str(e.member_id) if e.member_id else None]
                for e in written
            ],
        },
        about=employer.user_id if employer is not None else None,
    )
    worked_for = {member_id for member_id in members if member_id is not None}
    worker = await session.get(Worker, employment.worker_id)
    if worked_for and worker is not None:
        await conflicts.recheck_worker(session, actor, worker, worked_for, now=now)
    return as_read(timesheet, written, exported=False)


async def confirm_timesheet(
    session: AsyncSession, seen: Seen, *, period_start: date, now: datetime
) -> TimesheetRead:
    """The employer approves the timesheet as it stands; confirming it again changes
    nothing."""
    seen.require_confirmer()
    employment = seen.employment
    period = pay_period(employment, period_start)
    timesheet = await find(session, employment.id, period.start)
    if timesheet is None:
        raise TimesheetNotFound
    if await is_exported(session, coop_id=employment.coop_id, period_start=period.start):
        raise PeriodExported
    if timesheet.status is not TimesheetStatus.confirmed:
        timesheet.status = TimesheetStatus.confirmed
        timesheet.confirmed_at = now
        timesheet.confirmed_by_user_id = seen.actor.user.id
        await session.flush()
        employer = await employer_member(session, employment)
        audit.record(
            session,
            seen.actor,
            "timesheet.confirmed",
            "timesheet",
            timesheet.id,
            coop_id=employment.coop_id,
            data={
                "employment_id": str(employment.id),
                "period_start": period.start.isoformat(),
                "revision": timesheet.revision,
            },
            about=employer.user_id if employer is not None else None,
        )
    entries = (await current_entries(session, [timesheet]))[timesheet.id]
    return as_read(timesheet, entries, exported=False)


async def read_timesheet(session: AsyncSession, seen: Seen, *, period_start: date) -> TimesheetRead:
    employment = seen.employment
    period = pay_period(employment, period_start)
    timesheet = await find(session, employment.id, period.start)
    if timesheet is None:
        raise TimesheetNotFound
    entries = (await current_entries(session, [timesheet]))[timesheet.id]
    exported = await is_exported(session, coop_id=employment.coop_id, period_start=period.start)
    return as_read(timesheet, entries, exported=exported)


async def list_timesheets(session: AsyncSession, seen: Seen) -> list[TimesheetRead]:
    """The employment's timesheets, latest period first."""
    employment = seen.employment
    timesheets = list(
        await session.scalars(
            select(Timesheet)
            .where(Timesheet.employment_id == employment.id)
            .order_by(Timesheet.period_start.desc())
        )
    )
    entries = await current_entries(session, timesheets)
    exported = set(
        await session.scalars(
            select(PayrollExport.period_start).where(PayrollExport.coop_id == employment.coop_id)
        )
    )
    return [as_read(t, entries[t.id], exported=t.period_start in exported) for t in timesheets]
