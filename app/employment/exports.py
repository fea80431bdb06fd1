"""Exporting a co-op's payroll for the pay periods starting on one day.

`period_start` is a day, not a calendar period: the export holds every employment of the
co-op whose pay period starts that day, whatever its frequency (a four-weekly and a monthly
employment share an export only when their periods start together). Exporting locks those
periods for good and keeps the CSV exactly as first answered.
"""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.models import User
from app.coops import service as coops
from app.coops.models import Member
from app.core.errors import ValidationFailed
from app.core.field_errors import field_error
from app.employment import timesheets
from app.employment.errors import PayrollExportNotFound, TimesheetsUnconfirmed
from app.employment.exchange import ExportRow, export_csv, in_export_order
from app.employment.models import (
    EmployerKind,
    Employment,
    PayrollExport,
    PayrollExportLine,
    TimesheetStatus,
)
from app.employment.periods import Period, period_starting


async def employments_starting(
    session: AsyncSession, member: Member, period_start: date, *, lock: bool = False
) -> list[tuple[Employment, Period]]:
    """The co-op's employments with a pay period starting on `period_start`, in id order
    (locked, with `lock`: the order every writer of timesheets takes them in)."""
    query = (
        select(Employment)
        .where(Employment.coop_id == member.coop_id)
        .order_by(Employment.id)
        .options(joinedload(Employment.worker))
    )
    if lock:
        query = query.with_for_update(of=Employment)
    found = []
    for employment in await session.scalars(query):
        period = period_starting(
            employment.pay_frequency, employment.first_period_start, period_start
        )
        if period is not None:
            found.append((employment, period))
    return found


async def find_export(
    session: AsyncSession, member: Member, period_start: date
) -> PayrollExport | None:
    return await session.scalar(
        select(PayrollExport).where(
            PayrollExport.coop_id == member.coop_id, PayrollExport.period_start == period_start
        )
    )


async def read_export(session: AsyncSession, member: Member, period_start: date) -> PayrollExport:
    export = await find_export(session, member, period_start)
    if export is None:
        raise PayrollExportNotFound
    return export


async def _employer_names(
    session: AsyncSession, member: Member, employments: list[Employment]
) -> dict[Employment, str]:
    coop = await coops.get_coop(session, member.coop_id)
    member_ids = {e.employer_member_id for e in employments if e.employer_member_id}
    names: dict[object, str] = {}
    if member_ids:
        rows = await session.execute(
            select(Member.id, User.full_name)
            .join(User, User.id == Member.user_id)
            .where(Member.id.in_(member_ids))
        )
        names = {row[0]: row[1] for row in rows.all()}
    return {
        e: coop.name if e.employer_kind is EmployerKind.coop else names[e.employer_member_id]
        for e in employments
    }


async def export_payroll(
    session: AsyncSession, actor: Actor, member: Member, *, period_start: date, now: datetime
) -> tuple[PayrollExport, bool]:
    """The export for `period_start` and whether it was made now: an export made before is
    answered again unchanged. Every timesheet of those periods must be confirmed (409
    `timesheets_unconfirmed` naming the employments, nothing exported); employments with no
    timesheet for the period are not in it."""
    employments = await employments_starting(session, member, period_start, lock=True)
    if not employments:
        raise ValidationFailed(
            [
                field_error(
                    ["path", "period_start"],
                    "No employment of this co-operative has a pay period starting on this day.",
                    msg_cy="Nid oes gan unrhyw gyflogaeth o'r cwmni cydweithredol hwn gyfnod tâl "
                    "yn dechrau ar y diwrnod hwn.",
                )
            ]
        )
    existing = await find_export(session, member, period_start)
    if existing is not None:
        return existing, False
    found = {}
    for employment, _ in employments:
        timesheet = await timesheets.find(session, employment.id, period_start)
        if timesheet is not None:
            found[employment.id] = timesheet
    unconfirmed = sorted(
        str(t.employment_id) for t in found.values() if t.status is not TimesheetStatus.confirmed
    )
    if unconfirmed:
        raise TimesheetsUnconfirmed(extra={"employment_ids": unconfirmed})
    entries = await timesheets.current_entries(session, list(found.values()))
    names = await _employer_names(session, member, [e for e, _ in employments])
    rows = in_export_order(
        [
            ExportRow(
                employment_id=employment.id,
                worker_name=employment.worker.full_name,
                employer=names[employment],
                period_start=period.start,
                period_end=period.end,
                minutes=sum(e.minutes for e in entries[found[employment.id].id]),
                hourly_rate_pence=employment.hourly_rate_pence,
            )
            for employment, period in employments
            if employment.id in found
        ]
    )
    export = PayrollExport(
        coop_id=member.coop_id,
        period_start=period_start,
        csv_text=export_csv(rows),
        created_at=now,
        created_by_user_id=actor.user.id,
    )
    session.add(export)
    await session.flush()
    session.add_all(
        PayrollExportLine(
            export_id=export.id,
            employment_id=row.employment_id,
            timesheet_id=found[row.employment_id].id,
            timesheet_revision=found[row.employment_id].revision,
            position=position,
            period_end=row.period_end,
            minutes=row.minutes,
            hourly_rate_pence=row.hourly_rate_pence,
            gross_pence=row.gross_pence,
        )
        for position, row in enumerate(rows)
    )
    await session.flush()
    audit.record(
        session,
        actor,
        "payroll.exported",
        "payroll_export",
        export.id,
        coop_id=member.coop_id,
        data={
            "period_start": period_start.isoformat(),
            "employment_ids": [str(row.employment_id) for row in rows],
            "gross_pence": sum(row.gross_pence for row in rows),
        },
    )
    return export, True


def export_filename(period_start: date) -> str:
    return f"payroll-{period_start.isoformat()}.csv"
