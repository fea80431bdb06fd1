"""The public Wales table: one edition a month, made at the month's first request and served
unchanged all month (SPEC sections 18 and 25)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas.models import Area
from app.audit import service as audit
from app.core import disclosure
from app.core.clock import day_range
from app.core.csv_answer import csv_text
from app.core.errors import must_exist
from app.core.schemas import Published
from app.providers.models import ServiceType
from app.stats import attribution, periods, queries
from app.stats.models import WalesEdition, WalesEditionRow
from app.stats.schemas import WalesRow, WalesTable


@dataclass(frozen=True, slots=True)
class Edition:
    edition: WalesEdition
    rows: Sequence[WalesEditionRow]


async def _stored(session: AsyncSession, month: date) -> Edition | None:
    edition = await session.get(WalesEdition, month)
    if edition is None:
        return None
    rows = await session.scalars(
        select(WalesEditionRow)
        .where(WalesEditionRow.month == month)
        .order_by(WalesEditionRow.area_code)
    )
    return Edition(edition=edition, rows=list(rows.all()))


async def _figures(
    session: AsyncSession, *, month: date, first: date, last: date
) -> list[WalesEditionRow]:
    """Every area's published figures for the days `first` to `last`, counted from what the
    database held for them: postings, awards and co-ops' activity before the end of `last`,
    tenders published and awarded before then. The provider directory keeps no history, so
    `gaps` is the directory as it stands when the edition is made."""
    start, end = day_range(first, last)
    areas = (await session.scalars(select(Area).order_by(Area.code))).all()
    # Holders whose award the council had confirmed by the end of the period: as it stood.
    pools = await queries.pooling_by_area(
        session, start, end, statuses=attribution.PUBLIC, confirmed_before=end
    )
    coops = await queries.coops_active_by_area(session, start, end)
    offered = await queries.types_offered_by_area(session)
    awarded = await queries.tenders_awarded_by_area(session, start, end)
    none = queries.Pooling(holders=0, contributions_pence=0)
    rows = []
    for area in areas:
        pool = pools.get(area.code, none)
        holders = disclosure.people_count(pool.holders)
        money = disclosure.published_money(pool.contributions_pence, pool.holders)
        rows.append(
            WalesEditionRow(
                month=month,
                area_code=area.code,
                name_en=area.name_en,
                name_cy=area.name_cy,
                holders_pooling=holders.value,
                holders_pooling_suppressed=holders.suppressed,
                contributions_pence=money.value,
                contributions_pence_suppressed=money.suppressed,
                coops_active=coops.get(area.code, 0),
                tenders_awarded=awarded.get(area.code, 0),
                gaps=len(ServiceType) - offered.get(area.code, 0),
            )
        )
    return rows


async def edition(session: AsyncSession, *, now: datetime, today: date) -> tuple[Edition, bool]:
    """This month's edition, and whether this request made it.

    The first request of a month counts the twelve complete months before it and stores the
    result; every later one reads it back. Two first requests at once both count, one stores
    its edition and the other finds the primary key taken and reads the stored one, so every
    caller is given the same figures.
    """
    month, first, last = periods.wales_period(today)
    found = await _stored(session, month)
    if found is not None:
        return found, False
    rows = await _figures(session, month=month, first=first, last=last)
    made = WalesEdition(month=month, first_day=first, last_day=last, made_at=now)
    try:
        async with session.begin_nested():
            session.add(made)
            await session.flush()
            session.add_all(rows)
            await session.flush()
    except IntegrityError:
        # Another request stored this month's edition first (it committed while this one
        # waited on the primary key): serve that one.
        return must_exist(await _stored(session, month), "the edition that won"), False
    audit.record(
        session,
        None,
        "stats.wales_published",
        "wales_edition",
        month.isoformat(),
        data={"first_day": first.isoformat(), "last_day": last.isoformat()},
    )
    return Edition(edition=made, rows=rows), True


def _published(value: int | None, suppressed: bool) -> Published:
    return Published(value=value, suppressed=suppressed)


def table(found: Edition) -> WalesTable:
    first, last = found.edition.first_day, found.edition.last_day
    return WalesTable(
        items=[
            WalesRow(
                area_code=row.area_code,
                name_en=row.name_en,
                name_cy=row.name_cy,
                from_date=first,
                to_date=last,
                holders_pooling=_published(row.holders_pooling, row.holders_pooling_suppressed),
                contributions_pence=_published(
                    row.contributions_pence, row.contributions_pence_suppressed
                ),
                coops_active=row.coops_active,
                tenders_awarded=row.tenders_awarded,
                gaps=row.gaps,
            )
            for row in found.rows
        ],
        next_cursor=None,
    )


CSV_COLUMNS = (
    "area_code",
    "name_en",
    "name_cy",
    "from",
    "to",
    "holders_pooling",
    "holders_pooling_suppressed",
    "contributions_pence",
    "contributions_pence_suppressed",
    "coops_active",
    "tenders_awarded",
    "gaps",
)


def table_csv(answer: WalesTable) -> str:
    """One row an area; a suppressed figure has an empty cell and `true` beside it."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    rows.extend(
        [
            row.area_code,
            row.name_en,
            row.name_cy,
            row.from_date,
            row.to_date,
            row.holders_pooling.value,
            row.holders_pooling.suppressed,
            row.contributions_pence.value,
            row.contributions_pence.suppressed,
            row.coops_active,
            row.tenders_awarded,
            row.gaps,
        ]
        for row in answer.items
    )
    return csv_text(rows)
