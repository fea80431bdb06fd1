"""Evaluating and awarding: the ranking of scored bids, and the award with or without a vote."""

import uuid
from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.models import Coop
from app.core.errors import must_exist
from app.core.money import pounds_text
from app.governance import service as governance
from app.governance.models import Proposal, ProposalKind, ProposalStatus
from app.notifications.events import CoopMembers, Event, EventType, ProviderStaff
from app.notifications.service import notify
from app.providers.models import Provider
from app.tenders import repository, service
from app.tenders.errors import AwardRejected, BidNotFound, BidsNotScored
from app.tenders.evaluation import service as evaluation
from app.tenders.models import AwardStatus, Tender, TenderAward, TenderBid
from app.tenders.ocds import service as ocds
from app.tenders.states import TenderStatus

VOTE_DAYS = 7


def ranking(tender: Tender, bids: list[TenderBid]) -> list[evaluation.Ranked]:
    return evaluation.rank(
        [
            evaluation.Bid(
                bid_id=b.id,
                provider_id=b.provider_id,
                hourly_rate_pence=b.hourly_rate_pence,
                quality_score=b.quality_score,
                submitted_at=b.submitted_at,
            )
            for b in bids
        ],
        price_weight=tender.price_weight,
        quality_weight=tender.quality_weight,
    )


async def _proposal_text(
    session: AsyncSession, tender: Tender, bid: TenderBid, bids: list[TenderBid]
) -> tuple[str, str]:
    provider = await session.get(Provider, bid.provider_id)
    name = provider.name if provider else str(bid.provider_id)
    place = next(r for r in ranking(tender, bids) if r.bid.bid_id == bid.id)
    total = evaluation.points_text(place.total_points or Fraction(0))
    rate = pounds_text(bid.hourly_rate_pence)
    title = f"Dyfarnu / Award: {tender.title}"[:200]
    body = (
        f"Award the tender to {name} at {rate} an hour: ranked {place.rank} of {len(bids)} "
        f"bids with {total} points.\n\n"
        f"Dyfarnu'r tendr i {name} am {rate} yr awr: yn safle {place.rank} o {len(bids)} "
        f"cynnig gyda {total} o bwyntiau."
    )
    return title, body


async def award(
    session: AsyncSession,
    actor: Actor,
    tender: Tender,
    coop: Coop,
    *,
    bid_id: uuid.UUID,
    now: datetime,
) -> Tender:
    """Award a bid once every bid is scored: put to the members' vote when the co-op's rules
    in force when the tender was published ask for one (a proposal closing in 7 days, or when
    all have voted, under those rules' voting rules), else at once. A bid the members have
    voted down is not put to them again (`AwardRejected`)."""
    tender = await service.lock(session, tender)
    service.require_status(tender, TenderStatus.evaluation)
    bids = await repository.bids_of(session, tender.id)
    chosen = next((b for b in bids if b.id == bid_id), None)
    if chosen is None:
        raise BidNotFound
    if any(b.quality_score is None for b in bids):
        raise BidsNotScored
    if await rejected_by_members(session, tender.id, chosen.id):
        raise AwardRejected
    decision = TenderAward(
        tender_id=tender.id,
        bid_id=chosen.id,
        proposed_at=now,
        proposed_by_user_id=actor.user.id,
    )
    rules = service.rules_in_force(tender, coop)
    needs_vote = bool(rules["award_requires_vote"])
    if needs_vote:
        title, body = await _proposal_text(session, tender, chosen, bids)
        proposal = await governance.open_proposal(
            session,
            actor,
            coop,
            kind=ProposalKind.award_tender,
            title=title,
            body=body,
            closes_at=now + timedelta(days=VOTE_DAYS),
            now=now,
            subject_id=tender.id,
            rules=rules,
        )
        decision.status = AwardStatus.pending_vote
        decision.proposal_id = proposal.id
        service.move(tender, TenderStatus.award_pending_vote)
    else:
        decision.status = AwardStatus.awarded
        _made(tender, decision, at=now)
    session.add(decision)
    await session.flush()
    audit.record(
        session,
        actor,
        "tender.award_proposed" if needs_vote else "tender.awarded",
        "tender",
        tender.id,
        coop_id=tender.coop_id,
        data={
            "bid_id": chosen.id,
            "provider_id": chosen.provider_id,
            "proposal_id": decision.proposal_id,
        },
    )
    await ocds.record_release(session, ocds.AwardDecided(tender.id, decision.id), at=now)
    if not needs_vote:
        await notify(session, awarded_event(tender, decision, bids))
    return tender


