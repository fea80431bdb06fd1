"""Posting the bureau's results for an export: each employer's cost (gross pay, employer's
NI and employer's pension) leaves the pool as `payroll` ledger transactions, all in the
request's transaction or none.

A holder who employs pays `member:<id> -> external:payouts`, one transaction for all their
employees of the period. The co-op's employees are one transaction: each line's cost is
split among the members its timesheet's entries were for, pro rata by minutes, largest
remainder (the earliest approved member first on a tie, as shared charges are split).
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.models import Member
from app.core.errors import ValidationFailed
from app.core.field_errors import FieldError, field_error
from app.core.money import split_pro_rata
from app.employment.errors import PayrollPosted, PeriodNotExported
from app.employment.exchange import ResultFigures
from app.employment.exports import find_export
from app.employment.models import (
    EmployerKind,
    Employment,
    PayrollExport,
    PayrollExportLine,
    PayrollResult,
    PayrollResultLine,
    PayrollShare,
    TimesheetEntry,
)
from app.ledger import service as ledger
from app.ledger.models import TransactionKind


@dataclass(frozen=True, slots=True)
class Share:
    member_id: uuid.UUID
    minutes: int
    amount_pence: int


@dataclass(frozen=True, slots=True)
class Planned:
    figures: ResultFigures
    employment: Employment
    shares: list[Share]


async def find_result(session: AsyncSession, export: PayrollExport) -> PayrollResult | None:
    return await session.scalar(select(PayrollResult).where(PayrollResult.export_id == export.id))


def _line_error(loc: list[str | int], msg: str, msg_cy: str) -> FieldError:
    return field_error(loc, msg, msg_cy=msg_cy)


def _match_lines(
    lines: list[ResultFigures],
    exported: dict[uuid.UUID, PayrollExportLine],
    where: list[list[str | int]],
    whole: list[str | int],
) -> None:
    """Exactly the export's employments, each once, or 422 naming every line in error."""
    errors: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    for line, loc in zip(lines, where, strict=True):
        if line.employment_id not in exported:
            errors.append(
                _line_error(
                    [*loc, "employment_id"],
                    "This employment is not in the period's export.",
                    "Nid yw'r gyflogaeth hon yn allforiad y cyfnod.",
                )
            )
        elif line.employment_id in seen:
            errors.append(
                _line_error(
                    [*loc, "employment_id"],
                    "This employment has a line already.",
                    "Mae llinell gan y gyflogaeth hon eisoes.",
                )
            )
        seen.add(line.employment_id)
    errors.extend(
        _line_error(
            whole,
            f"The export's employment {employment_id} has no line.",
            f"Nid oes llinell gan gyflogaeth {employment_id} yr allforiad.",
        )
        for employment_id in sorted(set(exported) - seen, key=lambda i: exported[i].position)
    )
    if errors:
        raise ValidationFailed(errors)


async def _minutes_by_member(
    session: AsyncSession, line: PayrollExportLine
) -> dict[uuid.UUID, int]:
    rows = await session.scalars(
        select(TimesheetEntry).where(
            TimesheetEntry.timesheet_id == line.timesheet_id,
            TimesheetEntry.revision == line.timesheet_revision,
        )
    )
    minutes: dict[uuid.UUID, int] = defaultdict(int)
    for entry in rows:
        if entry.member_id is not None:
            minutes[entry.member_id] += entry.minutes
    return minutes


async def _plan(
    session: AsyncSession,
    lines: list[ResultFigures],
    exported: dict[uuid.UUID, PayrollExportLine],
    where: list[list[str | int]],
) -> list[Planned]:
    employments = {
        e.id: e
        for e in await session.scalars(select(Employment).where(Employment.id.in_(list(exported))))
    }
    approved = {
        m.id: (m.approved_at or m.joined_at, str(m.id))
        for m in await session.scalars(
            select(Member)
            .join(TimesheetEntry, TimesheetEntry.member_id == Member.id)
            .where(TimesheetEntry.timesheet_id.in_([x.timesheet_id for x in exported.values()]))
        )
    }
    planned: list[Planned] = []
    errors: list[FieldError] = []
    for line, loc in zip(lines, where, strict=True):
        employment = employments[line.employment_id]
        export_line = exported[line.employment_id]
        if employment.employer_kind is EmployerKind.member and employment.employer_member_id:
            share = Share(employment.employer_member_id, export_line.minutes, line.cost_pence)
            planned.append(Planned(line, employment, [share]))
            continue
        minutes = await _minutes_by_member(session, export_line)
        members = sorted(minutes, key=lambda m: approved[m])
        if not members:
            if line.cost_pence:
                errors.append(
                    _line_error(
                        [*loc, "employment_id"],
                        "Nobody's hours are on this timesheet, so no member pays its cost.",
                        "Nid oes oriau neb ar y daflen amser hon, felly nid oes aelod yn talu.",
                    )
                )
            planned.append(Planned(line, employment, []))
            continue
        parts = split_pro_rata(line.cost_pence, [minutes[m] for m in members])
        shares = [Share(m, minutes[m], p) for m, p in zip(members, parts, strict=True)]
        planned.append(Planned(line, employment, shares))
    if errors:
        raise ValidationFailed(errors)
    return planned


