"""The public directory by area: providers serving an area, and its coverage by service type."""

from collections.abc import Awaitable, Callable, Hashable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas.errors import AreaNotFound
from app.core.deps import SessionDep
from app.core.errors import problems
from app.core.http_cache import RenderCache, Rendered, conditional, rendered
from app.core.pagination import CursorPage, PageDep
from app.providers import service
from app.providers.dependencies import DirectoryCache
from app.providers.models import ServiceType, WelshLanguage, search_key
from app.providers.schemas import CoverageRow, ProviderRead

router = APIRouter(prefix="/areas", tags=["areas"])

CACHED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `ETag` sent in `If-None-Match` is still current."}
}


async def cached(
    session: AsyncSession,
    cache: RenderCache,
    key: tuple[Hashable, ...],
    render: Callable[[], Awaitable[BaseModel]],
) -> Rendered:
    """The answer for `key` at the directory's current stamp, rendered at most once per stamp.

    The stamp is read before the data: a write landing in between then files its fresh rows
    under the old stamp, which no later request asks for, never stale rows under the new one.
    """
    full_key = (await service.directory_stamp(session), *key)
    hit = cache.get(full_key)
    if hit is not None:
        return hit
    return cache.put(full_key, rendered((await render()).model_dump_json().encode()))


@router.get(
    "/{code}/providers",
    response_model=CursorPage[ProviderRead],
    responses={**problems(AreaNotFound), **CACHED},
)
async def list_area_providers(
    code: str,
    request: Request,
    session: SessionDep,
    cache: DirectoryCache,
    page: PageDep,
    service_type: Annotated[ServiceType | None, Query(description="Offers this type.")] = None,
    welsh_language: Annotated[
        WelshLanguage | None,
        Query(description="At least this Welsh offer: `some` matches `some` and `full`."),
    ] = None,
    max_hourly_rate_pence: Annotated[
        int | None, Query(ge=1, description="Charges at most this per hour.")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Part of the name, in any case.")
    ] = None,
) -> Response:
    """Verified providers serving an area, cheapest first, then by name. `q` matches part of
    the name whatever the case, Welsh letters included (`ŵyn` finds "Gofal Ŵyn"). Answers
    carry a strong `ETag` (`If-None-Match` gives 304 while nothing changed)."""
    query = search_key(q.strip()) if q and q.strip() else None

    async def render() -> BaseModel:
        items, next_cursor = await service.list_in_area(
            session,
            code,
            page,
            service_type=service_type,
            welsh_language=welsh_language,
            max_hourly_rate_pence=max_hourly_rate_pence,
            q=query,
        )
        return CursorPage[ProviderRead](
            items=[ProviderRead.model_validate(p) for p in items], next_cursor=next_cursor
        )

    key: tuple[Any, ...] = (
        "providers",
        code,
        service_type,
        welsh_language,
        max_hourly_rate_pence,
        query,
        page.limit,
        page.cursor,
    )
    return conditional(request, await cached(session, cache, key, render))


@router.get(
    "/{code}/coverage",
    response_model=CursorPage[CoverageRow],
    responses={**problems(AreaNotFound), **CACHED},
)
async def area_coverage(
    code: str, request: Request, session: SessionDep, cache: DirectoryCache
) -> Response:
    """For each service type, in a fixed order: how many verified providers offer it in the
    area, their lowest and median hourly rates (of an even count, the lower middle one), how
    many offer it fully in Welsh, and whether the area has a gap (nobody offers it)."""

    async def render() -> BaseModel:
        rows = await service.area_coverage(session, code)
        return CursorPage[CoverageRow](items=[CoverageRow.model_validate(r) for r in rows])

    return conditional(request, await cached(session, cache, ("coverage", code), render))
