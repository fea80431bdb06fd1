"""The public list of Welsh areas, and each council's monitoring profile."""

from app.areas import service
from app.areas.errors import AreaNotFound
from app.areas.models import Area
from app.areas.schemas import AreaRead, MonitoringProfileRead, MonitoringProfileWrite
from app.auth.dependencies import PlatformAdmin
from app.auth.errors import PlatformAdminRequired
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, page_of_list
from app.core.routing import Router

router = Router(prefix="/areas", tags=["areas"])


@router.get("", response_model=CursorPage[AreaRead])
async def list_areas(session: SessionDep, page: PageDep) -> CursorPage[AreaRead]:
    """The 22 principal local authorities of Wales, by ONS code, with Welsh names and health boards."""
    items, next_cursor = page_of_list(await service.list_areas(session), page)
    return CursorPage[AreaRead](
        items=[AreaRead.model_validate(a) for a in items], next_cursor=next_cursor
    )


@router.get("/{code}", response_model=AreaRead, responses=problems(AreaNotFound))
async def get_area(code: str, session: SessionDep) -> Area:
    """One area by its ONS code (e.g. W06000015, Cardiff)."""
    return await service.get_area(session, code)


def _profile_read(profile: service.Profile) -> MonitoringProfileRead:
    return MonitoringProfileRead(
        area_code=profile.area_code,
        period=profile.period,
        surplus_weeks=profile.surplus_weeks,
        first_review_weeks=profile.first_review_weeks,
        is_default=profile.is_default,
        updated_at=profile.updated_at,
    )


@router.get(
    "/{code}/monitoring-profile",
    response_model=MonitoringProfileRead,
    responses=problems(AreaNotFound),
)
async def get_monitoring_profile(code: str, session: SessionDep) -> MonitoringProfileRead:
    """How the council of area `code` monitors the Direct Payments it pays (public): how often
    it asks for a return (`period`), how many weeks of budget a holder may keep before the
    balance is a surplus it may claw back (`surplus_weeks`: a holder's `surplus` flag on
    statements and returns uses their paying council's figure), and when it first reviews a
    new award (`first_review_weeks`). A council that never set one reads the defaults
    (`quarterly`, 8, 12) with `is_default: true`. 404 `area_not_found` for an unknown code."""
    return _profile_read(await service.monitoring_profile(session, code))


@router.put(
    "/{code}/monitoring-profile",
    response_model=MonitoringProfileRead,
    responses=problems(AreaNotFound, PlatformAdminRequired),
)
async def set_monitoring_profile(
    code: str,
    body: MonitoringProfileWrite,
    session: SessionDep,
    actor: PlatformAdmin,
    now: NowDep,
) -> MonitoringProfileRead:
    """Set the council's monitoring profile, all three figures at once (platform admins only;
    anyone else is 403). From then on the holders it pays are told of a surplus above its
    `surplus_weeks`. Audited."""
    profile = await service.set_monitoring_profile(
        session,
        actor,
        code,
        period=body.period,
        surplus_weeks=body.surplus_weeks,
        first_review_weeks=body.first_review_weeks,
        now=now,
    )
    return _profile_read(profile)
