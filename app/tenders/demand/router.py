"""Demand aggregation: holders declare the hours a week they would buy through a tender."""

from app.auth.errors import NoMandate, OutsideMandate
from app.core.deps import NowDep, SessionDep
from app.core.errors import must_exist, problems
from app.core.routing import Router
from app.tenders.demand import service as demand
from app.tenders.dependencies import DemandingMember, PublicTender
from app.tenders.errors import (
    DemandNotAHolder,
    InvalidTenderTransition,
    NotCoopMember,
    TenderNotFound,
)
from app.tenders.schemas import DemandRead, DemandSet

router = Router(prefix="/tenders/{tender_id}/demand", tags=["tenders"])


@router.put(
    "/me",
    response_model=DemandRead,
    responses=problems(
        TenderNotFound,
        NotCoopMember,
        InvalidTenderTransition,
        DemandNotAHolder,
        OutsideMandate,
        NoMandate,
    ),
)
async def set_my_demand(
    body: DemandSet, session: SessionDep, seen: DemandingMember, now: NowDep
) -> DemandRead:
    """Declare the hours a week you want to buy through this tender (0 withdraws), while it
    is a draft or open for bids (409 `invalid_transition` after). Only Direct Payment holders
    (`service_user` members of the tender's co-op) declare demand (422 `not_a_holder`). A
    representative needs the `contribute` scope: the demand becomes a call-off the holder's
    money pays for. The answer is the demand as you now see it."""
    actor = must_exist(seen.actor, "DemandingMember needs a token")
    member = must_exist(seen.member, "and a membership")
    await demand.set_demand(
        session, actor, seen.tender, member, hours_per_week=body.hours_per_week, now=now
    )
    return await demand.view(session, seen.tender, member=member, show_lines=seen.is_admin)


@router.get(
    "",
    response_model=DemandRead,
    responses=problems(TenderNotFound, OutsideMandate, NoMandate),
)
async def get_demand(seen: PublicTender, session: SessionDep) -> DemandRead:
    """The tender's total demand (public once published): `total_hours_per_week`, which
    providers bid on, and `members`, how many declared demand, as a count of people under
    disclosure control (`{"value", "suppressed"}`: 1-7 suppressed, 8 or more rounded to the
    nearest 5, 0 stays 0) for every caller, administrators included. A member also sees their
    own line; the co-op's administrators see every line."""
    return await demand.view(session, seen.tender, member=seen.member, show_lines=seen.is_admin)
