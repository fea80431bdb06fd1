"""The evidence pack: a member's statement with what stands behind each movement (the invoice,
provider and visits of a payment for care, the charge of a shared cost, the bank line), and
totals that add up to the penny.

The movements are the statement's own (`app.ledger.statements`), so the two never disagree.
"""

import uuid
from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.bank import service as bank
from app.coops.models import Coop, Member
from app.core.clock import local_date
from app.core.csv_answer import csv_text
from app.core.errors import must_exist
from app.core.schemas import clock_time_text
from app.direct_payments import service as direct_payments
from app.employment import service as employment
from app.employment.models import Worker
from app.evidence.schemas import (
    EvidenceRead,
    EvidenceTotals,
    MovementEvidenceRead,
    PayrollEvidenceRead,
    VisitEvidenceRead,
)
from app.ledger import statements
from app.ledger.models import LedgerTransaction
from app.support.models import SupportCharge
from app.tenders import care

# Which total each kind of movement on a member's account counts in (a reversal counts with
# the kind it reverses). `payroll` is the kind the payroll results post (SPEC section 25).
TOTAL_OF_KIND: dict[str, str] = {
    "contribution": "contributions",
    "invoice_approval": "care",
    "support_charge": "shared_charges",
    "payroll": "payroll",
    "refund": "refunds",
    "leaving_refund": "refunds",
}


