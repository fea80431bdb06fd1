"""Councils' figures: an area's summary for its officers and systems, and the public Wales
table."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.areas.errors import AreaNotFound
from app.auth.errors import InvalidToken
from app.core.clock import local_date
from app.core.csv_answer import FormatQuery, csv_alternative, json_or_csv
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.http_cache import RenderCache, conditional, rendered
from app.core.schemas import Day
from app.councils.dependencies import CurrentAreaReader
from app.councils.errors import NotThisArea
from app.stats import service
from app.stats.schemas import AreaSummary, WalesTable

router = APIRouter(tags=["local authorities"])

SUMMARY_CSV = csv_alternative(
    "The summary; with `?format=csv` or `Accept: text/csv`, as CSV (UTF-8 with "
    "a byte-order mark, every cell quoted, a header row, then one figure a row: section, key, "
    "field, value, suppressed).",
    example='"section","key","field","value","suppressed"\r\n'
    '"area","W06000015","holders_pooling","","true"\r\n',
)


@router.get(
    "/la/areas/{code}/summary",  # noqa: FAST003 - the area reader reads `code`
    response_model=AreaSummary,
    response_model_by_alias=True,
    responses={**problems(InvalidToken, NotThisArea, AreaNotFound), 200: SUMMARY_CSV},
)
async def area_summary(
    request: Request,
    reader: CurrentAreaReader,
    session: SessionDep,
    now: NowDep,
    from_date: Annotated[
        Day | None, Query(alias="from", description="First day (default: a year before `to`).")
    ] = None,
    to_date: Annotated[
        Day | None, Query(alias="to", description="Last day (default: today).")
    ] = None,
    format_: FormatQuery = None,
) -> AreaSummary | Response:
    """An area's figures for the days `from` to `to` inclusive (days in Wales; default the twelve
    months to today): that area's council officers, its API clients, platform admins.

    Money and people are counted by the council that pays the holder's Direct Payment, not
    by where the co-op operates: each posting under the award version in force on its day,
    so a holder who moves council leaves their past here. Versions declared and confirmed
    count (rejected ones nowhere); `holders_pooling` and `contributions_pence` count Direct
    Payment money only (not top-ups or client contributions), `spend_by_service_type` all the
    care those holders bought. `awards` counts the holders this council pays with a version
    in force during the period, once each, by the status of their latest one: `declared`
    ones wait for the council's confirmation. Figures about people or their money are
    `{"value", "suppressed"}` under disclosure control: 1-7 people suppressed, 8 or more
    rounded to the nearest 5, money shown only when drawn from 8 or more people, and a lone
    suppressed cell of `spend_by_service_type` takes the next smallest with it. Counts of
    organisations (providers, co-ops, tenders) are plain numbers. `saving_percent` is
    (listed - contracted) / listed x 100 from the published averages, 1 place, half up.
    """
    first, last = service.period(from_date, to_date, local_date(now))
    summary = await service.area_summary(session, reader.area_code, first=first, last=last)
    filename = f"summary-{summary.area_code}-{first}-{last}.csv"
    return json_or_csv(request, format_, summary, to_csv=service.summary_csv, filename=filename)


def _wales_cache(request: Request) -> RenderCache | None:
    found: RenderCache | None = getattr(request.app.state, "wales_cache", None)
    if found is None:
        seconds = request.app.state.settings.wales_cache_seconds
        if seconds <= 0:
            return None
        found = RenderCache(max_entries=2, ttl_seconds=seconds)
        request.app.state.wales_cache = found
    return found


@router.get("/stats/wales", response_model=WalesTable, responses=problems())
async def wales(request: Request, session: SessionDep, now: NowDep) -> Response:
    """Public: one row per council area for the twelve months to today, under the same
    disclosure control as the councils' summary. Only holders whose award version was
    confirmed by the paying council count, and only their Direct Payment money (`gaps` =
    service types no verified
    provider offers in the area). Each server process keeps the table for a few minutes
    (`DPC_WALES_CACHE_SECONDS`, default 300), so it may lag the ledger by that much; answers
    carry a strong `ETag` for conditional requests."""
    today = local_date(now)
    cache = _wales_cache(request)
    answer = cache.get(today) if cache is not None else None
    if answer is None:
        table = await service.wales(session, today=today)
        answer = rendered(table.model_dump_json(by_alias=True).encode())
        if cache is not None:
            cache.put(today, answer)
    return conditional(request, answer)
