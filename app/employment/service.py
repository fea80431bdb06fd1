"""What other domains and the workflows ask of employment: who works for a holder, what a
payroll transaction paid for, and a posted payroll as read back."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops.models import Member
from app.employment.errors import PayrollResultNotFound
from app.employment.exports import find_export
from app.employment.models import (
    Employment,
    PayrollExport,
    PayrollExportLine,
    PayrollResult,
    PayrollResultLine,
    PayrollShare,
)
from app.employment.results import find_result
from app.employment.schemas import PayrollResultRead, ResultLineRead, ShareRead
from app.employment.workers_for import WorkerFor, workers_employed_for

__all__ = ["PayrollLine", "WorkerFor", "workers_employed_for"]


@dataclass(frozen=True, slots=True)
class PayrollLine:
    """One employment's line of a posted payroll, with what each member paid of its cost
    (`shares`: member id -> pence)."""

    employment_id: uuid.UUID
    worker_id: uuid.UUID
    period_start: date
    period_end: date
    minutes: int
    gross_pence: int
    employer_ni_pence: int
    employer_pension_pence: int
    cost_pence: int
    shares: dict[uuid.UUID, int]


async def payroll_lines_of(
    session: AsyncSession, transaction_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[PayrollLine]]:
    """For each `payroll` ledger transaction among these, the lines it paid for, each with
    every member's share (`shares`: member id -> pence); others are absent."""
    if not transaction_ids:
        return {}
    rows = await session.execute(
        select(PayrollResultLine, PayrollExportLine, PayrollExport, Employment.worker_id)
        .join(PayrollResult, PayrollResult.id == PayrollResultLine.result_id)
        .join(PayrollExport, PayrollExport.id == PayrollResult.export_id)
        .join(
            PayrollExportLine,
            (PayrollExportLine.export_id == PayrollExport.id)
            & (PayrollExportLine.employment_id == PayrollResultLine.employment_id),
        )
        .join(Employment, Employment.id == PayrollResultLine.employment_id)
        .where(PayrollResultLine.transaction_id.in_(transaction_ids))
        .order_by(PayrollResultLine.result_id, PayrollResultLine.position)
    )
    found = rows.all()
    shares = await _shares(session, [line.id for line, *_ in found])
    lines: dict[uuid.UUID, list[PayrollLine]] = defaultdict(list)
    for line, exported, export, worker_id in found:
        if line.transaction_id is None:
            continue
        lines[line.transaction_id].append(
            PayrollLine(
                employment_id=line.employment_id,
                worker_id=worker_id,
                period_start=export.period_start,
                period_end=exported.period_end,
                minutes=exported.minutes,
                gross_pence=line.gross_pence,
                employer_ni_pence=line.employer_ni_pence,
                employer_pension_pence=line.employer_pension_pence,
                cost_pence=line.cost_pence,
                shares={s.member_id: s.amount_pence for s in shares[line.id]},
            )
        )
    return dict(lines)


async def _shares(
    session: AsyncSession, line_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[PayrollShare]]:
    found: dict[uuid.UUID, list[PayrollShare]] = {line_id: [] for line_id in line_ids}
    if line_ids:
        for share in await session.scalars(
            select(PayrollShare)
            .where(PayrollShare.line_id.in_(line_ids))
            .order_by(PayrollShare.line_id, PayrollShare.member_id)
        ):
            found[share.line_id].append(share)
    return found


async def result_read(
    session: AsyncSession, result: PayrollResult, export: PayrollExport
) -> PayrollResultRead:
    lines = list(
        await session.scalars(
            select(PayrollResultLine)
            .where(PayrollResultLine.result_id == result.id)
            .order_by(PayrollResultLine.position)
        )
    )
    shares = await _shares(session, [line.id for line in lines])
    transaction_ids: list[uuid.UUID] = []
    for line in lines:
        if line.transaction_id is not None and line.transaction_id not in transaction_ids:
            transaction_ids.append(line.transaction_id)
    return PayrollResultRead(
        id=result.id,
        coop_id=result.coop_id,
        period_start=export.period_start,
        posted_at=result.posted_at,
        transaction_ids=transaction_ids,
        lines=[
            ResultLineRead(
                employment_id=line.employment_id,
                gross_pence=line.gross_pence,
                employer_ni_pence=line.employer_ni_pence,
                employer_pension_pence=line.employer_pension_pence,
                net_pence=line.net_pence,
                cost_pence=line.cost_pence,
                transaction_id=line.transaction_id,
                shares=[
                    ShareRead(member_id=s.member_id, minutes=s.minutes, amount_pence=s.amount_pence)
                    for s in shares[line.id]
                ],
            )
            for line in lines
        ],
    )


async def read_result(
    session: AsyncSession, member: Member, period_start: date
) -> PayrollResultRead:
    """The posted results of the export for `period_start`, or 404."""
    export = await find_export(session, member, period_start)
    result = await find_result(session, export) if export is not None else None
    if export is None or result is None:
        raise PayrollResultNotFound
    return await result_read(session, result, export)
