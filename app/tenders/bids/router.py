"""Sealed bids: submitted, amended and withdrawn until the deadline; scored afterwards."""

import uuid

from fastapi import Response

from app.auth.dependencies import CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.errors import CoopAdminRequired
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, page_of_list
from app.core.routing import Router
from app.tenders.bids import service as bids
from app.tenders.dependencies import SignedInTender, TenderAdmin
from app.tenders.errors import (
    BidExists,
    BidNotFound,
    BidsNotVisible,
    BidsSealed,
    InvalidTenderTransition,
    NotProviderStaff,
    ProviderNotEligible,
    RateAboveCeiling,
    SubmissionClosed,
    TenderNotFound,
    WelshOfferTooLow,
)
from app.tenders.models import TenderBid
from app.tenders.schemas import BidCreate, BidFields, BidRead, ScoreSet

router = Router(prefix="/tenders/{tender_id}/bids", tags=["tenders"])

SUBMISSION_PROBLEMS = (
    TenderNotFound,
    SubmissionClosed,
    InvalidTenderTransition,
    ProviderNotEligible,
    RateAboveCeiling,
    WelshOfferTooLow,
    OutsideMandate,
    NoMandate,
)


@router.post(
    "",
    status_code=201,
    response_model=BidRead,
    responses=problems(*SUBMISSION_PROBLEMS, NotProviderStaff, BidExists),
)
async def submit_bid(
    body: BidCreate, session: SessionDep, seen: SignedInTender, actor: CurrentActor, now: NowDep
) -> TenderBid:
    """Bid for an open tender (staff of a verified provider that serves every area of the
    tender and offers its service type, else 403 `provider_not_eligible`). A provider whose
    `public_liability` or `ciw_registration` record in force with the tendering co-op has
    lapsed is refused too (403 `provider_not_eligible`, naming the kinds in `lapsed`); records
    other co-ops keep do not count, and a provider the co-op has no such record about is not
    refused (only a record can lapse). Staff of several
    providers name the bidding one in `provider_id`; staff of one may leave it out. One bid
    per provider (409 `bid_exists`: amend or withdraw it instead), until the deadline (409
    `submission_closed`). The rate may not exceed the tender's ceiling (422
    `rate_above_ceiling`) and the Welsh offer must meet its requirement, none < some < full
    (422 `welsh_offer_too_low`). The bid stays sealed until the deadline: nobody but your
    provider's staff can see it."""
    provider = await bids.bidding_provider(session, actor, provider_id=body.provider_id)
    return await bids.submit(session, actor, seen.tender, provider, fields=body, now=now)


@router.get(
    "",
    response_model=CursorPage[BidRead],
    responses=problems(TenderNotFound, BidsSealed, BidsNotVisible, OutsideMandate, NoMandate),
)
async def list_bids(
    seen: SignedInTender, session: SessionDep, actor: CurrentActor, page: PageDep
) -> CursorPage[BidRead]:
    """Before the deadline, a bidding provider's staff see their own bid and everyone else,
    the co-op's and platform administrators included, is refused (403 `bids_sealed`). After
    it, the co-op's administrators and platform administrators see every bid, in the order
    they came; a bidder still sees only its own; anyone else 403 `forbidden`."""
    visible = await bids.visible_bids(session, actor, seen.tender, is_admin=seen.is_admin)
    items, next_cursor = page_of_list(visible, page)
    return CursorPage[BidRead](
        items=[BidRead.model_validate(b) for b in items], next_cursor=next_cursor
    )


@router.put(
    "/{bid_id}",
    response_model=BidRead,
    responses=problems(*SUBMISSION_PROBLEMS, BidNotFound),
)
async def amend_bid(
    bid_id: uuid.UUID,
    body: BidFields,
    session: SessionDep,
    seen: SignedInTender,
    actor: CurrentActor,
    now: NowDep,
) -> TenderBid:
    """Replace your provider's bid with this one, until the deadline (409
    `submission_closed`); the same rules apply as when bidding. The bid keeps its place in a
    tie (its first submission time)."""
    return await bids.amend(session, actor, seen.tender, bid_id, fields=body, now=now)


@router.delete(
    "/{bid_id}",
    status_code=204,
    responses=problems(TenderNotFound, BidNotFound, SubmissionClosed, InvalidTenderTransition),
)
async def withdraw_bid(
    bid_id: uuid.UUID, session: SessionDep, seen: SignedInTender, actor: CurrentActor, now: NowDep
) -> Response:
    """Withdraw your provider's bid, until the deadline (409 `submission_closed`); your
    provider may bid again while the tender is open."""
    await bids.withdraw(session, actor, seen.tender, bid_id, now=now)
    return Response(status_code=204)


@router.put(
    "/{bid_id}/score",
    response_model=BidRead,
    responses=problems(TenderNotFound, CoopAdminRequired, BidNotFound, InvalidTenderTransition),
)
async def score_bid(
    bid_id: uuid.UUID, body: ScoreSet, session: SessionDep, admin: TenderAdmin, actor: CurrentActor
) -> TenderBid:
    """Score a bid's quality from 0 to 100 (co-op administrators), while the tender is in
    `evaluation` (409 `invalid_transition` otherwise); scoring again replaces the score."""
    return await bids.score(session, actor, admin.tender, bid_id, quality_score=body.quality_score)
