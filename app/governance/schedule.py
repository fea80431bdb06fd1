"""What time does to proposals, for the worker: finding those due to close, and telling
electorates a day before a vote closes (`proposal.closing_soon`)."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.governance.models import Proposal, ProposalStatus
from app.governance.service import electorate_users, proposal_event
from app.notifications.events import EventType
from app.notifications.service import notify, sent_keys

# No `closing_soon` for a proposal open less than this long in all, and none earlier than
# this before it closes.
CLOSING_SOON = timedelta(hours=24)


async def due_for_closing(session: AsyncSession, *, now: datetime, limit: int) -> list[uuid.UUID]:
    """Open proposals of every co-op whose `closes_at` has passed, oldest first (for the
    worker, which closes each in a transaction of its own)."""
    rows = await session.scalars(
        select(Proposal.id)
        .where(Proposal.status == ProposalStatus.open, Proposal.closes_at <= now)
        .order_by(Proposal.closes_at, Proposal.id)
        .limit(limit)
    )
    return list(rows.all())


async def announce_closing_soon(session: AsyncSession, *, now: datetime) -> int:
    """`proposal.closing_soon` to the electorate of every open proposal closing within 24
    hours, once each (the event's key), except those open less than 24 hours in all."""
    due = (
        await session.scalars(
            select(Proposal).where(
                Proposal.status == ProposalStatus.open,
                Proposal.closes_at > now,
                Proposal.closes_at <= now + CLOSING_SOON,
            )
        )
    ).all()
    wanted = [p for p in due if p.closes_at - p.opened_at >= CLOSING_SOON]
    done = await sent_keys(
        session, [f"{EventType.proposal_closing_soon.value}:{p.id}" for p in wanted]
    )
    told = 0
    for proposal in wanted:
        if f"{EventType.proposal_closing_soon.value}:{proposal.id}" in done:
            continue
        electorate = await electorate_users(session, proposal.id)
        event = proposal_event(proposal, EventType.proposal_closing_soon, electorate, now)
        if await notify(session, event) is not None:
            told += 1
    return told
