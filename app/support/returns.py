"""The Direct Payment monitoring return: a member's account over a month, a calendar quarter,
a financial year or any days asked for, summed by the database by kind of movement.

closing = opening + contributions - care - shared charges - payroll - refunds; contributions
are also given by source (Direct Payment money, top-ups, client contributions). Every posting
on a member account belongs to one of those kinds: contributions pay in, invoice approvals buy
care (member -> provider), support charges pay the shared fund, payroll pays the cost of
personal assistants employed by the holder or worked for them by the co-op's employees
(gross pay, employer's NI and pension), refunds and the refund on leaving pay out. A reversal counts with the kind of the transaction it reverses, so a
reversed invoice lowers care bought rather than breaking the sum. Each payment for care is
also listed with the invoice and provider it paid (`app.tenders.care`).
"""

import uuid
from datetime import date, datetime

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.coops.models import Member
from app.core.clock import day_range
from app.core.csv_answer import csv_text
from app.ledger import service as ledger
from app.ledger import statements
from app.ledger.models import AccountKind, LedgerAccount, LedgerPosting, LedgerTransaction
from app.ledger.models import ContributionSource as Source
from app.ledger.models import TransactionKind as Kind
from app.providers.models import Provider, ProviderServiceType
from app.support.schemas import (
    CareBoughtRead,
    CareMovementRead,
    ContributionsBySource,
    DirectPaymentReturnRead,
)
from app.tenders.care import care_paid_by
from app.tenders.models import Contract, Invoice, Tender

REFUND_KINDS = (Kind.refund, Kind.leaving_refund)


async def dp_return(
    session: AsyncSession, member: Member, *, period: str | None, first: date, last: date
) -> DirectPaymentReturnRead:
    """The return over the days `first` to `last` (inclusive, days in Wales); `period` is how
    they were asked for, if by name."""
    start, end = day_range(first, last)
    account_id = await session.scalar(
        select(LedgerAccount.id).where(
            LedgerAccount.coop_id == member.coop_id,
            LedgerAccount.code == ledger.member_account(member.id),
        )
    )
    opening = 0
    by_kind: dict[Kind, int] = {}
    by_source: dict[Source, int] = {}
    care: list[CareBoughtRead] = []
    care_movements: list[CareMovementRead] = []
    if account_id is not None:
        opening = int(
            await session.scalar(
                select(func.coalesce(func.sum(LedgerPosting.amount_pence), 0)).where(
                    LedgerPosting.account_id == account_id, LedgerPosting.created_at < start
                )
            )
            or 0
        )
        original = aliased(LedgerTransaction)
        kind = func.coalesce(original.kind, LedgerTransaction.kind)
        in_quarter = (
            LedgerPosting.account_id == account_id,
            LedgerPosting.created_at >= start,
            LedgerPosting.created_at < end,
        )
        source = LedgerPosting.source
        rows = await session.execute(
            select(kind, source, func.sum(LedgerPosting.amount_pence))
            .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
            .outerjoin(original, original.id == LedgerTransaction.reverses_id)
            .where(*in_quarter)
            .group_by(kind, source)
        )
        for k, from_source, total in rows.all():
            by_kind[Kind(k)] = by_kind.get(Kind(k), 0) + int(total)
            if from_source is not None:
                by_source[Source(from_source)] = by_source.get(Source(from_source), 0) + int(total)
        care = await _care_bought(session, account_id=account_id, start=start, end=end)
        care_movements = await _care_movements(session, account_id=account_id, start=start, end=end)
    contributions = by_kind.get(Kind.contribution, 0)
    care_total = -by_kind.get(Kind.invoice_approval, 0)
    charges = -by_kind.get(Kind.support_charge, 0)
    payroll = -by_kind.get(Kind.payroll, 0)
    refunds = -sum(by_kind.get(k, 0) for k in REFUND_KINDS)
    closing = opening + contributions - care_total - charges - payroll - refunds
    held = await statements.held_under_award(
        session, member, closing_pence=closing, first=first, last=last
    )
    return DirectPaymentReturnRead(
        member_id=member.id,
        period=period,
        from_date=first,
        to_date=last,
        opening_balance_pence=opening,
        contributions_pence=contributions,
        contributions_by_source=ContributionsBySource(
            direct_payment_pence=by_source.get(Source.direct_payment, 0),
            top_up_pence=by_source.get(Source.top_up, 0),
            client_contribution_pence=by_source.get(Source.client_contribution, 0),
        ),
        care_bought=care,
        care_movements=care_movements,
        care_total_pence=care_total,
        shared_charges_pence=charges,
        payroll_pence=payroll,
        refunds_pence=refunds,
        closing_balance_pence=closing,
        weeks_of_budget_held=held.weeks if held else None,
        surplus=held.surplus if held else None,
    )


