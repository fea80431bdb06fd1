"""Invoices under a contract: submission within the call-off limits (see `limits`), disputes,
approval into the ledger, payment."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.audit import service as audit
from app.auth.actor import Actor
from app.core.clock import local_date
from app.core.errors import must_exist
from app.ledger import service as ledger
from app.ledger.models import TransactionKind
from app.notifications.events import Event, EventType, Members
from app.notifications.service import notify
from app.tenders.contracts import service as contracts
from app.tenders.contracts import variations
from app.tenders.contracts.service import ContractViewer
from app.tenders.errors import (
    BeyondCallOff,
    InvalidInvoiceTransition,
    InvoiceDisputed,
    InvoiceLineNotFound,
    NoCallOff,
    PeriodSpansVariation,
    VariationPending,
)
from app.tenders.invoices import pricing
from app.tenders.invoices.limits import allowance_minutes, check_period, overlapping_minutes
from app.tenders.invoices.schemas import InvoiceLineCreate, InvoiceLineRead, InvoiceRead
from app.tenders.models import (
    Contract,
    DisputeOutcome,
    Invoice,
    InvoiceLine,
    InvoiceLineStatus,
    InvoiceStatus,
)
from app.tenders.ocds import service as ocds


async def submit(
    session: AsyncSession,
    actor: Actor,
    contract: Contract,
    *,
    period_start: date,
    period_end: date,
    lines: Sequence[InvoiceLineCreate],
    now: datetime,
) -> Invoice:
    """The provider's invoice; each line within the member's call-off (422 otherwise). A
    call-off that has ended covers the days up to its last day only, so an ended contract
    may still be invoiced for care up to its last day.

    Lines are priced by the rate in force over the period (`pricing`): a hand-typed line
    states no days, so its period may not span a change of rate (`PeriodSpansVariation`), and
    care from the first day of a rate still being voted on waits for the vote
    (`VariationPending`).

    The contract's row is locked first, so two invoices for one contract are checked against
    the call-offs one after the other and cannot both use the same minutes; a variation takes
    the same lock, so the rates cannot change under an invoice being priced.
    """
    contract = await contracts.lock(session, contract)
    check_period(contract, period_start, period_end, today=local_date(now))
    varied = (await variations.variations_of(session, [contract.id])).get(contract.id, [])
    waiting = variations.pending(varied)
    if waiting is not None and period_end >= waiting.from_date:
        raise VariationPending(from_date=waiting.from_date.isoformat())
    schedule = variations.schedule_of(contract, varied)
    spanned = schedule.changes_within(period_start, period_end)
    if spanned:
        days = [d.isoformat() for d in spanned]
        raise PeriodSpansVariation(from_dates=", ".join(days), extra={"from_dates": days})
    called_off = {
        c.member_id: c for c in contract.call_offs if contracts.running_on(c, period_start)
    }
    without = list(
        dict.fromkeys(line.member_id for line in lines if line.member_id not in called_off)
    )
    if without:
        raise NoCallOff(extra={"members": [str(m) for m in without]})
    wanted: dict[uuid.UUID, int] = defaultdict(int)
    for line in lines:
        wanted[line.member_id] += line.minutes
    rows = await session.execute(
        overlapping_minutes(contract.id, list(wanted), period_start, period_end)
    )
    used: dict[uuid.UUID, int] = {member_id: int(minutes) for member_id, minutes in rows.all()}
    beyond = [
        member_id
        for member_id, minutes in wanted.items()
        if used.get(member_id, 0) + minutes
        > allowance_minutes(
            called_off[member_id].hours_per_week,
            period_start,
            min(period_end, called_off[member_id].last_day or period_end),
        )
    ]
    if beyond:
        raise BeyondCallOff(extra={"members": [str(m) for m in beyond]})
    invoice = Invoice(
        contract_id=contract.id,
        period_start=period_start,
        period_end=period_end,
        status=InvoiceStatus.submitted,
        submitted_at=now,
        submitted_by_user_id=actor.user.id,
    )
    invoice.lines = [
        InvoiceLine(
            position=position,
            member_id=line.member_id,
            minutes=line.minutes,
            description=line.description,
            # Within the period the rate does not change: the minutes are priced as on its
            # first day. (Lines built from dated visits give their own days.)
            amount_pence=pricing.price({period_start: line.minutes}, schedule),
            status=InvoiceLineStatus.ok,
        )
        for position, line in enumerate(lines, start=1)
    ]
    session.add(invoice)
    await session.flush()
    audit.record(
        session,
        actor,
        "invoice.submitted",
        "invoice",
        invoice.id,
        coop_id=contract.coop_id,
        data={"contract_id": contract.id, "total_pence": invoice.total_pence, "lines": len(lines)},
    )
    await notify(session, _event(EventType.invoice_submitted, invoice, contract, now))
    return invoice


def _event(type_: EventType, invoice: Invoice, contract: Contract, at: datetime) -> Event:
    """For each member with a line on it (voided lines aside), and their representatives
    with `view`."""
    members = [line.member_id for line in invoice.lines if line.status != InvoiceLineStatus.voided]
    return Event(
        type=type_,
        subject_type="invoice",
        subject_id=invoice.id,
        at=at,
        coop_id=contract.coop_id,
        recipients=[Members(list(dict.fromkeys(members)))],
        params={
            "period_start_on": invoice.period_start.isoformat(),
            "period_end_on": invoice.period_end.isoformat(),
        },
    )


def with_lines() -> Select[Invoice]:
    return select(Invoice).options(selectinload(Invoice.lines))


async def get_invoice(
    session: AsyncSession, invoice_id: uuid.UUID, *, lock: bool = False
) -> Invoice | None:
    stmt = with_lines().where(Invoice.id == invoice_id)
    if lock:
        stmt = stmt.with_for_update(of=Invoice).execution_options(populate_existing=True)
    invoice: Invoice | None = await session.scalar(stmt)
    return invoice


def invoices_of(contract_id: uuid.UUID, *, member_id: uuid.UUID | None) -> Select[Invoice]:
    """A contract's invoices; for a member, those with a line of theirs."""
    stmt = with_lines().where(Invoice.contract_id == contract_id)
    if member_id is not None:
        stmt = stmt.where(
            Invoice.id.in_(select(InvoiceLine.invoice_id).where(InvoiceLine.member_id == member_id))
        )
    return stmt


