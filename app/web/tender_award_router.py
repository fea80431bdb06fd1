"""A tender's own page for its co-op's administrators, and what moves it from the draft to
the contract: publishing (or cancelling), the bids sealed until the deadline, scoring them,
the ranking, the award (and the members' vote on it, where the co-op's rules ask for one),
making the contract, and the contract's page.

Each form calls the service the API's route calls, so the rules and the refusals are the
API's; a refusal is shown on the tender's page in an error summary, in the API's words."""

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from app.core.errors import AppError
from app.core.routing import Router
from app.governance import service as governance
from app.providers import service as providers
from app.tenders import service as tenders
from app.tenders.award import service as award
from app.tenders.bids import service as bids
from app.tenders.contracts import service as contracts
from app.tenders.contracts import variations
from app.tenders.demand import service as demand
from app.tenders.dependencies import seen_contract
from app.tenders.errors import BidsSealed, ContractNotFound
from app.tenders.evaluation import service as evaluation
from app.tenders.models import Tender
from app.tenders.schemas import AwardCreate, BidRead, ScoreSet, TenderCancel
from app.tenders.states import TenderStatus, can_move
from app.web.forms import read_form, refuse, validated
from app.web.membership import admin_of, member_names
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute
from app.web.tender_admin_router import DIGITS, administered, area_names, tender_address

router = Router(route_class=PageRoute, include_in_schema=False)


async def bid_view(page: Page, tender: Tender) -> dict[str, Any]:
    """The bids as their co-op's administrator may see them now: sealed until the deadline
    (the API's own refusal, in the page's language), then every bid, ranked."""
    try:
        bids.require_every_bid_visible(page.me, tender, is_admin=True)
    except BidsSealed as sealed:
        return {"sealed": sealed.detail_in(page.language), "bids": [], "ranked": [], "names": {}}
    found = await bids.visible_bids(page.session, page.me, tender, is_admin=True)
    names: dict[uuid.UUID, str] = {}
    for bid in found:
        provider = await providers.provider_with_offer(page.session, bid.provider_id)
        names[bid.provider_id] = provider.name if provider else str(bid.provider_id)
    ranked = [
        {
            "rank": r.rank,
            "bid_id": r.bid.bid_id,
            "provider": names[r.bid.provider_id],
            "hourly_rate_pence": r.bid.hourly_rate_pence,
            "quality_score": r.bid.quality_score,
            "price_points": evaluation.points_text(r.price_points),
            "quality_points": None
            if r.quality_points is None
            else evaluation.points_text(r.quality_points),
            "total_points": None
            if r.total_points is None
            else evaluation.points_text(r.total_points),
        }
        for r in award.ranking(tender, found)
    ]
    return {
        "sealed": None,
        "bids": [BidRead.model_validate(b) for b in found],
        "ranked": ranked,
        "names": names,
    }


async def show_tender(page: Page, form: FormState) -> Response:
    params = page.request.path_params
    held = await administered(page, uuid.UUID(params["coop_id"]), uuid.UUID(params["tender_id"]))
    tender = held.tender
    read = await tenders.read(page.session, tender)
    wanted = await demand.view(page.session, tender, member=held.admin, show_lines=True)
    members = await member_names(
        page, held.coop.id, [line.member_id for line in wanted.lines or []]
    )
    votes = []
    for proposal_id in read.award_proposal_ids:
        proposal, _ = await governance.visible_proposal(
            page.session, proposal_id=proposal_id, user_id=page.user.id
        )
        votes.append(proposal)
    return page.render(
        "coop/tender_admin.html",
        coop=held.coop,
        membership=held.admin,
        current="tenders",
        form=form,
        tender=read,
        demand=wanted,
        member_names=members,
        area_names=await area_names(page),
        votes=votes,
        can_publish=can_move(tender.status, TenderStatus.open),
        can_cancel=can_move(tender.status, TenderStatus.cancelled),
        done=page.request.query_params.get("done"),
        **await bid_view(page, tender),
    )


@router.get("/coops/{coop_id}/admin/tenders/{tender_id}")
async def tender_page(coop_id: uuid.UUID, tender_id: uuid.UUID, page: SignedInPage) -> Response:
    """The tender at its stage: the draft to edit and publish; sealed bids until the
    deadline; then the bids to score, the ranking, the award and its vote, the contract."""
    del coop_id, tender_id
    return await show_tender(page, EMPTY_FORM)


@router.post("/coops/{coop_id}/admin/tenders/{tender_id}/publish")
async def publish_tender(coop_id: uuid.UUID, tender_id: uuid.UUID, page: SignedInPage) -> Response:
    """Open the draft for bids (`POST /api/v1/tenders/{id}/publish`), while its deadline is
    still to come."""
    held = await administered(page, coop_id, tender_id)
    try:
        await tenders.publish(page.session, page.me, held.tender, now=page.now)
    except AppError as error:
        raise refuse(page.language, error, {}, show_tender) from error
    return page.redirect(tender_address(coop_id, tender_id, "published"))


