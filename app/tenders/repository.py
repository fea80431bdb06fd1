"""Queries that decide which tenders, bids and demand a caller may see."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.coops import service as coops
from app.coops.models import Member
from app.providers.models import ServiceType
from app.tenders.models import (
    AwardStatus,
    BidStatus,
    Contract,
    DemandLine,
    Tender,
    TenderArea,
    TenderAward,
    TenderBid,
)
from app.tenders.states import TenderStatus


def tenders() -> Select[Tender]:
    return select(Tender).options(selectinload(Tender.area_rows))


async def get_tender(
    session: AsyncSession, tender_id: uuid.UUID, *, lock: bool = False
) -> Tender | None:
    """A tender with its areas; `lock` holds its row (and reads it afresh) until the end of
    the transaction, so that changes of status happen one at a time."""
    stmt = tenders().where(Tender.id == tender_id)
    if lock:
        stmt = stmt.with_for_update(of=Tender).execution_options(populate_existing=True)
    tender: Tender | None = await session.scalar(stmt)
    return tender


async def membership(
    session: AsyncSession, tender: Tender, user_id: uuid.UUID | None
) -> Member | None:
    """The person's active membership of the tender's co-op, if any."""
    if user_id is None:
        return None
    return await coops.active_membership(session, coop_id=tender.coop_id, user_id=user_id)


def published(
    *,
    status: TenderStatus | None = None,
    area_code: str | None = None,
    service_type: ServiceType | None = None,
) -> Select[Tender]:
    """Tenders anyone may see (every one but drafts), narrowed by the listing's filters."""
    stmt = tenders().where(Tender.status != TenderStatus.draft)
    if status is not None:
        stmt = stmt.where(Tender.status == status)
    if area_code is not None:
        stmt = stmt.where(
            Tender.id.in_(select(TenderArea.tender_id).where(TenderArea.area_code == area_code))
        )
    if service_type is not None:
        stmt = stmt.where(Tender.service_type == service_type)
    return stmt


def of_coop(coop_id: uuid.UUID, *, status: TenderStatus | None = None) -> Select[Tender]:
    stmt = tenders().where(Tender.coop_id == coop_id)
    if status is not None:
        stmt = stmt.where(Tender.status == status)
    return stmt


@dataclass(frozen=True, slots=True)
class Demand:
    total_hours_per_week: int = 0
    members: int = 0


async def demand_totals(
    session: AsyncSession, tender_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Demand]:
    if not tender_ids:
        return {}
    rows = await session.execute(
        select(DemandLine.tender_id, func.sum(DemandLine.hours_per_week), func.count())
        .where(DemandLine.tender_id.in_(list(tender_ids)))
        .group_by(DemandLine.tender_id)
    )
    return {tender_id: Demand(int(total), int(count)) for tender_id, total, count in rows.all()}


async def demand_lines(session: AsyncSession, tender_id: uuid.UUID) -> list[DemandLine]:
    return list(
        (
            await session.scalars(
                select(DemandLine)
                .where(DemandLine.tender_id == tender_id)
                .order_by(DemandLine.member_id)
            )
        ).all()
    )


async def live_awards(
    session: AsyncSession, tender_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, TenderAward]:
    """Each tender's award that is pending a vote or made (never more than one)."""
    if not tender_ids:
        return {}
    awards = await session.scalars(
        select(TenderAward)
        .where(
            TenderAward.tender_id.in_(list(tender_ids)),
            TenderAward.status != AwardStatus.rejected,
        )
        .options(selectinload(TenderAward.bid))
    )
    return {award.tender_id: award for award in awards.all()}


async def award_proposal_ids(
    session: AsyncSession, tender_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Each tender's award proposals, every one it had, in the order they were opened."""
    if not tender_ids:
        return {}
    rows = await session.execute(
        select(TenderAward.tender_id, TenderAward.proposal_id)
        .where(TenderAward.tender_id.in_(list(tender_ids)), TenderAward.proposal_id.is_not(None))
        # At one instant, a decided award came before the one still waiting (one at a time).
        .order_by(
            TenderAward.proposed_at,
            TenderAward.decided_at.is_(None),
            TenderAward.decided_at,
            TenderAward.id,
        )
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for tender_id, proposal_id in rows.all():
        if proposal_id is not None:
            found.setdefault(tender_id, []).append(proposal_id)
    return found


async def live_award(session: AsyncSession, tender_id: uuid.UUID) -> TenderAward | None:
    return (await live_awards(session, [tender_id])).get(tender_id)


async def contract_ids(
    session: AsyncSession, tender_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    if not tender_ids:
        return {}
    rows = await session.execute(
        select(Contract.tender_id, Contract.id).where(Contract.tender_id.in_(list(tender_ids)))
    )
    return {row[0]: row[1] for row in rows.all()}


def live_bid() -> ColumnElement[bool]:
    return TenderBid.status == BidStatus.submitted


async def bids_of(
    session: AsyncSession,
    tender_id: uuid.UUID,
    *,
    provider_ids: Sequence[uuid.UUID] | None = None,
) -> list[TenderBid]:
    """The tender's live bids in submission order; only those providers' when given."""
    stmt = select(TenderBid).where(TenderBid.tender_id == tender_id, live_bid())
    if provider_ids is not None:
        stmt = stmt.where(TenderBid.provider_id.in_(list(provider_ids)))
    stmt = stmt.order_by(TenderBid.submitted_at, TenderBid.id)
    return list((await session.scalars(stmt)).all())


async def count_bids(session: AsyncSession, tender_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(TenderBid)
        .where(TenderBid.tender_id == tender_id, live_bid())
    )
    return count or 0


async def get_bid(
    session: AsyncSession, tender_id: uuid.UUID, bid_id: uuid.UUID, *, lock: bool = False
) -> TenderBid | None:
    stmt = select(TenderBid).where(
        TenderBid.id == bid_id, TenderBid.tender_id == tender_id, live_bid()
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)