async def _counted_kinds(
    session: AsyncSession, transaction_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Each transaction's kind as the totals count it: a reversal's is the original's."""
    if not transaction_ids:
        return {}
    original = aliased(LedgerTransaction)
    rows = await session.execute(
        select(LedgerTransaction.id, func.coalesce(original.kind, LedgerTransaction.kind))
        .outerjoin(original, original.id == LedgerTransaction.reverses_id)
        .where(LedgerTransaction.id.in_(list(transaction_ids)))
    )
    return {transaction_id: str(kind) for transaction_id, kind in rows.all()}


async def _charges_of(
    session: AsyncSession, transaction_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The shared support charge each transaction posted (or, reversing one, took back)."""
    if not transaction_ids:
        return {}
    original = aliased(LedgerTransaction)
    rows = await session.execute(
        select(LedgerTransaction.id, SupportCharge.id)
        .outerjoin(original, original.id == LedgerTransaction.reverses_id)
        .join(
            SupportCharge,
            SupportCharge.transaction_id == func.coalesce(original.id, LedgerTransaction.id),
        )
        .where(LedgerTransaction.id.in_(list(transaction_ids)))
    )
    found: dict[uuid.UUID, uuid.UUID] = dict(rows.all())
    return found


def totals_of(amounts: list[tuple[str, int]]) -> EvidenceTotals:
    """(counted kind, amount into the account) per movement -> the totals, each as money
    spent or paid in (positive)."""
    sums: dict[str, int] = defaultdict(int)
    for kind, amount in amounts:
        sums[must_exist(TOTAL_OF_KIND.get(kind), f"a total for {kind} movements")] += amount
    return EvidenceTotals(
        contributions_pence=sums["contributions"],
        care_total_pence=-sums["care"],
        shared_charges_pence=-sums["shared_charges"],
        payroll_pence=-sums["payroll"],
        refunds_pence=-sums["refunds"],
    )


async def evidence_pack(
    session: AsyncSession,
    member: Member,
    *,
    from_date: date | None,
    to_date: date | None,
    now: datetime,
) -> EvidenceRead:
    """The member's evidence from `from_date` (default: the account opened) to `to_date`
    (default: today), both inclusive, days in Wales."""
    read = await statements.statement(
        session, member, from_date=from_date, to_date=to_date, now=now
    )
    ids = [m.transaction_id for m in read.movements]
    kinds = await _counted_kinds(session, ids)
    paid = await care.care_paid_by(session, ids)
    billed = await care.visits_billed(
        session,
        member_id=member.id,
        invoice_ids={p.invoice_id for p in paid.values() if p.approves and p.invoice_id},
    )
    charges = await _charges_of(session, ids)
    bank_lines = await bank.bank_lines_for_transactions(session, ids)
    payroll = await employment.payroll_lines_of(session, ids)
    worker_ids = {line.worker_id for lines in payroll.values() for line in lines}
    worker_names: dict[uuid.UUID, str] = {}
    if worker_ids:
        named = await session.execute(
            select(Worker.id, Worker.full_name).where(Worker.id.in_(worker_ids))
        )
        worker_names = {row.id: row.full_name for row in named}
    movements = []
    for movement in read.movements:
        care_paid = paid.get(movement.transaction_id)
        visits = (
            billed.get(care_paid.invoice_id, [])
            if care_paid is not None and care_paid.approves and care_paid.invoice_id
            else []
        )
        movements.append(
            MovementEvidenceRead(
                transaction_id=movement.transaction_id,
                at=movement.at,
                kind=movement.kind,
                source=movement.source,
                amount_pence=movement.amount_pence,
                memo=movement.memo,
                invoice_id=care_paid.invoice_id if care_paid else None,
                provider_name=care_paid.provider_name if care_paid else None,
                visits=[
                    VisitEvidenceRead(
                        date=visit.date,
                        start_time=visit.start_time,
                        end_time=visit.end_time,
                        minutes=visit.minutes,
                        worker_name=visit.worker_name,
                        confirmed_by=visit.confirmed_by,
                    )
                    for visit in visits
                ],
                charge_id=charges.get(movement.transaction_id),
                bank_line_id=bank_lines.get(movement.transaction_id),
                payroll_lines=[
                    PayrollEvidenceRead(
                        employment_id=line.employment_id,
                        worker_name=worker_names.get(line.worker_id, ""),
                        period_start=line.period_start,
                        period_end=line.period_end,
                        minutes=line.minutes,
                        gross_pence=line.gross_pence,
                        employer_ni_pence=line.employer_ni_pence,
                        employer_pension_pence=line.employer_pension_pence,
                        share_pence=line.shares.get(member.id, 0),
                    )
                    for line in payroll.get(movement.transaction_id, [])
                ],
            )
        )
    totals = totals_of([(kinds[m.transaction_id], m.amount_pence) for m in read.movements])
    award = await direct_payments.latest_in_force_between(
        session, member.user_id, first=read.from_date, last=read.to_date
    )
    names = (
        await session.execute(
            select(User.full_name, Coop.name)
            .select_from(Member)
            .join(User, User.id == Member.user_id)
            .join(Coop, Coop.id == Member.coop_id)
            .where(Member.id == member.id)
        )
    ).one()
    return EvidenceRead(
        member_id=member.id,
        holder_name=names[0],
        council_reference=award.council_reference if award else None,
        coop_name=names[1],
        from_date=read.from_date,
        to_date=read.to_date,
        opening_balance_pence=read.opening_balance_pence,
        movements=movements,
        closing_balance_pence=read.closing_balance_pence,
        totals=totals,
    )


CSV_COLUMNS = (
    "row",
    "transaction_id",
    "date",
    "kind",
    "source",
    "amount_pence",
    "balance_pence",
    "memo",
    "invoice_id",
    "provider_name",
    "charge_id",
    "bank_line_id",
    "visit_date",
    "start_time",
    "end_time",
    "minutes",
    "worker_name",
    "confirmed_by",
    "employment_id",
    "period_start",
    "period_end",
    "share_pence",
)


def to_csv(read: EvidenceRead) -> str:
    """One `movement` row per movement (with the running balance), then one `visit` row per
    visit, each naming the movement and invoice it stands behind, then one `payroll` row per
    payroll line (its worker, minutes, pay period and the member's share); UTF-8."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    balance = read.opening_balance_pence
    for m in read.movements:
        balance += m.amount_pence
        rows.append(
            [
                "movement",
                m.transaction_id,
                local_date(m.at),
                m.kind.value,
                m.source.value if m.source else "",
                m.amount_pence,
                balance,
                m.memo,
                m.invoice_id,
                m.provider_name,
                m.charge_id,
                m.bank_line_id,
                *[""] * 10,
            ]
        )
    for m in read.movements:
        rows.extend(
            [
                "visit",
                m.transaction_id,
                local_date(m.at),
                m.kind.value,
                *[""] * 4,
                m.invoice_id,
                m.provider_name,
                "",
                "",
                visit.date,
                clock_time_text(visit.start_time),
                clock_time_text(visit.end_time),
                visit.minutes,
                visit.worker_name,
                visit.confirmed_by.value if visit.confirmed_by else "",
                *[""] * 4,
            ]
            for visit in m.visits
        )
    for m in read.movements:
        rows.extend(
            [
                "payroll",
                m.transaction_id,
                local_date(m.at),
                m.kind.value,
                *[""] * 8,
                "",
                "",
                "",
                line.minutes,
                line.worker_name,
                "",
                line.employment_id,
                line.period_start,
                line.period_end,
                line.share_pence,
            ]
            for line in m.payroll_lines
        )
    return csv_text(rows)
