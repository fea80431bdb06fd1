"""The directory by area as the API answers it, cached (`Directory`): the providers serving an
area, and its coverage.

The listing is one query of plain rows: the page's providers are found by walking the area's
rows in listing order (`ix_provider_area_listing`, over the listing keys each area row holds a
copy of), then their entries are read, each the provider's JSON as rendered at its last write
(`listing_entries`), and joined into the page: no ORM objects, no validation, and nothing
rendered but the page around them. It answers byte for byte what `ProviderRead` over
`service.list_in_area` (the ORM read the web pages use, over the providers' own columns) does.
"""

import functools
import uuid
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Integer, Select, bindparam, exists, select, true

from app.areas.errors import AreaNotFound
from app.areas.models import Area
from app.core.errors import ValidationFailed
from app.core.http_cache import Rendered
from app.core.pagination import CursorPage, Sort, after, decode_cursor, encode_cursor
from app.providers import listing_entries, repository, service
from app.providers.directory import Directory
from app.providers.directory_reads import Reader
from app.providers.models import Provider, ProviderArea, ProviderServiceType, WelshLanguage
from app.providers.schemas import AreaListingQuery, CoverageRow

# The listing's order (`service.AREA_ORDER`) over the area rows' copies of the keys.
ORDER = [
    Sort(ProviderArea.hourly_rate_pence),
    Sort(ProviderArea.name_search),
    Sort(ProviderArea.provider_id),
]
ORDER_TYPES = [int, str, uuid.UUID]  # of the cursor's values, as the columns compare them
AFTER = ("after_hourly_rate_pence", "after_name_search", "after_id")  # their parameters
# The page around its entries (each entry is JSON already).
NEXT_CURSOR = TypeAdapter(str | None)


def parameters(code: str, query: AreaListingQuery) -> dict[str, Any]:
    """The listing's filters as the values `page_query` binds; the filters present decide
    the statement, so one statement serves every request of the same shape."""
    bound: dict[str, Any] = {"area_code": code, "rows": query.limit + 1}
    if query.service_type is not None:
        bound["service_type"] = query.service_type
    if query.welsh_language is not None and query.welsh_language != WelshLanguage.none:
        bound["welsh_languages"] = list(repository.WELSH_AT_LEAST[query.welsh_language])
    if query.max_hourly_rate_pence is not None:
        bound["max_hourly_rate_pence"] = query.max_hourly_rate_pence
    if query.search:
        bound["name_pattern"] = repository.name_pattern(query.search)
    return bound


@functools.lru_cache(maxsize=64)
def page_query(present: frozenset[str], after_cursor: bool) -> Select[Any]:
    """The page's rows for listings of one shape (the parameters `present`, a cursor or not),
    every value bound: built once, and compiled once by SQLAlchemy's cache.

    The same filters as `repository.in_area`, over the area rows' copies where they have one.
    The page is chosen, in order, from the area's rows alone before any provider is read;
    then its providers' entries are read, with the keys the next page's cursor needs.
    """
    chosen = select(ProviderArea.provider_id).where(
        ProviderArea.area_code == bindparam("area_code"), ProviderArea.listed == true()
    )
    if "service_type" in present:
        chosen = chosen.where(
            exists().where(
                ProviderServiceType.provider_id == ProviderArea.provider_id,
                ProviderServiceType.service_type == bindparam("service_type"),
            )
        )
    if "welsh_languages" in present:
        chosen = chosen.where(
            exists().where(
                Provider.id == ProviderArea.provider_id,
                Provider.welsh_language.in_(bindparam("welsh_languages", expanding=True)),
            )
        )
    if "max_hourly_rate_pence" in present:
        chosen = chosen.where(ProviderArea.hourly_rate_pence <= bindparam("max_hourly_rate_pence"))
    if "name_pattern" in present:
        chosen = chosen.where(ProviderArea.name_search.like(bindparam("name_pattern"), escape="\\"))
    if after_cursor:
        chosen = chosen.where(after(ORDER, [bindparam(name) for name in AFTER]))
    order = [sort.column for sort in ORDER]
    page = (
        chosen.add_columns(ProviderArea.hourly_rate_pence, ProviderArea.name_search)
        .order_by(*order)
        .limit(bindparam("rows", type_=Integer))
        .cte("page")
    )
    return (
        select(
            Provider.listing_entry,
            page.c.provider_id,
            page.c.hourly_rate_pence,
            page.c.name_search,
        )
        .select_from(page)
        .join(Provider, Provider.id == page.c.provider_id)
        .order_by(page.c.hourly_rate_pence, page.c.name_search, page.c.provider_id)
    )


async def require_area(reader: Reader, code: str) -> None:
    if not await reader.rows(select(Area.code).where(Area.code == code)):
        raise AreaNotFound(code=code)


async def render_listing(reader: Reader, code: str, query: AreaListingQuery) -> bytes:
    """One page of the listing: verified providers serving the area, cheapest first, then by
    name, then by id. An unknown area is refused before a bad cursor, as it always was."""
    bound = parameters(code, query)
    if query.cursor:
        try:
            values = decode_cursor(query.cursor, len(ORDER), ORDER_TYPES)
        except ValidationFailed:
            await require_area(reader, code)
            raise
        bound.update(zip(AFTER, values, strict=True))
    stmt = page_query(frozenset(bound), bool(query.cursor))
    rows = await reader.rows(stmt, bound)
    if not rows:
        await require_area(reader, code)
    next_cursor = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        _, last_id, last_rate, last_name = rows[-1]
        next_cursor = encode_cursor([last_rate, last_name, last_id])
    # A provider written without `touch_directory` (straight into the tables) has no entry
    # yet: it is rendered here, and not kept.
    missing = [row[1] for row in rows if row[0] is None]
    made: dict[uuid.UUID, str] = {}
    if missing:
        found = await reader.rows(listing_entries.ENTRY_ROWS, {"ids": missing})
        made = {row[0]: listing_entries.entry(row).decode() for row in found}
    items = ",".join(row[0] if row[0] is not None else made[row[1]] for row in rows)
    return b"".join(
        (
            b'{"items":[',
            items.encode(),
            b'],"next_cursor":',
            NEXT_CURSOR.dump_json(next_cursor),
            b"}",
        )
    )


def listing_key(query: AreaListingQuery) -> tuple[object, ...]:
    return (
        "providers",
        query.service_type,
        query.welsh_language,
        query.max_hourly_rate_pence,
        query.search,
        query.limit,
        query.cursor,
    )


async def listing(directory: Directory, code: str, query: AreaListingQuery) -> Rendered:
    """`GET /areas/{code}/providers`, cached under the area's stamp."""

    async def render(reader: Reader) -> bytes:
        return await render_listing(reader, code, query)

    return await directory.answer(code, listing_key(query), render)


async def render_coverage(reader: Reader, code: str) -> bytes:
    """`service.area_coverage`, read from rows."""
    histogram = await reader.rows(repository.rate_histogram(code))
    if not histogram:
        await require_area(reader, code)
    rows = service.coverage_of(histogram)
    return (
        CursorPage[CoverageRow](items=[CoverageRow.model_validate(r) for r in rows])
        .model_dump_json()
        .encode()
    )


async def coverage(directory: Directory, code: str) -> Rendered:
    """`GET /areas/{code}/coverage`, cached under the area's stamp."""

    async def render(reader: Reader) -> bytes:
        return await render_coverage(reader, code)

    return await directory.answer(code, ("coverage",), render)
