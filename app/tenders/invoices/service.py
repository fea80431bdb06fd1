"""Invoices under a contract: submission within the call-off limits (see `limits`), from
lines typed by hand or from visits (see `building`), approval into the ledger once the
dispute window allows (see `window`), payment. Disputes and acceptances are `disputes`."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import service as coops
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
from app.tenders.invoices import building, pricing, window
from app.tenders.invoices.building import PlannedLine
from app.tenders.invoices.errors import DisputeWindowOpen
from app.tenders.invoices.limits import allowance_minutes, check_period, overlapping_minutes
from app.tenders.invoices.schemas import InvoiceCreate, InvoiceLineRead, InvoiceRead
from app.tenders.models import (
    Contract,
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
    body: InvoiceCreate,
    *,
    now: datetime,
) -> Invoice:
    """The provider's invoice: lines typed by hand, or built from the period's confirmed
    visits (`building`); each line within the member's call-off (422 otherwise). A call-off
    that has ended covers the days up to its last day only, so an ended contract may still be
    invoiced for care up to its last day.

    Lines from visits are priced by the day of each visit at the rate in force then; a line
    typed by hand without visits states no days, so its period may not span a change of rate
    (`PeriodSpansVariation`). Care from the first day of a rate still being voted on waits
    for the vote (`VariationPending`).

    The contract's row is locked first, so two invoices for one contract are checked against
    the call-offs (and take visits) one after the other and cannot both use the same minutes
    or the same visit; a variation takes the same lock, so the rates cannot change under an
    invoice being priced.
    """
    building.check_body(body)
    period_start, period_end = body.period_start, body.period_end
    contract = await contracts.lock(session, contract)
    check_period(contract, period_start, period_end, today=local_date(now))
    varied = (await variations.variations_of(session, [contract.id])).get(contract.id, [])
    waiting = variations.pending(varied)
    if waiting is not None and period_end >= waiting.from_date:
        raise VariationPending(from_date=waiting.from_date.isoformat())
    coop = must_exist(await coops.find_coop(session, contract.coop_id), "a contract's co-op")
    if body.from_visits:
        lines = await building.from_visits(
            session, contract, coop, period_start=period_start, period_end=period_end, now=now
        )
    else:
        lines = await building.typed(
            session,
            contract,
            coop,
            body.lines or [],
            period_start=period_start,
            period_end=period_end,
            now=now,
        )
    schedule = variations.schedule_of(contract, varied)
    spanned = schedule.changes_within(period_start, period_end)
    if spanned and any(not line.visits for line in lines):
        days = [d.isoformat() for d in spanned]
        raise PeriodSpansVariation(from_dates=", ".join(days), extra={"from_dates": days})
    _check_call_offs(contract, lines, period_start)
    await _check_allowances(session, contract, lines, period_start, period_end)
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
            # Within the period of a line typed by hand the rate does not change: its minutes
            # are priced as on its first day.
            amount_pence=pricing.price(
                line.minutes_by_day() if line.visits else {period_start: line.minutes}, schedule
            ),
            status=InvoiceLineStatus.ok,
        )
        for position, line in enumerate(lines, start=1)
    ]
    session.add(invoice)
    await session.flush()
    for row, line in zip(invoice.lines, lines, strict=True):
        await building.attach(session, row.id, line.visits)
    audit.record(
        session,
        actor,
        "invoice.submitted",
        "invoice",
        invoice.id,
        coop_id=contract.coop_id,
        data={
            "contract_id": contract.id,
            "total_pence": invoice.total_pence,
            "lines": len(lines),
            "visits": sum(len(line.visits) for line in lines),
        },
    )
    await notify(session, _event(EventType.invoice_submitted, invoice, contract, now))
    return must_exist(await get_invoice(session, invoice.id, lock=False, fresh=True), "just made")


def _check_call_offs(contract: Contract, lines: Sequence[PlannedLine], period_start: date) -> None:
    """Every line for a member with a call-off running when the period begins (422
    `no_call_off`, naming the `members`)."""
    called_off = {c.member_id for c in contract.call_offs if contracts.running_on(c, period_start)}
    without = list(
        dict.fromkeys(line.member_id for line in lines if line.member_id not in called_off)
    )
    if without:
        raise NoCallOff(extra={"members": [str(m) for m in without]})


async def _check_allowances(
    session: AsyncSession,
    contract: Contract,
    lines: Sequence[PlannedLine],
    period_start: date,
    period_end: date,
) -> None:
    """Every member's lines, with those already invoiced for overlapping periods, within
    their call-off (422 `beyond_call_off`)."""
    called_off = {c.member_id: c for c in contract.call_offs}
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
    """Invoices with their lines, and the visits each line bills."""
    return select(Invoice).options(selectinload(Invoice.lines).selectinload(InvoiceLine.visits))


async def get_invoice(
    session: AsyncSession, invoice_id: uuid.UUID, *, lock: bool = False, fresh: bool = False
) -> Invoice | None:
    """The invoice; under its row lock, or read afresh, its lines and visits as they are now."""
    stmt = with_lines().where(Invoice.id == invoice_id)
    if lock:
        stmt = stmt.with_for_update(of=Invoice)
    if lock or fresh:
        stmt = stmt.execution_options(populate_existing=True)
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


async def lock(session: AsyncSession, invoice: Invoice) -> Invoice:
    """The invoice read afresh under a row lock: changes to one invoice happen one at a time."""
    locked = await get_invoice(session, invoice.id, lock=True)
    locked = must_exist(locked, "invoices are never deleted")
    return locked


def require_submitted(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.submitted:
        raise InvalidInvoiceTransition(status=invoice.status.value)


def _memo(action_en: str, action_cy: str, invoice: Invoice, contract: Contract) -> str:
    """What statements show: the period and the provider, named as when it was contracted."""
    period = f"{invoice.period_start.isoformat()}..{invoice.period_end.isoformat()}"
    name = contract.provider_name
    return f"Invoice {period} from {name} {action_en} / Anfoneb {period} gan {name} {action_cy}"


async def approve(
    session: AsyncSession, actor: Actor, invoice: Invoice, contract: Contract, *, now: datetime
) -> Invoice:
    """Charge every line not voided to its member, paid to the provider, in one ledger
    transaction; a member without enough money refuses the whole invoice, naming them.

    Not before the dispute window has passed (`window`), unless the members have agreed to
    everything on it."""
    invoice = await lock(session, invoice)
    require_submitted(invoice)
    if any(line.status == InvoiceLineStatus.disputed for line in invoice.lines):
        raise InvoiceDisputed
    coop = must_exist(await coops.find_coop(session, contract.coop_id), "a contract's co-op")
    opens_at = window.opens_at(invoice, coop.invoice_dispute_days)
    if now < opens_at and not window.lifted(invoice):
        raise DisputeWindowOpen(
            opens_at=opens_at.isoformat(), extra={"opens_at": opens_at.isoformat()}
        )
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
    invoice = await lock(session, invoice)
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
