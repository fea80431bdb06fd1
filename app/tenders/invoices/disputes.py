"""Disputes and acceptances of invoice lines: the member disputes a line or accepts it, an
administrator settles a dispute.

A line is disputed once; an accepted line can no longer be disputed, and a representative
never accepts work they did themselves (`visits.decisions.own_work`). An upheld dispute
voids the line and rejects the visits it billed.
"""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.tenders.errors import InvalidInvoiceTransition
from app.tenders.invoices import service as invoices
from app.tenders.models import Contract, DisputeOutcome, Invoice, InvoiceLineStatus
from app.tenders.visits import decisions


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
    """The member disputes a line of an invoice not yet approved; once only, and not a line
    they have accepted."""
    invoice = await invoices.lock(session, invoice)
    line = next(line for line in invoice.lines if line.id == line_id)
    invoices.require_submitted(invoice)
    if line.accepted_at is not None:
        raise InvalidInvoiceTransition(status="accepted")
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
    """Settle a dispute: upheld voids the line (it is not charged) and rejects the visits it
    billed; rejected lets it stand."""
    invoice = await invoices.lock(session, invoice)
    line = next(line for line in invoice.lines if line.id == line_id)
    invoices.require_submitted(invoice)
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
    if outcome == DisputeOutcome.upheld:
        await decisions.reject_for_dispute(
            session, actor, line_id=line.id, coop_id=coop_id, note=note, now=now
        )
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


async def accept(
    session: AsyncSession,
    actor: Actor,
    invoice: Invoice,
    line_id: uuid.UUID,
    contract: Contract,
    *,
    now: datetime,
) -> Invoice:
    """The member agrees a line of an invoice not yet approved: it can no longer be disputed,
    and it no longer holds the dispute window open. Once only; not a disputed or voided
    line."""
    invoice = await invoices.lock(session, invoice)
    line = next(line for line in invoice.lines if line.id == line_id)
    invoices.require_submitted(invoice)
    await decisions.check_not_own_work(session, actor, contract, line.visits)
    if line.accepted_at is not None:
        raise InvalidInvoiceTransition(status="accepted")
    if line.status != InvoiceLineStatus.ok:
        raise InvalidInvoiceTransition(status=line.status.value)
    line.accepted_at = now
    line.accepted_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "invoice.line_accepted",
        "invoice",
        invoice.id,
        coop_id=contract.coop_id,
        data={"line_id": line.id, "member_id": line.member_id},
    )
    return invoice
