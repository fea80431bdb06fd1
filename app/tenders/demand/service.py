"""Demand aggregation: the hours a week each holder wants to buy through a tender."""

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.models import Member, MemberClass
from app.core.disclosure import people_count
from app.core.schemas import Published
from app.tenders import repository, service, states
from app.tenders.errors import DemandNotAHolder
from app.tenders.models import DemandLine, Tender
from app.tenders.schemas import DemandLineRead, DemandRead


async def set_demand(
    session: AsyncSession,
    actor: Actor,
    tender: Tender,
    member: Member,
    *,
    hours_per_week: int,
    now: datetime,
) -> None:
    """Declare, change or (with 0) withdraw the member's demand, while the tender is a draft
    or open for bids; after that the demand is what the contract's call-offs are made of."""
    tender = await service.lock(session, tender)
    service.require_status(tender, *states.TAKING_DEMAND)
    if member.member_class != MemberClass.service_user:
        raise DemandNotAHolder
    line = await session.get(DemandLine, (tender.id, member.id))
    if hours_per_week == 0:
        if line is None:
            return
        await session.delete(line)
        action = "tender.demand_withdrawn"
    else:
        if line is None:
            line = DemandLine(tender_id=tender.id, member_id=member.id)
            session.add(line)
        elif line.hours_per_week == hours_per_week:
            return
        line.hours_per_week = hours_per_week
        line.updated_at = now
        action = "tender.demand_set"
    await session.flush()
    audit.record(
        session,
        actor,
        action,
        "tender",
        tender.id,
        coop_id=tender.coop_id,
        data={"member_id": member.id, "hours_per_week": hours_per_week},
        about=member.user_id,
    )


async def view(
    session: AsyncSession, tender: Tender, *, member: Member | None, show_lines: bool
) -> DemandRead:
    """The total for everyone, with how many members as a count of people under disclosure
    control (the lines themselves are for administrators); the member's own line."""
    lines = await repository.demand_lines(session, tender.id)
    mine = next((line for line in lines if member and line.member_id == member.id), None)
    return DemandRead(
        total_hours_per_week=sum(line.hours_per_week for line in lines),
        members=Published.of(people_count(len(lines))),
        my_hours_per_week=mine.hours_per_week if mine else None,
        lines=[DemandLineRead.model_validate(line) for line in lines] if show_lines else None,
    )


async def withdraw_on_leaving(
    session: AsyncSession, actor: Actor, member: Member, now: datetime
) -> None:
    """On leaving, the member's demand leaves the tenders still gathering it."""
    del now
    gathering = select(Tender.id).where(
        Tender.coop_id == member.coop_id, Tender.status.in_(states.TAKING_DEMAND)
    )
    withdrawn = (
        await session.scalars(
            delete(DemandLine)
            .where(DemandLine.member_id == member.id, DemandLine.tender_id.in_(gathering))
            .returning(DemandLine.tender_id)
        )
    ).all()
    for tender_id in withdrawn:
        audit.record(
            session,
            actor,
            "tender.demand_withdrawn",
            "tender",
            tender_id,
            coop_id=member.coop_id,
            data={"member_id": member.id, "hours_per_week": 0},
            about=member.user_id,
        )