async def _care_bought(
    session: AsyncSession, *, account_id: uuid.UUID, start: datetime, end: datetime
) -> list[CareBoughtRead]:
    """Care paid from the account, by provider: the member's invoice-approval postings
    (and their reversals), each credited to the provider account of the same transaction.
    The provider is named as in the contract the invoice was under (the name when it was
    signed), so a provider renamed since appears under its old name, and one contracted
    under two names appears once under each.

    The kind of care is the service type of the tender whose invoice the transaction
    approved (for a reversal, the original's); a posting made without an invoice falls back
    to the provider's service type when it offers exactly one.
    """
    original = aliased(LedgerTransaction)
    provider_side = aliased(LedgerPosting)
    provider_account = aliased(LedgerAccount)
    single_type = (
        select(
            ProviderServiceType.provider_id.label("provider_id"),
            case(
                (func.count() == literal(1), func.min(ProviderServiceType.service_type)),
                else_=None,
            ).label("service_type"),
        )
        .group_by(ProviderServiceType.provider_id)
        .subquery()
    )
    amount = -func.sum(LedgerPosting.amount_pence)
    kind_of_care = func.coalesce(Tender.service_type, single_type.c.service_type)
    # The name the contract was signed under; the provider's own only for a posting made
    # without an invoice.
    name = func.coalesce(Contract.provider_name, Provider.name)
    rows = await session.execute(
        select(
            provider_account.provider_id,
            name,
            kind_of_care,
            amount,
        )
        .select_from(LedgerPosting)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .outerjoin(original, original.id == LedgerTransaction.reverses_id)
        .join(provider_side, provider_side.transaction_id == LedgerPosting.transaction_id)
        .join(
            provider_account,
            (provider_account.id == provider_side.account_id)
            & (provider_account.kind == AccountKind.provider),
        )
        .outerjoin(Provider, Provider.id == provider_account.provider_id)
        .outerjoin(single_type, single_type.c.provider_id == provider_account.provider_id)
        .outerjoin(
            Invoice,
            Invoice.approval_transaction_id == func.coalesce(original.id, LedgerTransaction.id),
        )
        .outerjoin(Contract, Contract.id == Invoice.contract_id)
        .outerjoin(Tender, Tender.id == Contract.tender_id)
        .where(
            LedgerPosting.account_id == account_id,
            LedgerPosting.created_at >= start,
            LedgerPosting.created_at < end,
            func.coalesce(original.kind, LedgerTransaction.kind) == Kind.invoice_approval,
        )
        .group_by(provider_account.provider_id, name, kind_of_care)
        .order_by(amount.desc(), provider_account.provider_id, name)
    )
    return [
        CareBoughtRead(
            service_type=None if service_type is None else str(service_type),
            provider_id=provider_id,
            provider_name=provider_name,
            amount_pence=int(total),
        )
        for provider_id, provider_name, service_type, total in rows.all()
        if provider_id is not None
    ]


async def _care_movements(
    session: AsyncSession, *, account_id: uuid.UUID, start: datetime, end: datetime
) -> list[CareMovementRead]:
    """Each posting of the account that bought care (or reversed care bought), oldest first,
    with the invoice and provider it paid."""
    original = aliased(LedgerTransaction)
    rows = (
        await session.execute(
            select(LedgerTransaction.id, LedgerTransaction.created_at, LedgerPosting.amount_pence)
            .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
            .outerjoin(original, original.id == LedgerTransaction.reverses_id)
            .where(
                LedgerPosting.account_id == account_id,
                LedgerPosting.created_at >= start,
                LedgerPosting.created_at < end,
                func.coalesce(original.kind, LedgerTransaction.kind) == Kind.invoice_approval,
            )
            .order_by(LedgerTransaction.seq)
        )
    ).all()
    paid = await care_paid_by(session, [transaction_id for transaction_id, _, _ in rows])
    return [
        CareMovementRead(
            transaction_id=transaction_id,
            at=at,
            amount_pence=-amount,
            invoice_id=paid[transaction_id].invoice_id if transaction_id in paid else None,
            provider_name=paid[transaction_id].provider_name if transaction_id in paid else None,
        )
        for transaction_id, at, amount in rows
    ]


CSV_COLUMNS = ("line", "service_type", "provider_id", "provider_name", "value", "invoice_id")


def to_csv(read: DirectPaymentReturnRead) -> str:
    """One figure per row (`line`, `value`), care bought one row per provider, then one
    `care_movement` row per payment for care (its amount, provider and invoice); UTF-8, so
    Welsh names stay as written."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]

    def figure(line: str, value: object) -> None:
        rows.append([line, "", "", "", value, ""])

    figure("member_id", read.member_id)
    figure("period", read.period)
    figure("from", read.from_date)
    figure("to", read.to_date)
    figure("opening_balance_pence", read.opening_balance_pence)
    figure("contributions_pence", read.contributions_pence)
    by_source = read.contributions_by_source
    figure("contributions_direct_payment_pence", by_source.direct_payment_pence)
    figure("contributions_top_up_pence", by_source.top_up_pence)
    figure("contributions_client_contribution_pence", by_source.client_contribution_pence)
    rows.extend(
        [
            "care_bought",
            item.service_type,
            item.provider_id,
            item.provider_name,
            item.amount_pence,
            "",
        ]
        for item in read.care_bought
    )
    rows.extend(
        [
            "care_movement",
            "",
            "",
            movement.provider_name,
            movement.amount_pence,
            movement.invoice_id,
        ]
        for movement in read.care_movements
    )
    figure("care_total_pence", read.care_total_pence)
    figure("shared_charges_pence", read.shared_charges_pence)
    figure("payroll_pence", read.payroll_pence)
    figure("refunds_pence", read.refunds_pence)
    figure("closing_balance_pence", read.closing_balance_pence)
    figure("weeks_of_budget_held", read.weeks_of_budget_held)
    figure("surplus", read.surplus)
    return csv_text(rows)
