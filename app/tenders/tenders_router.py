"""Collective tenders: drafting, publishing, cancelling and reading them."""

from typing import Annotated

from fastapi import Query

from app.auth.dependencies import CurrentActor, OptionalActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import service as coops
from app.coops.dependencies import CoopAdmin, CurrentMembership
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.core.schemas import AreaCode
from app.providers.models import ServiceType
from app.tenders import repository, service
from app.tenders.dependencies import PublicTender, TenderAdmin
from app.tenders.errors import DeadlineNotInFuture, InvalidTenderTransition, TenderNotFound
from app.tenders.models import Tender
from app.tenders.schemas import TenderCancel, TenderCreate, TenderRead, TenderUpdate
from app.tenders.states import TenderStatus

router = Router(tags=["tenders"])

ADMIN_PROBLEMS = (TenderNotFound, CoopAdminRequired, OutsideMandate, NoMandate)
NEWEST_FIRST = [Sort(Tender.created_at, descending=True), Sort(Tender.id, descending=True)]


def _newest_first(tender: Tender) -> tuple[object, ...]:
    return (tender.created_at, tender.id)


@router.post(
    "/coops/{coop_id}/tenders",
    status_code=201,
    response_model=TenderRead,
    responses=problems(CoopNotFound, CoopAdminRequired, OutsideMandate, NoMandate),
)
async def create_tender(
    body: TenderCreate, session: SessionDep, admin: CoopAdmin, actor: CurrentActor, now: NowDep
) -> TenderRead:
    """Draft a tender (co-op administrators). Its `area_codes` must be some or all of the
    co-operative's own areas (422 otherwise); `price_weight + quality_weight` must be 100.
    A draft is seen by the co-op's members only until it is published."""
    coop = await coops.get_coop(session, admin.coop_id)
    tender = await service.create_tender(session, actor, coop, fields=body, now=now)
    return await service.read(session, tender)


@router.get(
    "/coops/{coop_id}/tenders",
    response_model=CursorPage[TenderRead],
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def list_coop_tenders(
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    now: NowDep,
    status: Annotated[
        TenderStatus | None, Query(description="Only tenders in this status (drafts too).")
    ] = None,
) -> CursorPage[TenderRead]:
    """The co-op's tenders, drafts included, newest first, optionally in one `status` (members;
    a representative with `view`). A tender past its deadline is settled first, so it is found
    under the status it reads as (`evaluation` or `unsuccessful`)."""
    await service.settle_due(session, actor, now=now, coop_id=member.coop_id)
    items, next_cursor = await paginate(
        session,
        repository.of_coop(member.coop_id, status=status),
        page,
        order=NEWEST_FIRST,
        key=_newest_first,
    )
    return CursorPage[TenderRead](
        items=await service.describe(session, items), next_cursor=next_cursor
    )


@router.get("/tenders", response_model=CursorPage[TenderRead], responses=problems())
async def list_tenders(
    session: SessionDep,
    actor: OptionalActor,
    page: PageDep,
    now: NowDep,
    status: Annotated[
        TenderStatus | None, Query(description="Only tenders in this status (never drafts).")
    ] = None,
    area_code: Annotated[AreaCode | None, Query(description="Only tenders in this area.")] = None,
    service_type: Annotated[ServiceType | None, Query()] = None,
) -> CursorPage[TenderRead]:
    """Published tenders of every co-operative, newest first, each with its total demand.
    Public: drafts are never listed here."""
    await service.settle_due(session, actor, now=now)
    items, next_cursor = await paginate(
        session,
        repository.published(status=status, area_code=area_code, service_type=service_type),
        page,
        order=NEWEST_FIRST,
        key=_newest_first,
    )
    return CursorPage[TenderRead](
        items=await service.describe(session, items), next_cursor=next_cursor
    )


@router.get(
    "/tenders/{tender_id}",
    response_model=TenderRead,
    responses=problems(TenderNotFound, OutsideMandate, NoMandate),
)
async def get_tender(seen: PublicTender, session: SessionDep) -> TenderRead:
    """One tender with its total demand. Public once published; a draft exists only for the
    co-op's members. After the submission deadline it reads as `evaluation` (or
    `unsuccessful` when no valid bid came)."""
    return await service.read(session, seen.tender)


@router.patch(
    "/tenders/{tender_id}",
    response_model=TenderRead,
    responses=problems(*ADMIN_PROBLEMS, InvalidTenderTransition),
)
async def update_tender(
    body: TenderUpdate, session: SessionDep, admin: TenderAdmin, actor: CurrentActor
) -> TenderRead:
    """Edit a draft (co-op administrators). Once published, a tender cannot change: 409
    `invalid_transition`."""
    tender = await service.update_tender(
        session, actor, admin.tender, admin.coop, changes=body.model_dump(exclude_unset=True)
    )
    return await service.read(session, tender)


@router.post(
    "/tenders/{tender_id}/publish",
    response_model=TenderRead,
    responses=problems(*ADMIN_PROBLEMS, InvalidTenderTransition, DeadlineNotInFuture),
)
async def publish_tender(
    session: SessionDep, admin: TenderAdmin, actor: CurrentActor, now: NowDep
) -> TenderRead:
    """Open a draft for bids (co-op administrators); its submission deadline must still be in
    the future (422 `deadline_not_in_future`)."""
    tender = await service.publish(session, actor, admin.tender, now=now)
    return await service.read(session, tender)


@router.post(
    "/tenders/{tender_id}/cancel",
    response_model=TenderRead,
    responses=problems(*ADMIN_PROBLEMS, InvalidTenderTransition),
)
async def cancel_tender(
    body: TenderCancel, session: SessionDep, admin: TenderAdmin, actor: CurrentActor, now: NowDep
) -> TenderRead:
    """Cancel a tender at any stage before its contract (co-op administrators). The reason is
    published with it. Bids not yet opened stay sealed."""
    tender = await service.cancel(session, actor, admin.tender, reason=body.reason, now=now)
    return await service.read(session, tender)