def read(invoice: Invoice, contract: Contract, seen_by: ContractViewer) -> InvoiceRead:
    """The whole invoice, or for a member only their own lines and what those come to; the
    provider named as when the contract was signed."""
    lines = [line for line in invoice.lines if seen_by.sees(line.member_id)]
    return InvoiceRead(
        id=invoice.id,
        contract_id=invoice.contract_id,
        provider_name=contract.provider_name,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        status=invoice.status,
        total_pence=sum(
            line.amount_pence for line in lines if line.status != InvoiceLineStatus.voided
        ),
        lines=[InvoiceLineRead.model_validate(line) for line in lines],
    )


def visible_line(invoice: Invoice, line_id: uuid.UUID, seen_by: ContractViewer) -> InvoiceLine:
    line = next((line for line in invoice.lines if line.id == line_id), None)
    if line is None or not seen_by.sees(line.member_id):
        raise InvoiceLineNotFound
    return line


async def _lock(session: AsyncSession, invoice: Invoice) -> Invoice:
    """The invoice read afresh under a row lock: changes to one invoice happen one at a time."""
    locked = await get_invoice(session, invoice.id, lock=True)
    locked = must_exist(locked, "invoices are never deleted")
    return locked


def _require_submitted(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.submitted:
        raise InvalidInvoiceTransition(status=invoice.status.value)


async def dispute(
    session: AsyncSession,
    actor: Actor,
    invoice: Invoice,
    line_id: uuid.UUID,
    coop_id: uuid.UUID,
    *,
    reason: str,
    now: datetime,
) -> Invoice:
    """The member disputes a line of an invoice not yet approved; once only."""
    invoice = await _lock(session, invoice)
    line = next(line for line in invoice.lines if line.id == line_id)
    _require_submitted(invoice)
    if line.status != InvoiceLineStatus.ok or line.outcome is not None:
        raise InvalidInvoiceTransition(status=line.status.value)
    line.status = InvoiceLineStatus.disputed
    line.dispute_reason = reason
    line.disputed_at = now
    line.disputed_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "invoice.line_disputed",
        "invoice",
        invoice.id,
        coop_id=coop_id,
        data={"line_id": line.id, "member_id": line.member_id},
    )
    return invoice


