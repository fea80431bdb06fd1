"""The paying council's routes: the awards it pays, confirmed or rejected by it."""

import uuid
from typing import Annotated

from fastapi import Query

from app.areas.errors import AreaNotFound
from app.auth.errors import InvalidToken
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.councils.dependencies import AreaCouncil, CurrentCouncil
from app.councils.errors import NotACouncil, NotThisArea
from app.direct_payments import council as councils
from app.direct_payments.errors import AwardNotFound, AwardTransitionInvalid, OwnAward
from app.direct_payments.models import AwardStatus, DirectPaymentAward
from app.direct_payments.schemas import (
    AwardConfirm,
    AwardReject,
    AwardVersionRead,
    CouncilAwardRead,
)

router = Router(tags=["local authorities"])
DECIDE_PROBLEMS = (InvalidToken, NotACouncil, AwardNotFound, OwnAward)


def _council_read(award: DirectPaymentAward, name: str) -> CouncilAwardRead:
    return CouncilAwardRead(
        **AwardVersionRead.model_validate(award).model_dump(),
        holder_user_id=award.user_id,
        holder_name=name,
    )


@router.get(
    "/la/areas/{code}/awards",
    response_model=CursorPage[CouncilAwardRead],
    responses=problems(InvalidToken, NotACouncil, NotThisArea, AreaNotFound),
)
async def list_awards(
    code: str,
    council: AreaCouncil,
    session: SessionDep,
    page: PageDep,
    status: Annotated[
        AwardStatus | None, Query(description="Only versions of this status.")
    ] = None,
) -> CursorPage[CouncilAwardRead]:
    """The Direct Payment award versions this council pays (their `area_code` is this area),
    oldest declaration first, with the holder's name: that council's officers and API clients
    (another council's area is 403). `?status=declared` is the work waiting to be decided."""
    del council  # the dependency has checked the caller is this area's council
    items, next_cursor = await paginate(
        session,
        councils.awards_of_area(code, status=status),
        page,
        order=[Sort(DirectPaymentAward.created_at), Sort(DirectPaymentAward.id)],
        key=lambda row: (row[0].created_at, row[0].id),
        scalars=False,
    )
    return CursorPage[CouncilAwardRead](
        items=[_council_read(award, name) for award, name in items], next_cursor=next_cursor
    )


@router.post(
    "/la/awards/{award_id}/confirm",
    response_model=CouncilAwardRead,
    responses=problems(*DECIDE_PROBLEMS),
)
async def confirm_award(
    award_id: uuid.UUID,
    body: AwardConfirm,
    council: CurrentCouncil,
    session: SessionDep,
    now: NowDep,
) -> CouncilAwardRead:
    """Confirm an award version this council pays, with the amount it pays and its own
    reference where given: that council's officers and API clients. Confirming a confirmed
    version again corrects its amount or reference (`confirmed_at` stays the first
    confirmation). Another council's award, or none, is 404; an officer's own award is 403
    `conflict_of_interest`. From confirmation the version counts in the public figures."""
    award = await councils.award_for_council(session, council, award_id)
    award = await councils.confirm(
        session,
        council,
        award,
        weekly_amount_pence=body.weekly_amount_pence,
        council_reference=body.council_reference,
        now=now,
    )
    return _council_read(award, await councils.holder_name(session, award))


@router.post(
    "/la/awards/{award_id}/reject",
    response_model=CouncilAwardRead,
    responses=problems(*DECIDE_PROBLEMS, AwardTransitionInvalid),
)
async def reject_award(
    award_id: uuid.UUID,
    body: AwardReject,
    council: CurrentCouncil,
    session: SessionDep,
    now: NowDep,
) -> CouncilAwardRead:
    """Reject a declared award version this council pays, with the reason the holder will
    read: that council's officers and API clients. A rejected version is not in force: the
    holder cannot pay Direct Payment money in under it, and its postings count in no council
    figure. The holder may correct it (`PUT /me/direct-payment` with its `start_date`), which
    declares it again. A confirmed (or already rejected) version is 409 `invalid_transition`;
    another council's award, or none, is 404."""
    award = await councils.award_for_council(session, council, award_id)
    award = await councils.reject(session, council, award, reason=body.reason, now=now)
    return _council_read(award, await councils.holder_name(session, award))
