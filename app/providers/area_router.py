"""The public directory by area: providers serving an area, and its coverage by service type."""

from typing import Annotated, Any

from fastapi import Query, Request, Response

from app.areas.errors import AreaNotFound
from app.core.errors import problems
from app.core.http_cache import conditional
from app.core.pagination import CursorPage
from app.core.routing import Router
from app.providers import area_listing
from app.providers.dependencies import directory
from app.providers.schemas import AreaListingQuery, CoverageRow, ProviderRead

router = Router(prefix="/areas", tags=["areas"])

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
    answer = await area_listing.listing(directory(request.app), code, query)
    return conditional(request, answer)


@router.get(
    "/{code}/coverage",
    response_model=CursorPage[CoverageRow],
    responses={**problems(AreaNotFound), **CACHED},
)
async def area_coverage(code: str, request: Request) -> Response:
    """For each service type, in a fixed order: how many verified providers offer it in the
    area, their lowest and median hourly rates (of an even count, the lower middle one), how
    many offer it fully in Welsh, and whether the area has a gap (nobody offers it)."""
    return conditional(request, await area_listing.coverage(directory(request.app), code))
