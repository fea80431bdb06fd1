"""Councils' figures: an area's summary for its officers and systems, and the public Wales
table."""

from typing import Annotated

from fastapi import Query, Request, Response

from app.areas.errors import AreaNotFound
from app.auth.errors import InvalidToken
from app.core.clock import local_date
from app.core.csv_answer import (
    FormatQuery,
    conditional_json_or_csv,
    csv_alternative,
    json_or_csv,
)
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.routing import Router
from app.core.schemas import Day
from app.councils.dependencies import CurrentAreaReader
from app.councils.errors import NotThisArea
from app.stats import service
from app.stats import wales as wales_table
from app.stats.errors import PeriodNotWholeMonths
from app.stats.schemas import AreaSummary, WalesTable

router = Router(tags=["local authorities"])

SUMMARY_CSV = csv_alternative(
    "The summary; with `?format=csv` or `Accept: text/csv`, as CSV (UTF-8 with "
    "a byte-order mark, every cell quoted, a header row, then one figure a row: section, key, "
    "field, value, suppressed).",
    example='"section","key","field","value","suppressed"\r\n'
    '"area","W06000015","holders_pooling","","true"\r\n',
)


@router.get(
    "/la/areas/{code}/summary",
    response_model=AreaSummary,
    response_model_by_alias=True,
    responses={
        **problems(InvalidToken, NotThisArea, AreaNotFound, PeriodNotWholeMonths),
        200: SUMMARY_CSV,
    },
)
async def area_summary(
    request: Request,
    reader: CurrentAreaReader,
    session: SessionDep,
    now: NowDep,
    from_date: Annotated[
        Day | None,
        Query(
            alias="from",
            description="The first day of a month (default: the first day of the month eleven "
            "months before `to`'s).",
        ),
    ] = None,
    to_date: Annotated[
        Day | None,
        Query(alias="to", description="The last day of a month, or today (default: today)."),
    ] = None,
    format_: FormatQuery = None,
) -> AreaSummary | Response:
    """An area's figures for the days `from` to `to` inclusive (days in Wales): that area's
    council officers, its API clients, platform admins.

    Periods are whole calendar months, so that no two summaries differ by a few days' worth
    of someone's money: `from` is the first day of a month and `to` the last day of a month
    or today, else 422 `period_not_whole_months` (with `errors` naming the parameter); `from`
    after `to` is 422 `validation_error`. By default the summary runs from the first day of
    the month eleven months before this one to today (this month so far and the eleven
    before it).

    Money and people are counted by the council that pays the holder's Direct Payment, not
    by where the co-op operates: each posting under the award version in force on its day,
    so a holder who moves council leaves their past here. Versions declared and confirmed
    count (rejected ones nowhere); `holders_pooling` and `contributions_pence` count Direct
    Payment money only (not top-ups or client contributions), `spend_by_service_type` all the
    care those holders bought. `awards` counts the holders this council pays with a version
    in force during the period, once each, by the status of their latest one: `declared`
    ones wait for the council's confirmation. Figures about people or their money are
    `{"value", "suppressed"}` under disclosure control: 1-7 people suppressed, 8 or more
    rounded to the nearest 5, money shown only when drawn from 8 or more people and then
    rounded half up to the nearest £100 (10,000 pence: `contributions_pence`, each
    `spend_pence`), and a lone suppressed cell of `spend_by_service_type` takes the next
    smallest with it. Counts of organisations (providers, co-ops, tenders) are plain numbers.
    Hourly rates are prices, published to the penny (whole pence, half up), and
    `saving_percent` is (listed - contracted) / listed x 100 from those published averages,
    1 place, half up.
    """
    first, last = service.period(from_date, to_date, local_date(now))
    summary = await service.area_summary(session, reader.area_code, first=first, last=last)
    filename = f"summary-{summary.area_code}-{first}-{last}.csv"
    return json_or_csv(request, format_, summary, to_csv=service.summary_csv, filename=filename)


WALES_CSV = csv_alternative(
    "This month's table; with `?format=csv` or `Accept: text/csv`, as CSV (UTF-8 with a "
    "byte-order mark, every cell quoted, a header row, then one row an area; a suppressed "
    "figure has an empty cell and `true` in the `_suppressed` column beside it).",
    example='"area_code","name_en","name_cy","from","to","holders_pooling",'
    '"holders_pooling_suppressed","contributions_pence","contributions_pence_suppressed",'
    '"coops_active","tenders_awarded","gaps"\r\n'
    '"W06000015","Cardiff","Caerdydd","2025-03-01","2026-02-28","10","false","120000","false",'
    '"1","0","7"\r\n',
)


@router.get(
    "/stats/wales",
    response_model=WalesTable,
    response_model_by_alias=True,
    responses={**problems(), 200: WALES_CSV, 304: {"description": "Not modified (ETag)."}},
)
async def wales(
    request: Request, session: SessionDep, now: NowDep, format_: FormatQuery = None
) -> Response:
    """Public: one row per council area (with its `name_en` and `name_cy`) for the last twelve
    complete calendar months, never the current one: a pull in March covers 1 March of the
    year before to the end of February (`from` and `to` on each row, days in Wales).

    The table is made at the first request of each month from the data as it stood at the
    end of the month before, stored, and served unchanged, byte for byte, for the rest of the
    month, whatever is recorded meanwhile; so no two pulls in one month can be subtracted to
    reveal anyone. Figures about people or their money are `{"value", "suppressed"}` under
    the disclosure control of the councils' summary (1-7 people suppressed, 8 or more rounded
    to the nearest 5, money shown only when drawn from 8 or more people), and
    `contributions_pence` is then rounded half up to the nearest £100 (10,000 pence).
    `holders_pooling` counts distinct holders with a Direct Payment contribution in those
    months and `contributions_pence` what they paid in (top-ups and client contributions
    excluded), by the council paying the award version each contribution was made under, and
    only under versions that council had confirmed by the end of those months: a declared
    award counts in no public figure. `gaps` counts service types no verified provider
    offered in the area when the table was made (the directory keeps no history). Answers carry a strong `ETag`; send it
    in `If-None-Match` for a 304."""
    found, _ = await wales_table.edition(session, now=now, today=local_date(now))
    first, last = found.edition.first_day, found.edition.last_day
    return conditional_json_or_csv(
        request,
        format_,
        wales_table.table(found),
        to_json=lambda table: table.model_dump_json(by_alias=True).encode(),
        to_csv=wales_table.table_csv,
        filename=f"wales-{first:%Y-%m}-{last:%Y-%m}.csv",
    )
