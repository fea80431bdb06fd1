"""Tenders: drafting, publishing, cancelling, and the close of bidding at the deadline.

Bidding closes at the submission deadline without any scheduler: whenever a tender is read
or acted on after its deadline, `settle` moves it to `evaluation` (or `unsuccessful` without a
valid bid) and audits that, in the transaction of the request that noticed.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import safeguards
from app.coops.models import Coop
from app.core.disclosure import people_count
from app.core.errors import ValidationFailed, must_exist
from app.core.schemas import Published
from app.governance import service as governance
from app.governance.models import Proposal, ProposalKind, ProposalStatus
from app.notifications.events import Event, EventType, ProvidersServing
from app.notifications.service import notify
from app.providers.models import ServiceType
from app.tenders import repository, states
from app.tenders.errors import DeadlineNotInFuture, InvalidTenderTransition, TenderNotFound
from app.tenders.models import Tender, TenderArea
from app.tenders.ocds import service as ocds
from app.tenders.schemas import (
    AwardRead,
    DemandSummary,
    TenderCreate,
    TenderRead,
    check_weights,
)
from app.tenders.states import TenderStatus

# The co-op's rules a tender keeps from its publication: how its award is decided.
TENDER_RULES = (
    "award_requires_vote",
    "voting_mode",
    "class_weights",
    "quorum_percent",
    "pass_percent",
)


def tender_rules(coop: Coop) -> dict[str, Any]:
    """The co-op's deciding rules now, as the tender stores them."""
    return safeguards.plain({name: coop.rules[name] for name in TENDER_RULES})


def rules_in_force(tender: Tender, coop: Coop) -> dict[str, Any]:
    """The rules the tender's award follows: those in force when it was published."""
    return tender.rules_at_publication or tender_rules(coop)


def move(tender: Tender, target: TenderStatus) -> TenderStatus:
    """Change the tender's status along the graph; anything else is 409 invalid_transition."""
    if not states.can_move(tender.status, target):
        raise InvalidTenderTransition(status=tender.status.value)
    previous = tender.status
    tender.status = target
    return previous


def require_status(tender: Tender, *allowed: TenderStatus) -> None:
    if tender.status not in allowed:
        raise InvalidTenderTransition(status=tender.status.value)


async def lock(session: AsyncSession, tender: Tender) -> Tender:
    locked = await repository.get_tender(session, tender.id, lock=True)
    if locked is None:  # tenders are never deleted
        raise TenderNotFound
    return locked


def _require_coop_areas(coop: Coop, area_codes: Sequence[str]) -> list[str]:
    codes = list(dict.fromkeys(area_codes))
    outside = [code for code in codes if code not in coop.area_codes]
    if outside:
        raise ValidationFailed(
            [
                {"loc": ["body", "area_codes"], "msg": f"Not an area of the co-operative: {code}"}
                for code in outside
            ]
        )
    return codes


async def create_tender(
    session: AsyncSession, actor: Actor, coop: Coop, *, fields: TenderCreate, now: datetime
) -> Tender:
    """A draft tender; its areas must be some or all of the co-operative's."""
    codes = _require_coop_areas(coop, fields.area_codes)
    tender = Tender(
        coop_id=coop.id,
        title=fields.title,
        description=fields.description,
        title_cy=fields.title_cy,
        description_cy=fields.description_cy,
        service_type=fields.service_type,
        max_hourly_rate_pence=fields.max_hourly_rate_pence,
        welsh_language_required=fields.welsh_language_required,
        price_weight=fields.price_weight,
        quality_weight=fields.quality_weight,
        submission_deadline=fields.submission_deadline,
        standstill_days=fields.standstill_days,
        status=TenderStatus.draft,
        created_at=now,
        created_by_user_id=actor.user.id,
    )
    tender.area_rows = [TenderArea(area_code=code) for code in codes]
    session.add(tender)
    await session.flush()
    audit.record(
        session,
        actor,
        "tender.created",
        "tender",
        tender.id,
        coop_id=coop.id,
        data={"service_type": tender.service_type, "area_codes": codes},
    )
    return tender