def _transactions(planned: list[Planned]) -> list[tuple[uuid.UUID | None, dict[uuid.UUID, int]]]:
    """(employer member, or None for the co-op; what each member pays), holders' first in
    member id order, then the co-op's."""
    by_employer: dict[uuid.UUID | None, dict[uuid.UUID, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for plan in planned:
        for share in plan.shares:
            if share.amount_pence:
                by_employer[plan.employment.employer_member_id][share.member_id] += (
                    share.amount_pence
                )
    holders = sorted((k for k in by_employer if k is not None), key=str)
    order: list[uuid.UUID | None] = [*holders, *([None] if None in by_employer else [])]
    return [(employer, dict(by_employer[employer])) for employer in order]


async def post_results(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    *,
    period_start: date,
    lines: list[ResultFigures],
    where: list[list[str | int]],
    whole: list[str | int],
    now: datetime,
) -> PayrollResult:
    """Post the results, or raise and post nothing: 409 `period_not_exported`,
    `payroll_posted`, `insufficient_member_funds` (naming every member short); 422 for lines
    that are not exactly the export's employments. `where` is each line's `loc`, `whole`
    the `loc` of the lines together."""
    export = await find_export(session, member, period_start)
    if export is None:
        raise PeriodNotExported
    if await find_result(session, export) is not None:
        raise PayrollPosted
    exported = {
        line.employment_id: line
        for line in await session.scalars(
            select(PayrollExportLine).where(PayrollExportLine.export_id == export.id)
        )
    }
    _match_lines(lines, exported, where, whole)
    planned = await _plan(session, lines, exported, where)
    transactions = _transactions(planned)
    owed = [(m, p) for _, payers in transactions for m, p in payers.items()]
    codes = sorted({ledger.member_account(m) for m, _ in owed})
    accounts = await ledger.lock_accounts_if_open(
        session, coop_id=member.coop_id, codes=[*codes, ledger.PAYOUTS]
    )
    # A second import racing this one waited for the same accounts: it finds this one now.
    if await find_result(session, export) is not None:
        raise PayrollPosted
    short = ledger.member_shortfalls(accounts, owed)
    if short:
        raise await ledger.insufficient_member_funds(
            session, actor, coop_id=member.coop_id, short=short
        )
    posted: dict[uuid.UUID | None, uuid.UUID] = {}
    for employer, payers in transactions:
        total = sum(payers.values())
        memo = (
            f"Payroll, pay period from {period_start.isoformat()}"
            if employer is not None
            else f"Payroll of the co-op's employees, pay periods from {period_start.isoformat()}"
        )
        transaction = await ledger.post(
            session,
            actor,
            coop_id=member.coop_id,
            kind=TransactionKind.payroll,
            memo=memo,
            lines=[
                *(
                    ledger.Line(ledger.member_account(m), -p)
                    for m, p in sorted(payers.items(), key=lambda item: str(item[0]))
                ),
                ledger.Line(ledger.PAYOUTS, total),
            ],
            now=now,
        )
        posted[employer] = transaction.id
    result = PayrollResult(
        export_id=export.id, coop_id=member.coop_id, posted_at=now, posted_by_user_id=actor.user.id
    )
    session.add(result)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise PayrollPosted from None
    await _record(session, actor, member, result, planned, posted, export=export)
    return result


async def _record(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    result: PayrollResult,
    planned: list[Planned],
    posted: dict[uuid.UUID | None, uuid.UUID],
    *,
    export: PayrollExport,
) -> None:
    paid: dict[uuid.UUID, int] = defaultdict(int)
    for position, plan in enumerate(planned):
        figures = plan.figures
        line = PayrollResultLine(
            result_id=result.id,
            employment_id=figures.employment_id,
            position=position,
            gross_pence=figures.gross_pence,
            employer_ni_pence=figures.employer_ni_pence,
            employer_pension_pence=figures.employer_pension_pence,
            net_pence=figures.net_pence,
            cost_pence=figures.cost_pence,
            transaction_id=posted.get(plan.employment.employer_member_id)
            if figures.cost_pence
            else None,
        )
        session.add(line)
        await session.flush()
        session.add_all(
            PayrollShare(
                line_id=line.id,
                member_id=s.member_id,
                minutes=s.minutes,
                amount_pence=s.amount_pence,
            )
            for s in plan.shares
        )
        for share in plan.shares:
            paid[share.member_id] += share.amount_pence
    await session.flush()
    audit.record(
        session,
        actor,
        "payroll.posted",
        "payroll_result",
        result.id,
        coop_id=member.coop_id,
        data={
            "period_start": export.period_start.isoformat(),
            "transaction_ids": [str(t) for t in posted.values()],
            "cost_pence": sum(p.figures.cost_pence for p in planned),
        },
    )
    users = dict(
        (
            await session.execute(
                select(Member.id, Member.user_id).where(Member.id.in_(list(paid)))
            )
        ).all()
    )
    for member_id, pence in sorted(paid.items(), key=lambda item: str(item[0])):
        if pence:
            audit.record(
                session,
                actor,
                "payroll.member_charged",
                "payroll_result",
                result.id,
                coop_id=member.coop_id,
                data={"member_id": str(member_id), "amount_pence": pence},
                about=users[member_id],
            )
