"""The caller's Direct Payment award and its history; the councils' routes are gathered here."""

from app.auth.dependencies import CurrentActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.core.clock import local_date
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, page_of_list
from app.core.routing import Router
from app.direct_payments import service
from app.direct_payments.errors import AwardConfirmed, AwardInPast, DirectPaymentNotFound
from app.direct_payments.models import DirectPaymentAward
from app.direct_payments.schemas import (
    AwardVersionRead,
    CycleRead,
    DirectPaymentRead,
    DirectPaymentSet,
)
from app.workflows.allowance import allowance

router = Router(tags=["direct payments"])
PREFIX = "/me/direct-payment"


async def _read(session: SessionDep, award: DirectPaymentAward, now: NowDep) -> DirectPaymentRead:
    read = DirectPaymentRead.model_validate(award)
    headroom = await allowance(session, award, on=local_date(now))
    if headroom is None:
        return read
    read.current_cycle = CycleRead(
        number=headroom.cycle.number,
        first_day=headroom.cycle.first_day,
        last_day=headroom.cycle.last_day,
        allowance_pence=headroom.allowance_pence,
        contributed_pence=headroom.contributed_pence,
        remaining_pence=headroom.remaining_pence,
    )
    return read


@router.put(
    PREFIX,
    response_model=DirectPaymentRead,
    responses=problems(OutsideMandate, NoMandate, AwardConfirmed, AwardInPast),
)
async def set_direct_payment(
    body: DirectPaymentSet, session: SessionDep, actor: CurrentActor, now: NowDep
) -> DirectPaymentRead:
    """Declare your Direct Payment award. Your award is a history of versions, and this is
    compared with the latest one:

    - a later `start_date` starts a new version and ends the latest the day before;
    - the same `start_date` corrects the latest version while it is `declared` or `rejected`
      (it is `declared` again, for your council to decide); once your council has confirmed
      it, only the council corrects it (409 `award_confirmed`);
    - an earlier `start_date` is 422 `award_in_past`.

    Each version starts `declared`; the council that pays it (`area_code`) confirms or
    rejects it. Declared and confirmed versions are in force between their dates. Within each
    four-week cycle counted from the version's `start_date`, your `direct_payment`
    contributions across all co-ops may not exceed four times `weekly_amount_pence`. The answer
    is the version written, with today's cycle when it is in force today."""
    award = await service.set_award(
        session,
        actor,
        service.AwardFigures(
            area_code=body.area_code,
            weekly_amount_pence=body.weekly_amount_pence,
            start_date=body.start_date,
            end_date=body.end_date,
            assessed_hours_per_week=body.assessed_hours_per_week,
        ),
        now=now,
    )
    return await _read(session, award, now)


@router.get(
    PREFIX,
    response_model=DirectPaymentRead,
    responses=problems(DirectPaymentNotFound, OutsideMandate, NoMandate),
)
async def get_direct_payment(
    session: SessionDep, actor: ViewActor, now: NowDep
) -> DirectPaymentRead:
    """The version of your award in force today (a day in Wales), with today's cycle (a
    representative with `view` may read the holder's). Without one in force: 404 `not_found`
    (the history shows versions that are not, or not yet, in force)."""
    award = await service.version_in_force(session, actor.principal.id, on=local_date(now))
    if award is None:
        raise DirectPaymentNotFound
    return await _read(session, award, now)


@router.get(
    f"{PREFIX}/history",
    response_model=CursorPage[AwardVersionRead],
    responses=problems(OutsideMandate, NoMandate),
)
async def list_direct_payment_history(
    session: SessionDep, actor: ViewActor, page: PageDep
) -> CursorPage[AwardVersionRead]:
    """Every version of your award, the latest start first, rejected ones included (a
    representative with `view` may read the holder's)."""
    items, next_cursor = page_of_list(await service.history(session, actor.principal.id), page)
    return CursorPage[AwardVersionRead](
        items=[AwardVersionRead.model_validate(a) for a in items], next_cursor=next_cursor
    )


# The councils' routes, with their own tag.
from app.direct_payments.council_router import router as council_router  # noqa: E402

router.include_router(council_router)