async def resolve(
    session: AsyncSession,
    actor: Actor,
    invoice: Invoice,
    line_id: uuid.UUID,
    coop_id: uuid.UUID,
    *,
    outcome: DisputeOutcome,
    note: str,
    now: datetime,
) -> Invoice:
    """Settle a dispute: upheld voids the line (it is not charged), rejected lets it stand."""
    invoice = await _lock(session, invoice)
    line = next(line for line in invoice.lines if line.id == line_id)
    _require_submitted(invoice)
    if line.status != InvoiceLineStatus.disputed:
        raise InvalidInvoiceTransition(status=line.status.value)
    line.status = (
        InvoiceLineStatus.voided if outcome == DisputeOutcome.upheld else InvoiceLineStatus.ok
    )
    line.outcome = outcome
    line.resolution_note = note
    line.resolved_at = now
    line.resolved_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "invoice.line_resolved",
        "invoice",
        invoice.id,
        coop_id=coop_id,
        data={"line_id": line.id, "outcome": outcome, "amount_pence": line.amount_pence},
    )
    return invoice


def _memo(action_en: str, action_cy: str, invoice: Invoice, contract: Contract) -> str:
    """What statements show: the period and the provider, named as when it was contracted."""
    period = f"{invoice.period_start.isoformat()}..{invoice.period_end.isoformat()}"
    name = contract.provider_name
    return f"Invoice {period} from {name} {action_en} / Anfoneb {period} gan {name} {action_cy}"


async def approve(
    session: AsyncSession, actor: Actor, invoice: Invoice, contract: Contract, *, now: datetime
) -> Invoice:
    """Charge every line not voided to its member, paid to the provider, in one ledger
    transaction; a member without enough money refuses the whole invoice, naming them."""
    invoice = await _lock(session, invoice)
    _require_submitted(invoice)
    if any(line.status == InvoiceLineStatus.disputed for line in invoice.lines):
        raise InvoiceDisputed
    owed: dict[uuid.UUID, int] = defaultdict(int)
    for line in invoice.lines:
        if line.status == InvoiceLineStatus.ok and line.amount_pence:
            owed[line.member_id] += line.amount_pence
    if owed:
        provider = ledger.provider_account(contract.provider_id)
        postings = [ledger.Line(ledger.member_account(m), -amount) for m, amount in owed.items()]
        postings.append(ledger.Line(provider, sum(owed.values())))
        accounts = await ledger.lock_accounts(
            session, coop_id=contract.coop_id, codes=[p.account for p in postings]
        )
        short = ledger.member_shortfalls(accounts, owed.items())
        if short:
            raise await ledger.insufficient_member_funds(
                session, actor, coop_id=contract.coop_id, short=short
            )
        transaction = await ledger.post(
            session,
            actor,
            coop_id=contract.coop_id,
            kind=TransactionKind.invoice_approval,
            memo=_memo("approved", "wedi'i chymeradwyo", invoice, contract),
            lines=postings,
            now=now,
        )
        invoice.approval_transaction_id = transaction.id
    invoice.status = InvoiceStatus.approved
    invoice.approved_at = now
    await session.flush()
    audit.record(
        session,
        actor,
        "invoice.approved",
        "invoice",
        invoice.id,
        coop_id=contract.coop_id,
        data={
            "total_pence": invoice.total_pence,
            "transaction_id": invoice.approval_transaction_id,
        },
    )
    await notify(session, _event(EventType.invoice_approved, invoice, contract, now))
    return invoice


async def pay(
    session: AsyncSession, actor: Actor, invoice: Invoice, contract: Contract, *, now: datetime
) -> Invoice:
    """Pay the provider what the approved invoice credited to it."""
    invoice = await _lock(session, invoice)
    if invoice.status != InvoiceStatus.approved:
        raise InvalidInvoiceTransition(status=invoice.status.value)
    total = invoice.total_pence
    if total:
        transaction = await ledger.post(
            session,
            actor,
            coop_id=contract.coop_id,
            kind=TransactionKind.invoice_payment,
            memo=_memo("paid", "wedi'i thalu", invoice, contract),
            lines=[
                ledger.Line(ledger.provider_account(contract.provider_id), -total),
                ledger.Line(ledger.PAYOUTS, total),
            ],
            now=now,
        )
        invoice.payment_transaction_id = transaction.id
    invoice.status = InvoiceStatus.paid
    invoice.paid_at = now
    await session.flush()
    audit.record(
        session,
        actor,
        "invoice.paid",
        "invoice",
        invoice.id,
        coop_id=contract.coop_id,
        data={"total_pence": total, "transaction_id": invoice.payment_transaction_id},
    )
    await ocds.record_release(session, ocds.InvoicePaid(invoice.id), at=now)
    return invoice
