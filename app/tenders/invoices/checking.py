"""What a member has still to check: invoices waiting for approval with a line of theirs
they have not agreed to (the dispute window's `agreed`, asked of the database)."""

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.tenders.invoices import window
from app.tenders.models import Invoice, InvoiceLine, InvoiceLineStatus, InvoiceStatus
from app.tenders.visits.models import Visit


async def to_check(session: AsyncSession, member_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """For each of `member_ids`, how many invoices still waiting for approval charge them a
    line they have not agreed to (`window.agreed`): neither accepted, nor billing only visits
    they or their representative confirmed. Those are the invoices a member has to check."""
    if not member_ids:
        return {}
    billed_visit = select(Visit.id).where(Visit.invoice_line_id == InvoiceLine.id)
    not_agreed_visit = billed_visit.where(
        or_(Visit.confirmed_by.is_(None), Visit.confirmed_by.not_in(window.AGREED_BY_MEMBER))
    )
    not_agreed_by_visits = or_(~billed_visit.exists(), not_agreed_visit.exists())
    rows = await session.execute(
        select(InvoiceLine.member_id, func.count(func.distinct(InvoiceLine.invoice_id)))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            InvoiceLine.member_id.in_(member_ids),
            Invoice.status == InvoiceStatus.submitted,
            InvoiceLine.status == InvoiceLineStatus.ok,
            InvoiceLine.accepted_at.is_(None),
            not_agreed_by_visits,
        )
        .group_by(InvoiceLine.member_id)
    )
    return {member_id: int(count) for member_id, count in rows.all()}
