"""What still binds a member to the co-op's purchasing: asked before a member leaves."""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops.models import Member
from app.tenders.models import (
    CallOff,
    Contract,
    ContractStatus,
    Invoice,
    InvoiceLine,
    InvoiceLineStatus,
    InvoiceStatus,
)


async def commitments(session: AsyncSession, *, member: Member, today: date) -> list[str]:
    """What still binds a member, as short references (`"call_off:<id>"`,
    `"invoice_line:<id>"`): call-offs under a running contract that have not ended or whose
    last day is still to come (the provider may yet invoice it), and invoice lines that are
    charged to them and not yet paid. Empty when nothing does."""
    call_offs = (
        await session.scalars(
            select(CallOff.id)
            .join(Contract, Contract.id == CallOff.contract_id)
            .where(
                CallOff.member_id == member.id,
                Contract.status == ContractStatus.active,
                or_(CallOff.last_day.is_(None), CallOff.last_day >= today),
            )
            .order_by(CallOff.id)
        )
    ).all()
    unpaid = (
        await session.scalars(
            select(InvoiceLine.id)
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(
                InvoiceLine.member_id == member.id,
                InvoiceLine.status != InvoiceLineStatus.voided,
                Invoice.status != InvoiceStatus.paid,
            )
            .order_by(InvoiceLine.id)
        )
    ).all()
    return [f"call_off:{c}" for c in call_offs] + [f"invoice_line:{i}" for i in unpaid]
