"""The public directory by area: providers serving an area, and its coverage by service type."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas.errors import AreaNotFound
from app.core.errors import problems
from app.core.http_cache import conditional
from app.core.pagination import CursorPage
from app.providers import service
from app.providers.dependencies import directory
from app.providers.schemas import AreaListingQuery, CoverageRow, ProviderRead

router = APIRouter(prefix="/areas", tags=["areas"])

CACHED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `ETag` sent in `If-None-Match` is still current."}
}


@router.get(
    "/{code}/providers",
    response_model=CursorPage[ProviderRead],
    responses={**problems(AreaNotFound), **CACHED},
)
async def list_area_providers(
    code: str, request: Request, query: Annotated[AreaListingQuery, Query()]
) -> Response:
    """Verified providers serving an area, cheapest first, then by name. `q` matches part of
    the name whatever the case or accents (`ŵyn`, `WYN` and `wyn` all find "Gofal Ŵyn"; Ŵ sorts among the Ws). Answers
    carry a strong `ETag` (`If-None-Match` gives 304 while nothing changed)."""
    search = query.search

    async def render(session: AsyncSession) -> BaseModel:
        items, next_cursor = await service.list_in_area(
            session,
            code,
            query.page,
            service_type=query.service_type,
            welsh_language=query.welsh_language,
            max_hourly_rate_pence=query.max_hourly_rate_pence,
            q=search,
        )
        return CursorPage[ProviderRead](
            items=[ProviderRead.model_validate(p) for p in items], next_cursor=next_cursor
        )

    key = (
        "providers",
        code,
        query.service_type,
        query.welsh_language,
        query.max_hourly_rate_pence,
        search,
        query.limit,
        query.cursor,
    )
    return conditional(request, await directory(request).answer(key, render))


@router.get(
    "/{code}/coverage",
    response_model=CursorPage[CoverageRow],
    responses={**problems(AreaNotFound), **CACHED},
)
async def area_coverage(code: str, request: Request) -> Response:
    """For each service type, in a fixed order: how many verified providers offer it in the
    area, their lowest and median hourly rates (of an even count, the lower middle one), how
    many offer it fully in Welsh, and whether the area has a gap (nobody offers it)."""

    async def render(session: AsyncSession) -> BaseModel:
        rows = await service.area_coverage(session, code)
        return CursorPage[CoverageRow](items=[CoverageRow.model_validate(r) for r in rows])

    return conditional(request, await directory(request).answer(("coverage", code), render))