async def update_tender(
    session: AsyncSession, actor: Actor, tender: Tender, coop: Coop, *, changes: dict[str, Any]
) -> Tender:
    """Change a draft; once published a tender is what bidders rely on and cannot change."""
    tender = await lock(session, tender)
    require_status(tender, TenderStatus.draft)
    try:
        check_weights(
            changes.get("price_weight", tender.price_weight),
            changes.get("quality_weight", tender.quality_weight),
        )
    except ValueError as exc:
        raise ValidationFailed([{"loc": ["body", "quality_weight"], "msg": str(exc)}]) from exc
    changed: list[str] = []
    if "area_codes" in changes:
        codes = _require_coop_areas(coop, changes.pop("area_codes"))
        if sorted(codes) != tender.area_codes:
            keep = [row for row in tender.area_rows if row.area_code in codes]
            have = {row.area_code for row in keep}
            tender.area_rows = keep + [TenderArea(area_code=c) for c in codes if c not in have]
            changed.append("area_codes")
    for name, value in changes.items():
        if getattr(tender, name) != value:
            setattr(tender, name, value)
            changed.append(name)
    await session.flush()
    if changed:
        audit.record(
            session,
            actor,
            "tender.updated",
            "tender",
            tender.id,
            coop_id=tender.coop_id,
            data={"fields": sorted(changed)},
        )
    return tender


async def publish(session: AsyncSession, actor: Actor, tender: Tender, *, now: datetime) -> Tender:
    tender = await lock(session, tender)
    move(tender, TenderStatus.open)
    if tender.submission_deadline <= now:
        raise DeadlineNotInFuture
    tender.published_at = now
    coop = await session.get(Coop, tender.coop_id)
    coop = must_exist(coop, "a tender's co-op exists")
    tender.rules_at_publication = tender_rules(coop)
    await session.flush()
    audit.record(
        session,
        actor,
        "tender.published",
        "tender",
        tender.id,
        coop_id=tender.coop_id,
        data={"submission_deadline": tender.submission_deadline},
    )
    await ocds.record_release(session, ocds.Published(tender.id), at=now)
    await notify(session, published_event(tender, now))
    return tender


def published_event(tender: Tender, at: datetime) -> Event:
    """For the staff of every verified provider offering the service in the tender's areas."""
    return Event(
        type=EventType.tender_published,
        subject_type="tender",
        subject_id=tender.id,
        at=at,
        coop_id=tender.coop_id,
        recipients=[ProvidersServing(tender.area_codes, tender.service_type.value)],
        params={
            "title": tender.title,
            "service_type": tender.service_type.value,
            "submission_deadline_at": tender.submission_deadline.isoformat(),
        },
    )


async def cancel(
    session: AsyncSession, actor: Actor, tender: Tender, *, reason: str, now: datetime
) -> Tender:
    """Cancel at any stage before the contract; an award vote still open stays moot."""
    tender = await settle(session, actor, tender, now=now)
    tender = await lock(session, tender)
    move(tender, TenderStatus.cancelled)
    tender.cancelled_at = now
    tender.cancellation_reason = reason
    await session.flush()
    audit.record(session, actor, "tender.cancelled", "tender", tender.id, coop_id=tender.coop_id)
    await ocds.record_release(session, ocds.Cancelled(tender.id), at=now)
    return tender


async def settle(
    session: AsyncSession, actor: Actor | None, tender: Tender, *, now: datetime
) -> Tender:
    """Bring the tender up to date: close bidding at the deadline, close a due award vote."""
    if tender.status == TenderStatus.open and tender.submission_deadline <= now:
        tender = await lock(session, tender)
        if tender.status == TenderStatus.open:
            await _close_bidding(session, tender)
    if tender.status == TenderStatus.award_pending_vote:
        award = await repository.live_award(session, tender.id)
        if award is not None and award.proposal_id is not None:
            proposal = await session.get(Proposal, award.proposal_id)
            if proposal is not None and proposal.closes_at <= now:
                # Closing the vote runs the award's outcome handler, which moves the tender.
                await governance.settle(session, actor, proposal, now=now)
                tender = await lock(session, tender)
    return tender


