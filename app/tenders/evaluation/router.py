"""The evaluation of opened bids and the award."""

from app.auth.dependencies import CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.errors import CoopAdminRequired
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, page_of_list
from app.core.routing import Router
from app.tenders import repository, service
from app.tenders.award import service as award
from app.tenders.bids import service as bids
from app.tenders.dependencies import SignedInTender, TenderAdmin
from app.tenders.errors import (
    AwardRejected,
    BidNotFound,
    BidsNotScored,
    BidsNotVisible,
    BidsSealed,
    InvalidTenderTransition,
    TenderNotFound,
)
from app.tenders.evaluation import service as evaluation
from app.tenders.schemas import AwardCreate, EvaluationItem, TenderRead

router = Router(prefix="/tenders/{tender_id}", tags=["tenders"])


def _item(ranked: evaluation.Ranked) -> EvaluationItem:
    return EvaluationItem(
        rank=ranked.rank,
        bid_id=ranked.bid.bid_id,
        provider_id=ranked.bid.provider_id,
        hourly_rate_pence=ranked.bid.hourly_rate_pence,
        quality_score=ranked.bid.quality_score,
        price_points=evaluation.points_text(ranked.price_points),
        quality_points=None
        if ranked.quality_points is None
        else evaluation.points_text(ranked.quality_points),
        total_points=None
        if ranked.total_points is None
        else evaluation.points_text(ranked.total_points),
    )


@router.get(
    "/evaluation",
    response_model=CursorPage[EvaluationItem],
    responses=problems(TenderNotFound, BidsSealed, BidsNotVisible, OutsideMandate, NoMandate),
)
async def get_evaluation(
    seen: SignedInTender, session: SessionDep, actor: CurrentActor, page: PageDep
) -> CursorPage[EvaluationItem]:
    """The opened bids ranked, best first (the co-op's administrators and platform
    administrators; before the deadline 403 `bids_sealed` for everyone).
    `price_points = price_weight x lowest_rate / rate`, `quality_points = quality_weight x
    quality_score / 100`; the ranking uses the exact values, ties going to the lower rate,
    then the earlier bid. Points are decimal strings with 2 places, rounded half up. Bids not
    yet scored come last, with no rank and no quality or total points."""
    bids.require_every_bid_visible(actor, seen.tender, is_admin=seen.is_admin)
    ranked = award.ranking(seen.tender, await repository.bids_of(session, seen.tender.id))
    items, next_cursor = page_of_list([_item(r) for r in ranked], page)
    return CursorPage[EvaluationItem](items=items, next_cursor=next_cursor)


@router.post(
    "/award",
    response_model=TenderRead,
    responses=problems(
        TenderNotFound,
        CoopAdminRequired,
        BidNotFound,
        BidsNotScored,
        AwardRejected,
        InvalidTenderTransition,
    ),
)
async def award_tender(
    body: AwardCreate, session: SessionDep, admin: TenderAdmin, actor: CurrentActor, now: NowDep
) -> TenderRead:
    """Award the tender to a bid (co-op administrators), once every bid is scored (409
    `bids_not_scored`). When the co-op's rules ask for a vote (`award_requires_vote`), a
    proposal of kind `award_tender` is put to the members, closing in 7 days or when all have
    voted, and the tender is `award_pending_vote` (`award_proposal_id` names the proposal):
    if it passes the tender is `awarded`, if not it returns to `evaluation`, where another bid
    may be awarded: a bid the members voted down is not put to them again (409
    `award_rejected`; a vote without quorum decided nothing, so that bid may be). Every award
    proposal the tender had stays listed in `award_proposal_ids`. Otherwise it is `awarded`
    at once. The contract may follow when `standstill_days` have passed."""
    tender = await award.award(
        session, actor, admin.tender, admin.coop, bid_id=body.bid_id, now=now
    )
    return await service.read(session, tender)
