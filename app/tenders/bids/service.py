"""Sealed bids: submitting, amending and withdrawing until the deadline, and who sees them.

Before the deadline a bid exists for its own provider only. Its audit entries carry ids
alone and no co-op, so they are not in the co-op's audit trail either: the buyer cannot learn
who is bidding, let alone at what rate, until the bids are opened.
"""

import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.compliance import service as compliance
from app.core.clock import local_date
from app.core.errors import ValidationFailed, must_exist
from app.providers import service as provider_service
from app.providers.models import Provider, ProviderStatus, WelshLanguage
from app.tenders import repository, service
from app.tenders.errors import (
    BidExists,
    BidNotFound,
    BidsNotVisible,
    BidsSealed,
    NotProviderStaff,
    ProviderNotEligible,
    ProviderPaperworkLapsed,
    RateAboveCeiling,
    SubmissionClosed,
    WelshOfferTooLow,
)
from app.tenders.models import BidStatus, Tender, TenderBid
from app.tenders.schemas import BidFields
from app.tenders.states import TenderStatus

WELSH_ORDER = {WelshLanguage.none: 0, WelshLanguage.some: 1, WelshLanguage.full: 2}
BID_FIELDS = set(BidFields.model_fields)


async def bidding_provider(
    session: AsyncSession, actor: Actor, *, provider_id: uuid.UUID | None
) -> Provider:
    """The provider the caller bids for: the one named, or their only one."""
    staff_of = await provider_service.staff_provider_ids(session, actor.user.id)
    if provider_id is None:
        if not staff_of:
            raise NotProviderStaff
        if len(staff_of) > 1:
            raise ValidationFailed(
                [
                    {
                        "loc": ["body", "provider_id"],
                        "msg": "You are staff of several providers: say which one bids.",
                    }
                ]
            )
        provider_id = staff_of[0]
    elif provider_id not in staff_of:
        raise NotProviderStaff
    provider = await provider_service.provider_with_offer(session, provider_id)
    provider = must_exist(provider, "staff rows belong to existing providers")
    return provider


def check_eligible(tender: Tender, provider: Provider) -> None:
    if (
        provider.status != ProviderStatus.verified
        or tender.service_type not in provider.service_types
        or not set(tender.area_codes) <= set(provider.area_codes)
    ):
        raise ProviderNotEligible


async def check_paperwork(
    session: AsyncSession, tender: Tender, provider: Provider, *, now: datetime
) -> None:
    """A provider whose public liability or CIW registration record, filed with the tendering
    co-op, has lapsed may not bid. Only a record lapses: a provider the co-op has filed no such
    record about is not refused."""
    lapsed = await compliance.lapsed_for_bidding(
        session, coop_id=tender.coop_id, provider_id=provider.id, today=local_date(now)
    )
    if lapsed:
        raise ProviderPaperworkLapsed([kind.value for kind in lapsed])


def check_offer(tender: Tender, fields: BidFields) -> None:
    if fields.hourly_rate_pence > tender.max_hourly_rate_pence:
        raise RateAboveCeiling(max_hourly_rate_pence=tender.max_hourly_rate_pence)
    if WELSH_ORDER[fields.welsh_language] < WELSH_ORDER[tender.welsh_language_required]:
        raise WelshOfferTooLow(required=tender.welsh_language_required.value)


def require_taking_bids(tender: Tender) -> None:
    if tender.status == TenderStatus.draft:
        service.require_status(tender, TenderStatus.open)
    if tender.status != TenderStatus.open:
        raise SubmissionClosed


def _audit(session: AsyncSession, actor: Actor, action: str, bid: TenderBid) -> None:
    audit.record(session, actor, action, "tender_bid", bid.id, data={"tender_id": bid.tender_id})


