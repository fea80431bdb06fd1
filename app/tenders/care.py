"""The care behind a member's payment: which invoice a ledger transaction approved, the
provider as contracted, and the visits on the member's lines of it.

Statements, returns and the councils' evidence name the invoice and provider of each care
movement from here, so the three cannot disagree.
"""

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.ledger.models import (
    AccountKind,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
    TransactionKind,
)
from app.providers.models import Provider
from app.tenders.models import Contract, Invoice, InvoiceLine, InvoiceLineStatus
from app.tenders.visits.models import Visit, VisitStatus


@dataclass(frozen=True, slots=True)
class CarePaid:
    """What one transaction paid a provider for (or, for a reversal, took back)."""

    # Null only for care posted without an invoice (never by the invoices' own approval).
    invoice_id: uuid.UUID | None
    # The name the contract was signed under (the provider's own without an invoice), as the
    # DP return's care bought names providers.
    provider_name: str | None
    # True for the approval itself; False for a reversal of it.
    approves: bool


async def care_paid_by(
    session: AsyncSession, transaction_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, CarePaid]:
    """For each of these transactions that bought care (an invoice approval, or a reversal of
    one), its invoice and provider; other transactions are left out."""
    if not transaction_ids:
        return {}
    original = aliased(LedgerTransaction)
    provider_side = aliased(LedgerPosting)
    provider_account = aliased(LedgerAccount)
    rows = await session.execute(
        select(
            LedgerTransaction.id,
            original.id,
            Invoice.id,
            func.coalesce(Contract.provider_name, Provider.name),
        )
        .select_from(LedgerTransaction)
        .outerjoin(original, original.id == LedgerTransaction.reverses_id)
        .join(provider_side, provider_side.transaction_id == LedgerTransaction.id)
        .join(
            provider_account,
            (provider_account.id == provider_side.account_id)
            & (provider_account.kind == AccountKind.provider),
        )
        .outerjoin(Provider, Provider.id == provider_account.provider_id)
        .outerjoin(
            Invoice,
            Invoice.approval_transaction_id == func.coalesce(original.id, LedgerTransaction.id),
        )
        .outerjoin(Contract, Contract.id == Invoice.contract_id)
        .where(
            LedgerTransaction.id.in_(list(transaction_ids)),
            func.coalesce(original.kind, LedgerTransaction.kind)
            == TransactionKind.invoice_approval,
        )
    )
    return {
        transaction_id: CarePaid(
            invoice_id=invoice_id, provider_name=provider_name, approves=reversed_id is None
        )
        for transaction_id, reversed_id, invoice_id, provider_name in rows.all()
    }


async def visits_billed(
    session: AsyncSession, *, member_id: uuid.UUID, invoice_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[Visit]]:
    """For each invoice, the visits on the member's lines of it that were charged (only lines
    in order are charged at approval; a rejected visit counts for nothing), in the order they happened."""
    if not invoice_ids:
        return {}
    rows = await session.execute(
        select(InvoiceLine.invoice_id, Visit)
        .join(InvoiceLine, InvoiceLine.id == Visit.invoice_line_id)
        .where(
            InvoiceLine.invoice_id.in_(list(invoice_ids)),
            InvoiceLine.member_id == member_id,
            InvoiceLine.status == InvoiceLineStatus.ok,
            Visit.member_id == member_id,
            Visit.status != VisitStatus.rejected,
        )
        .order_by(Visit.starts_at, Visit.id)
    )
    found: dict[uuid.UUID, list[Visit]] = defaultdict(list)
    for invoice_id, visit in rows.all():
        found[invoice_id].append(visit)
    return dict(found)
