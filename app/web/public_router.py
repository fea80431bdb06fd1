"""Pages anyone may read: the provider directory by area and service (coverage and gaps),
published tenders, and the register of co-operatives."""

import uuid
from enum import StrEnum
from typing import TypeVar

from fastapi.responses import Response

from app.areas import service as areas
from app.areas.errors import AreaNotFound
from app.coops import service as coops
from app.coops.models import Coop, MemberClass
from app.core.disclosure import people_count
from app.core.errors import NotFound
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.providers import service as providers
from app.providers.coverage import Coverage
from app.providers.models import Provider, ServiceType
from app.tenders import service as tenders
from app.tenders.dependencies import load_visible
from app.tenders.models import Tender
from app.tenders.states import TenderStatus
from app.web.pages import EMPTY_FORM, AnyPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 20
E = TypeVar("E", bound=StrEnum)


def enum_or_404(kind: type[E], value: str | None) -> E | None:
    """A filter from the address: an unknown value names no page."""
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise NotFound from None


async def _area_names(page: AnyPage) -> dict[str, str]:
    return {
        area.code: area.name_cy if page.language == "cy" else area.name_en
        for area in await areas.list_areas(page.session)
    }


@router.get("/providers")
async def directory(
    page: AnyPage,
    area: str | None = None,
    service_type: str | None = None,
    cursor: str | None = None,
) -> Response:
    """Choose an area (and a service): how well it is covered, the gaps, and who serves it."""
    names = await _area_names(page)
    chosen_type = enum_or_404(ServiceType, service_type)
    coverage: list[Coverage] | None = None
    found: list[Provider] = []
    next_cursor: str | None = None
    if area:
        if area not in names:
            raise AreaNotFound(code=area)
        coverage = await providers.area_coverage(page.session, area)
        found, next_cursor = await providers.list_in_area(
            page.session,
            area,
            PageRequest(limit=PAGE_SIZE, cursor=cursor),
            service_type=chosen_type,
        )
    return page.render(
        "public/directory.html",
        form=EMPTY_FORM,
        area_options=sorted(names.items(), key=lambda pair: pair[1]),
        area=area,
        area_name=names.get(area or ""),
        service_type=chosen_type.value if chosen_type else "",
        service_types=list(ServiceType),
        coverage=coverage,
        providers=found,
        next_cursor=next_cursor,
    )


@router.get("/tenders")
async def list_tenders(
    page: AnyPage, status: str | None = None, cursor: str | None = None
) -> Response:
    """Published tenders of every co-operative, newest first."""
    chosen = enum_or_404(TenderStatus, status)
    if chosen == TenderStatus.draft:
        raise NotFound
    await tenders.settle_due(page.session, page.actor, now=page.now)
    items, next_cursor = await paginate(
        page.session,
        tenders.published_tenders(status=chosen),
        PageRequest(limit=PAGE_SIZE, cursor=cursor),
        order=[Sort(Tender.created_at, descending=True), Sort(Tender.id, descending=True)],
        key=lambda t: (t.created_at, t.id),
    )
    return page.render(
        "public/tenders.html",
        form=EMPTY_FORM,
        tenders=await tenders.describe(page.session, items),
        statuses=[s for s in TenderStatus if s != TenderStatus.draft],
        chosen_status=chosen.value if chosen else "",
        next_cursor=next_cursor,
        area_names=await _area_names(page),
    )


@router.get("/tenders/{tender_id}")
async def show_tender(page: AnyPage, tender_id: uuid.UUID) -> Response:
    """One tender: what is bought, where, the rules of the competition and the demand."""
    tender, _ = await load_visible(page.session, tender_id, page.actor, page.now)
    return page.render(
        "public/tender.html",
        tender=await tenders.read(page.session, tender),
        area_names=await _area_names(page),
    )


@router.get("/coops")
async def list_coops(page: AnyPage, area: str | None = None, cursor: str | None = None) -> Response:
    """The register of co-operatives, by name (member counts under disclosure control)."""
    names = await _area_names(page)
    if area and area not in names:
        raise AreaNotFound(code=area)
    rows, next_cursor = await paginate(
        page.session,
        coops.register(area_code=area or None),
        PageRequest(limit=PAGE_SIZE, cursor=cursor),
        order=[Sort(Coop.name), Sort(Coop.id)],
        key=lambda row: (row[0].name, row[0].id),
        scalars=False,
    )
    return page.render(
        "public/coops.html",
        form=EMPTY_FORM,
        coops=[(coop, people_count(count)) for coop, count in rows],
        area_options=sorted(names.items(), key=lambda pair: pair[1]),
        area=area or "",
        area_names=names,
        next_cursor=next_cursor,
    )


@router.get("/coops/{coop_id}")
async def show_coop(page: AnyPage, coop_id: uuid.UUID) -> Response:
    """A co-operative's public page; for its members, the way into its own pages; for anyone
    else signed in, the form to apply to join."""
    coop = await coops.get_coop(page.session, coop_id)
    membership = None
    if page.actor is not None:
        membership = await coops.live_membership_of(
            page.session, coop_id=coop.id, user_id=page.user.id
        )
    return page.render(
        "public/coop.html",
        form=EMPTY_FORM,
        coop=coop,
        members=people_count(await coops.count_active_members(page.session, coop.id)),
        area_names=await _area_names(page),
        membership=membership,
        member_classes=list(MemberClass),
        done=page.request.query_params.get("done"),
    )
