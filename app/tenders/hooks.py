"""Where tenders take part in other domains' work: award votes and members leaving."""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops import service as coops
from app.coops.models import Member
from app.governance import service as governance
from app.governance.models import ProposalKind
from app.ledger import leaving
from app.tenders.award import service as award
from app.tenders.demand import service as demand
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
    """What still binds a member: call-offs under a running contract that have not ended or
    whose last day is still to come (the provider may yet invoice it), and invoice lines
    that are charged to them and not yet paid."""
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


def install() -> None:
    """Register the tenders' callbacks with the domains that call them (idempotent)."""
    governance.register_outcome_handler(ProposalKind.award_tender, award.on_award_vote)
    coops.register_on_leave(demand.withdraw_on_leaving)
    leaving.register_commitment_check(commitments)