async def submit(
    session: AsyncSession,
    actor: Actor,
    tender: Tender,
    provider: Provider,
    *,
    fields: BidFields,
    now: datetime,
) -> TenderBid:
    tender = await service.lock(session, tender)
    require_taking_bids(tender)
    check_eligible(tender, provider)
    await check_paperwork(session, tender, provider, now=now)
    if await repository.bids_of(session, tender.id, provider_ids=[provider.id]):
        raise BidExists
    check_offer(tender, fields)
    bid = TenderBid(
        tender_id=tender.id,
        provider_id=provider.id,
        status=BidStatus.submitted,
        submitted_at=now,
        submitted_by_user_id=actor.user.id,
        **fields.model_dump(include=BID_FIELDS),
    )
    session.add(bid)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a simultaneous bid from the same provider won
        raise BidExists from exc
    _audit(session, actor, "tender.bid_submitted", bid)
    return bid


async def own_bid(
    session: AsyncSession, actor: Actor, tender: Tender, bid_id: uuid.UUID
) -> TenderBid:
    """A live bid of a provider the caller is staff of; anyone else's does not exist."""
    bid = await repository.get_bid(session, tender.id, bid_id, lock=True)
    if bid is None or not await provider_service.is_staff(
        session, provider_id=bid.provider_id, user_id=actor.user.id
    ):
        raise BidNotFound
    return bid


async def amend(
    session: AsyncSession,
    actor: Actor,
    tender: Tender,
    bid_id: uuid.UUID,
    *,
    fields: BidFields,
    now: datetime,
) -> TenderBid:
    tender = await service.lock(session, tender)
    bid = await own_bid(session, actor, tender, bid_id)
    require_taking_bids(tender)
    provider = await provider_service.provider_with_offer(session, bid.provider_id)
    provider = must_exist(provider, "a bid's provider exists")
    check_eligible(tender, provider)
    await check_paperwork(session, tender, provider, now=now)
    check_offer(tender, fields)
    for name, value in fields.model_dump(include=BID_FIELDS).items():
        setattr(bid, name, value)
    bid.amended_at = now
    await session.flush()
    _audit(session, actor, "tender.bid_amended", bid)
    return bid


async def withdraw(
    session: AsyncSession, actor: Actor, tender: Tender, bid_id: uuid.UUID, *, now: datetime
) -> None:
    tender = await service.lock(session, tender)
    bid = await own_bid(session, actor, tender, bid_id)
    require_taking_bids(tender)
    bid.status = BidStatus.withdrawn
    bid.withdrawn_at = now
    await session.flush()
    _audit(session, actor, "tender.bid_withdrawn", bid)


async def score(
    session: AsyncSession, actor: Actor, tender: Tender, bid_id: uuid.UUID, *, quality_score: int
) -> TenderBid:
    """An administrator's quality score, while the tender is being evaluated."""
    tender = await service.lock(session, tender)
    service.require_status(tender, TenderStatus.evaluation)
    bid = await repository.get_bid(session, tender.id, bid_id, lock=True)
    if bid is None:
        raise BidNotFound
    bid.quality_score = quality_score
    await session.flush()
    audit.record(
        session,
        actor,
        "tender.bid_scored",
        "tender_bid",
        bid.id,
        coop_id=tender.coop_id,
        data={"tender_id": tender.id, "quality_score": quality_score},
    )
    return bid


async def visible_bids(
    session: AsyncSession, actor: Actor, tender: Tender, *, is_admin: bool
) -> list[TenderBid]:
    """Every bid for those who may see them all; else the caller's own provider's bid; else
    the refusal (403 bids_sealed before the deadline, forbidden after)."""
    try:
        require_every_bid_visible(actor, tender, is_admin=is_admin)
    except (BidsSealed, BidsNotVisible):
        staff_of = await provider_service.staff_provider_ids(session, actor.user.id)
        own = await repository.bids_of(session, tender.id, provider_ids=staff_of)
        if not own:
            raise
        return own
    return await repository.bids_of(session, tender.id)


def require_every_bid_visible(actor: Actor, tender: Tender, *, is_admin: bool) -> None:
    """For views of all the bids together (the evaluation): sealed until the deadline, then
    the co-op's administrators and platform administrators only."""
    if tender.bids_opened_at is None:
        raise BidsSealed
    if not (is_admin or actor.user.is_platform_admin):
        raise BidsNotVisible