async def _close_bidding(session: AsyncSession, tender: Tender) -> None:
    """The deadline's doing, not the reader's who noticed it: audited without an actor."""
    bids = await repository.count_bids(session, tender.id)
    move(tender, states.on_closing(valid_bids=bids))
    tender.bids_opened_at = tender.submission_deadline
    await session.flush()
    audit.record(
        session,
        None,
        "tender.bidding_closed",
        "tender",
        tender.id,
        coop_id=tender.coop_id,
        data={"status": tender.status, "bids": bids},
    )
    await ocds.record_release(session, ocds.BiddingClosed(tender.id), at=tender.submission_deadline)


async def settle_due(
    session: AsyncSession, actor: Actor | None, *, now: datetime, coop_id: uuid.UUID | None = None
) -> None:
    """Settle every tender (of one co-op, or all) whose deadline or award vote is due."""
    due_tenders = select(Tender.id).where(
        Tender.status == TenderStatus.open, Tender.submission_deadline <= now
    )
    due_votes = select(Proposal).where(
        Proposal.kind == ProposalKind.award_tender,
        Proposal.status == ProposalStatus.open,
        Proposal.closes_at <= now,
    )
    if coop_id is not None:
        due_tenders = due_tenders.where(Tender.coop_id == coop_id)
        due_votes = due_votes.where(Proposal.coop_id == coop_id)
    for tender_id in (await session.scalars(due_tenders.order_by(Tender.id))).all():
        tender = await repository.get_tender(session, tender_id, lock=True)
        if tender is not None and tender.status == TenderStatus.open:
            await _close_bidding(session, tender)
    for proposal in (await session.scalars(due_votes.order_by(Proposal.id))).all():
        await governance.settle(session, actor, proposal, now=now)


async def describe(session: AsyncSession, items: Sequence[Tender]) -> list[TenderRead]:
    """Tenders as they are read: with their total demand, award and contract."""
    ids = [t.id for t in items]
    demand = await repository.demand_totals(session, ids)
    awards = await repository.live_awards(session, ids)
    proposals = await repository.award_proposal_ids(session, ids)
    contracts = await repository.contract_ids(session, ids)
    reads = []
    for tender in items:
        totals = demand.get(tender.id, repository.Demand())
        award = awards.get(tender.id)
        made = None
        if award is not None and award.awarded_at is not None and award.standstill_ends_at:
            made = AwardRead(
                bid_id=award.bid_id,
                provider_id=award.bid.provider_id,
                hourly_rate_pence=award.bid.hourly_rate_pence,
                awarded_at=award.awarded_at,
                standstill_ends_at=award.standstill_ends_at,
            )
        reads.append(
            TenderRead(
                id=tender.id,
                coop_id=tender.coop_id,
                title=tender.title,
                description=tender.description,
                title_cy=tender.title_cy,
                description_cy=tender.description_cy,
                service_type=tender.service_type,
                area_codes=tender.area_codes,
                max_hourly_rate_pence=tender.max_hourly_rate_pence,
                welsh_language_required=tender.welsh_language_required,
                price_weight=tender.price_weight,
                quality_weight=tender.quality_weight,
                submission_deadline=tender.submission_deadline,
                standstill_days=tender.standstill_days,
                status=tender.status,
                created_at=tender.created_at,
                published_at=tender.published_at,
                bids_opened_at=tender.bids_opened_at,
                cancelled_at=tender.cancelled_at,
                cancellation_reason=tender.cancellation_reason,
                demand=DemandSummary(
                    total_hours_per_week=totals.total_hours_per_week,
                    members=Published.of(people_count(totals.members)),
                ),
                award_proposal_id=award.proposal_id
                if award is not None and tender.status == TenderStatus.award_pending_vote
                else None,
                award_proposal_ids=proposals.get(tender.id, []),
                award=made,
                contract_id=contracts.get(tender.id),
            )
        )
    return reads


async def read(session: AsyncSession, tender: Tender) -> TenderRead:
    [one] = await describe(session, [tender])
    return one


def published_tenders(
    *,
    status: TenderStatus | None = None,
    area_code: str | None = None,
    service_type: ServiceType | None = None,
) -> Select[Tender]:
    """Tenders anyone may see (never drafts), narrowed by the listing's filters."""
    return repository.published(status=status, area_code=area_code, service_type=service_type)


def coop_tenders(coop_id: uuid.UUID, *, status: TenderStatus | None = None) -> Select[Tender]:
    """A co-op's tenders, drafts included (what its members may see), narrowed to a status."""
    return repository.of_coop(coop_id, status=status)
