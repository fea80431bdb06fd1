"""The co-op's invoices in one queue, for the treasurer's month end: every contract's, by
status; a member sees those that charge them, with their own lines only."""

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.coops.models import Member
from app.core.pagination import CursorPage, PageRequest, Sort, paginate
from app.tenders.contracts.service import ContractViewer
from app.tenders.invoices import service as invoices
from app.tenders.invoices.schemas import InvoiceRead
from app.tenders.models import Contract, Invoice, InvoiceLine, InvoiceStatus

NEWEST_FIRST = [Sort(Invoice.submitted_at, descending=True), Sort(Invoice.id, descending=True)]


def viewer(actor: Actor, member: Member) -> ContractViewer:
    """An administrator acting in person sees every line; anyone else (a representative
    included) what concerns the member."""
    is_admin = member.is_admin and not actor.is_representing
    return ContractViewer(is_admin=is_admin, is_staff=False, member=member)


def coop_invoices(
    coop_id: uuid.UUID, *, status: InvoiceStatus | None, member_id: uuid.UUID | None
) -> Select[Invoice]:
    stmt = (
        invoices.with_lines()
        .join(Contract, Contract.id == Invoice.contract_id)
        .where(Contract.coop_id == coop_id)
    )
    if status is not None:
        stmt = stmt.where(Invoice.status == status)
    if member_id is not None:
        stmt = stmt.where(
            Invoice.id.in_(select(InvoiceLine.invoice_id).where(InvoiceLine.member_id == member_id))
        )
    return stmt


async def page_of(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    page: PageRequest,
    *,
    status: InvoiceStatus | None,
) -> CursorPage[InvoiceRead]:
    seen_by = viewer(actor, member)
    member_id = None if seen_by.sees_everyone else member.id
    items, next_cursor = await paginate(
        session,
        coop_invoices(member.coop_id, status=status, member_id=member_id),
        page,
        order=NEWEST_FIRST,
        key=lambda i: (i.submitted_at, i.id),
    )
    contract_ids = {invoice.contract_id for invoice in items}
    contracts = {
        contract.id: contract
        for contract in (
            await session.scalars(select(Contract).where(Contract.id.in_(contract_ids)))
        ).all()
    }
    return CursorPage[InvoiceRead](
        items=[invoices.read(i, contracts[i.contract_id], seen_by) for i in items],
        next_cursor=next_cursor,
    )