@router.post("/coops/{coop_id}/admin/tenders/{tender_id}/cancel")
async def cancel_tender(
    coop_id: uuid.UUID, tender_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Cancel the tender before its contract (`POST /api/v1/tenders/{id}/cancel`); the reason
    is published with it."""
    values = await read_form(request)
    held = await administered(page, coop_id, tender_id)
    try:
        body = validated(TenderCancel, {k: v for k, v in values.items() if k == "reason"})
        await tenders.cancel(page.session, page.me, held.tender, reason=body.reason, now=page.now)
    except AppError as error:
        raise refuse(
            page.language, error, values, show_tender, fields={"invalid_transition": "reason"}
        ) from error
    return page.redirect(tender_address(coop_id, tender_id, "cancelled"))


# Evaluating, awarding, contracting.


@router.post("/coops/{coop_id}/admin/tenders/{tender_id}/bids/{bid_id}/score")
async def score_bid(
    coop_id: uuid.UUID,
    tender_id: uuid.UUID,
    bid_id: uuid.UUID,
    request: Request,
    page: SignedInPage,
) -> Response:
    """Score a bid's quality from 0 to 100 while the tender is being evaluated (`PUT
    /api/v1/tenders/{id}/bids/{bid_id}/score`); scoring again replaces the score."""
    values = await read_form(request)
    held = await administered(page, coop_id, tender_id)
    typed = values.get("quality_score")
    try:
        fields = (
            {}
            if typed is None
            else {"quality_score": int(typed) if DIGITS.fullmatch(typed) else typed}
        )
        body = validated(ScoreSet, fields)
        await bids.score(
            page.session, page.me, held.tender, bid_id, quality_score=body.quality_score
        )
    except AppError as error:
        if error.status == 404:
            raise
        raise refuse(
            page.language,
            error,
            {**values, "bid_id": str(bid_id)},
            show_tender,
            fields={"invalid_transition": "quality_score"},
        ) from error
    return page.redirect(tender_address(coop_id, tender_id, "scored"))


@router.post("/coops/{coop_id}/admin/tenders/{tender_id}/award")
async def award_tender(
    coop_id: uuid.UUID, tender_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Award the tender to a bid once every bid is scored (`POST /api/v1/tenders/{id}/award`):
    put to the members' vote where the co-op's rules (as they stood at publication) ask for
    one, else awarded at once."""
    values = await read_form(request)
    held = await administered(page, coop_id, tender_id)
    try:
        body = validated(AwardCreate, {k: v for k, v in values.items() if k == "bid_id"})
        tender = await award.award(
            page.session, page.me, held.tender, held.coop, bid_id=body.bid_id, now=page.now
        )
    except AppError as error:
        raise refuse(
            page.language,
            error,
            {**values, "award": "1"},
            show_tender,
            fields={"not_found": "bid_id", "award_rejected": "bid_id"},
        ) from error
    voting = tender.status == TenderStatus.award_pending_vote
    return page.redirect(tender_address(coop_id, tender_id, "vote_opened" if voting else "awarded"))


@router.post("/coops/{coop_id}/admin/tenders/{tender_id}/contract")
async def make_contract(coop_id: uuid.UUID, tender_id: uuid.UUID, page: SignedInPage) -> Response:
    """Contract the awarded provider once the standstill is over (`POST
    /api/v1/tenders/{id}/contract`): each member's demand becomes their call-off."""
    held = await administered(page, coop_id, tender_id)
    try:
        contract = await contracts.create_contract(page.session, page.me, held.tender, now=page.now)
    except AppError as error:
        raise refuse(page.language, error, {}, show_tender) from error
    return page.redirect(f"/coops/{coop_id}/admin/contracts/{contract.id}?done=contracted")


@router.get("/coops/{coop_id}/admin/contracts/{contract_id}")
async def contract_page(coop_id: uuid.UUID, contract_id: uuid.UUID, page: SignedInPage) -> Response:
    """The contract as its co-op's administrators see it (`GET /api/v1/contracts/{id}`): the
    provider and rate at signing, every member's call-off, and any change of rate."""
    coop, admin = await admin_of(page, coop_id)
    seen = await seen_contract(contract_id, page.session, page.me, page.now)
    if seen.contract.coop_id != coop.id:
        raise ContractNotFound
    varied = await variations.variations_of(page.session, [seen.contract.id])
    read = contracts.read(seen.contract, seen.viewer, varied.get(seen.contract.id, []))
    return page.render(
        "coop/tender_contract.html",
        coop=coop,
        membership=admin,
        current="tenders",
        contract=read,
        member_names=await member_names(page, coop.id, [c.member_id for c in read.call_offs]),
        done=page.request.query_params.get("done"),
    )
