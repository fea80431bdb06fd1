"""The caller's Direct Payment award."""

from fastapi import APIRouter

from app.auth.dependencies import CurrentActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.core.clock import local_date
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.direct_payments import service
from app.direct_payments.errors import DirectPaymentNotFound
from app.direct_payments.models import DirectPaymentAward
from app.direct_payments.schemas import CycleRead, DirectPaymentRead, DirectPaymentSet
from app.workflows.allowance import allowance

router = APIRouter(prefix="/me/direct-payment", tags=["direct payments"])


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


@router.put("", response_model=DirectPaymentRead, responses=problems(OutsideMandate, NoMandate))
async def set_direct_payment(
    body: DirectPaymentSet, session: SessionDep, actor: CurrentActor, now: NowDep
) -> DirectPaymentRead:
    """Record your Direct Payment award, replacing any earlier one. Within each four-week
    cycle counted from `start_date`, your contributions across all co-ops may not exceed four
    times `weekly_amount_pence`."""
    award = await service.set_award(
        session,
        actor,
        area_code=body.area_code,
        weekly_amount_pence=body.weekly_amount_pence,
        start_date=body.start_date,
        end_date=body.end_date,
        assessed_hours_per_week=body.assessed_hours_per_week,
        now=now,
    )
    return await _read(session, award, now)


@router.get(
    "",
    response_model=DirectPaymentRead,
    responses=problems(DirectPaymentNotFound, OutsideMandate, NoMandate),
)
async def get_direct_payment(
    session: SessionDep, actor: ViewActor, now: NowDep
) -> DirectPaymentRead:
    """Your Direct Payment award with today's cycle (a representative with `view` may read
    the holder's). Without an award: 404 `not_found`."""
    award = await service.get_award(session, actor.principal.id)
    if award is None:
        raise DirectPaymentNotFound
    return await _read(session, award, now)