async def rejected_by_members(
    session: AsyncSession, tender_id: uuid.UUID, bid_id: uuid.UUID
) -> bool:
    """Whether the members have voted down awarding the tender to this bid. A vote without
    quorum decided nothing, and a vote overtaken by the tender's cancellation neither: only a
    proposal that closed `rejected` counts."""
    found = await session.scalar(
        select(TenderAward.id)
        .join(Proposal, Proposal.id == TenderAward.proposal_id)
        .where(
            TenderAward.tender_id == tender_id,
            TenderAward.bid_id == bid_id,
            Proposal.status == ProposalStatus.rejected,
        )
        .limit(1)
    )
    return found is not None


def awarded_event(tender: Tender, decision: TenderAward, bids: list[TenderBid]) -> Event:
    """For the co-op's members and the staff of every provider that bid."""
    at = must_exist(decision.awarded_at, "set when awarded")
    return Event(
        type=EventType.tender_awarded,
        subject_type="tender",
        subject_id=tender.id,
        at=at,
        coop_id=tender.coop_id,
        recipients=[CoopMembers(), ProviderStaff([b.provider_id for b in bids])],
        params={
            "title": tender.title,
            "standstill_ends_at": must_exist(
                decision.standstill_ends_at, "set when awarded"
            ).isoformat(),
        },
    )


def _made(tender: Tender, decision: TenderAward, *, at: datetime) -> None:
    service.move(tender, TenderStatus.awarded)
    decision.status = AwardStatus.awarded
    decision.decided_at = at
    decision.awarded_at = at
    # Calendar days: the award's own time of day, that many days later.
    decision.standstill_ends_at = at + timedelta(days=tender.standstill_days)


async def on_award_vote(session: AsyncSession, actor: Actor | None, proposal: Proposal) -> None:
    """The outcome handler of award_tender proposals, run in the transaction that closes one.

    Passed: the tender is awarded at the close. Rejected or without quorum: it goes back to
    evaluation, where the administrators may award again. A tender cancelled meanwhile stays
    cancelled and its award lapses.
    """
    decision = await session.scalar(
        select(TenderAward)
        .where(TenderAward.proposal_id == proposal.id)
        .options(selectinload(TenderAward.bid))
        .with_for_update(of=TenderAward)
    )
    if decision is None or decision.status != AwardStatus.pending_vote:
        return
    tender = await repository.get_tender(session, decision.tender_id, lock=True)
    tender = must_exist(tender, "an award's tender exists")
    closed_at = proposal.closed_at or proposal.closes_at
    if (
        proposal.status == ProposalStatus.passed
        and tender.status == TenderStatus.award_pending_vote
    ):
        _made(tender, decision, at=closed_at)
        action = "tender.awarded"
    else:
        decision.status = AwardStatus.rejected
        decision.decided_at = closed_at
        if tender.status == TenderStatus.award_pending_vote:
            service.move(tender, TenderStatus.evaluation)
        action = "tender.award_rejected"
    await session.flush()
    audit.record(
        session,
        actor,
        action,
        "tender",
        tender.id,
        coop_id=tender.coop_id,
        data={"bid_id": decision.bid_id, "proposal_id": proposal.id, "vote": proposal.status},
    )
    await ocds.record_release(session, ocds.AwardDecided(tender.id, decision.id), at=closed_at)
    if action == "tender.awarded":
        bids = await repository.bids_of(session, tender.id)
        await notify(session, awarded_event(tender, decision, bids))
