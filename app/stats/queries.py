"""The aggregate queries behind the councils' figures: every sum and count is the database's.

Money and people are counted by the council that pays the holder's Direct Payment (the
`area_code` of the award version each posting was made under), not by where the co-op
operates (SPEC sections 10 and 17); which postings count is `app.stats.attribution`'s rule.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops.models import CoopArea
from app.direct_payments.models import AwardStatus
from app.ledger.models import (
    LedgerPosting,
    LedgerTransaction,
    TransactionKind,
)
from app.providers.models import Provider, ProviderArea, ProviderServiceType, ProviderStatus
from app.stats import attribution
from app.tenders.models import AwardStatus as TenderAwardStatus
from app.tenders.models import (
    Contract,
    ContractStatus,
    Invoice,
    Tender,
    TenderArea,
    TenderAward,
)
from app.tenders.states import TenderStatus


@dataclass(frozen=True, slots=True)
class Pooling:
    """Distinct holders paid by one council with a contribution in a period, and the pence."""

    holders: int
    contributions_pence: int


def _contributions(
    start: datetime,
    end: datetime,
    statuses: Sequence[AwardStatus],
    confirmed_before: datetime | None = None,
) -> Select[str, int, int]:
    """Direct Payment contributions in [start, end), by the paying council."""
    stmt = (
        select(
            attribution.paying_area,
            func.count(func.distinct(attribution.holder)),
            func.coalesce(func.sum(LedgerPosting.amount_pence), 0),
        )
        .select_from(LedgerPosting)
        .where(
            LedgerPosting.kind == TransactionKind.contribution,
            LedgerPosting.created_at >= start,
            LedgerPosting.created_at < end,
        )
        .group_by(attribution.paying_area)
    )
    return attribution.direct_payment_money(
        attribution.counted(stmt, statuses=statuses, confirmed_before=confirmed_before)
    )


async def pooling(
    session: AsyncSession,
    area_code: str,
    start: datetime,
    end: datetime,
    *,
    statuses: Sequence[AwardStatus],
) -> Pooling:
    stmt = _contributions(start, end, statuses).where(attribution.paying_area == area_code)
    row = (await session.execute(stmt)).first()
    if row is None:
        return Pooling(holders=0, contributions_pence=0)
    return Pooling(holders=int(row[1]), contributions_pence=int(row[2]))


async def pooling_by_area(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    *,
    statuses: Sequence[AwardStatus],
    confirmed_before: datetime | None = None,
) -> dict[str, Pooling]:
    """Holders pooling and their money in [start, end), by the council paying the award version
    each posting was made under, counting only versions in `statuses` (and, given
    `confirmed_before`, only those confirmed by then)."""
    rows = (await session.execute(_contributions(start, end, statuses, confirmed_before))).all()
    return {r[0]: Pooling(holders=int(r[1]), contributions_pence=int(r[2])) for r in rows}


async def awards_by_status(
    session: AsyncSession, area_code: str, first: date, last: date
) -> dict[AwardStatus, int]:
    """Holders with a declared or confirmed award from this council in force during the
    period, each once, by the status of their latest such version."""
    rows = (await session.execute(attribution.holders_by_status(area_code, first, last))).all()
    return {AwardStatus(status): int(count) for status, count in rows}


def _coops_active(start: datetime, end: datetime) -> Select[str, int]:
    """Co-ops operating in an area (a co-op may span several) with a contribution in the
    period: a count of organisations."""
    contributed = (
        select(LedgerTransaction.seq)
        .where(
            LedgerTransaction.coop_id == CoopArea.coop_id,
            LedgerTransaction.kind == TransactionKind.contribution,
            LedgerTransaction.created_at >= start,
            LedgerTransaction.created_at < end,
        )
        .exists()
    )
    return select(CoopArea.area_code, func.count()).where(contributed).group_by(CoopArea.area_code)


async def coops_active(
    session: AsyncSession, area_code: str, start: datetime, end: datetime
) -> int:
    stmt = _coops_active(start, end).where(CoopArea.area_code == area_code)
    row = (await session.execute(stmt)).first()
    return 0 if row is None else int(row[1])


async def coops_active_by_area(
    session: AsyncSession, start: datetime, end: datetime
) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in (await session.execute(_coops_active(start, end))).all()}


async def listed_rates(session: AsyncSession, area_code: str) -> tuple[int, int]:
    """(sum of hourly rates, number of verified providers) serving an area."""
    stmt = (
        select(
            func.coalesce(func.sum(Provider.hourly_rate_pence), 0),
            func.count(),
        )
        .select_from(ProviderArea)
        .join(Provider, Provider.id == ProviderArea.provider_id)
        .where(ProviderArea.area_code == area_code, Provider.status == ProviderStatus.verified)
    )
    row = (await session.execute(stmt)).one()
    return int(row[0]), int(row[1])


async def types_offered_by_area(session: AsyncSession) -> dict[str, int]:
    """How many service types verified providers offer in each area (the rest are gaps)."""
    stmt = (
        select(ProviderArea.area_code, func.count(func.distinct(ProviderServiceType.service_type)))
        .select_from(ProviderArea)
        .join(Provider, Provider.id == ProviderArea.provider_id)
        .join(ProviderServiceType, ProviderServiceType.provider_id == Provider.id)
        .where(Provider.status == ProviderStatus.verified)
        .group_by(ProviderArea.area_code)
    )
    return {r[0]: int(r[1]) for r in (await session.execute(stmt)).all()}


@dataclass(frozen=True, slots=True)
class SpendRow:
    service_type: str
    holders: int
    spend_pence: int


async def spend_by_service_type(
    session: AsyncSession,
    area_code: str,
    start: datetime,
    end: datetime,
    *,
    statuses: Sequence[AwardStatus],
) -> Sequence[SpendRow]:
    """Care paid for through approved invoices, by the kind of care the tender bought:
    distinct holders paid by this council and the pence that left their accounts (whatever
    money paid for it)."""
    stmt = (
        select(
            Tender.service_type,
            func.count(func.distinct(attribution.holder)),
            func.coalesce(func.sum(-LedgerPosting.amount_pence), 0),
        )
        .select_from(LedgerPosting)
        .join(Invoice, Invoice.approval_transaction_id == LedgerPosting.transaction_id)
        .join(Contract, Contract.id == Invoice.contract_id)
        .join(Tender, Tender.id == Contract.tender_id)
        .where(
            LedgerPosting.kind == TransactionKind.invoice_approval,
            LedgerPosting.created_at >= start,
            LedgerPosting.created_at < end,
            attribution.paying_area == area_code,
        )
        .group_by(Tender.service_type)
        .order_by(Tender.service_type)
    )
    stmt = attribution.counted(stmt, statuses=statuses)
    return [
        SpendRow(service_type=str(row[0]), holders=int(row[1]), spend_pence=int(row[2]))
        for row in (await session.execute(stmt)).all()
    ]


def _tenders_by_status(start: datetime, end: datetime) -> Select[str, str, int]:
    """Tenders buying care in an area, published in the period (drafts never are), by status."""
    return (
        select(TenderArea.area_code, Tender.status, func.count())
        .select_from(TenderArea)
        .join(Tender, Tender.id == TenderArea.tender_id)
        .where(
            Tender.status != TenderStatus.draft,
            Tender.published_at >= start,
            Tender.published_at < end,
        )
        .group_by(TenderArea.area_code, Tender.status)
    )


async def tenders_by_status(
    session: AsyncSession, area_code: str, start: datetime, end: datetime
) -> dict[str, int]:
    stmt = _tenders_by_status(start, end).where(TenderArea.area_code == area_code)
    return {str(r[1]): int(r[2]) for r in (await session.execute(stmt)).all()}


async def tenders_awarded_by_area(
    session: AsyncSession, start: datetime, end: datetime
) -> dict[str, int]:
    """Tenders published in [start, end) whose award was made before `end`, by area: as things
    stood at `end`, so an award made later does not reach back into a closed period."""
    stmt = (
        select(TenderArea.area_code, func.count(func.distinct(Tender.id)))
        .select_from(TenderArea)
        .join(Tender, Tender.id == TenderArea.tender_id)
        .join(TenderAward, TenderAward.tender_id == Tender.id)
        .where(
            TenderAward.status == TenderAwardStatus.awarded,
            TenderAward.awarded_at < end,
            Tender.published_at >= start,
            Tender.published_at < end,
        )
        .group_by(TenderArea.area_code)
    )
    return {r[0]: int(r[1]) for r in (await session.execute(stmt)).all()}


async def contracted_rates(session: AsyncSession, area_code: str) -> tuple[int, int]:
    """(sum of hourly rates, number of contracts) in force for tenders buying in an area."""
    stmt = (
        select(func.coalesce(func.sum(Contract.hourly_rate_pence), 0), func.count())
        .select_from(TenderArea)
        .join(Contract, Contract.tender_id == TenderArea.tender_id)
        .where(TenderArea.area_code == area_code, Contract.status == ContractStatus.active)
    )
    row = (await session.execute(stmt)).one()
    return int(row[0]), int(row[1])
