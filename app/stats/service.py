"""An area's summary for its council: database aggregates, then disclosure control, then
the answer."""

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import disclosure
from app.core.clock import day_range
from app.core.csv_answer import csv_text
from app.core.disclosure import Figure
from app.core.errors import ValidationFailed
from app.core.field_errors import FieldError, field_error
from app.core.money import decimal_text, round_half_up
from app.core.schemas import Published
from app.direct_payments.models import AwardStatus
from app.providers import service as providers
from app.providers.models import ServiceType
from app.stats import attribution, periods, queries
from app.stats.errors import PeriodNotWholeMonths
from app.stats.schemas import (
    AreaSummary,
    AwardsSummary,
    ProvidersByServiceType,
    SpendByServiceType,
)
from app.tenders.states import TenderStatus


def period(from_date: date | None, to_date: date | None, today: date) -> tuple[date, date]:
    """Inclusive days on whole calendar months: `from` the first day of a month, `to` the last
    day of a month or today. By default `to` is today and `from` the first day of the month
    eleven months before `to`'s (so twelve calendar months, the last one running to `to`)."""
    last = to_date or today
    first = from_date or periods.summary_default_from(last)
    starts, ends = periods.is_whole_months(first, last, today=today)
    wrong: list[FieldError] = []
    if not starts:
        wrong.append(
            field_error(
                ["query", "from"],
                "'from' must be the first day of a month.",
                msg_cy="Rhaid i 'from' fod yn ddiwrnod cyntaf mis.",
            )
        )
    if not ends:
        wrong.append(
            field_error(
                ["query", "to"],
                "'to' must be the last day of a month, or today.",
                msg_cy="Rhaid i 'to' fod yn ddiwrnod olaf mis, neu heddiw.",
            )
        )
    if wrong:
        raise PeriodNotWholeMonths(wrong)
    if first > last:
        raise ValidationFailed(
            [
                field_error(
                    ["query", "from"], "'from' is after 'to'.", msg_cy="Mae 'from' ar ôl 'to'."
                )
            ]
        )
    return first, last


def average(total_pence: int, count: int) -> int | None:
    """An average of prices in whole pence, half up (organisations' prices, not people's)."""
    if count <= 0:
        return None
    return round_half_up(total_pence, count)


def saving_percent(listed: int | None, contracted: int | None) -> str | None:
    """(listed - contracted) / listed x 100 from the published averages, 1 place, half up."""
    if listed is None or contracted is None or listed == 0:
        return None
    return decimal_text(Fraction((listed - contracted) * 100, listed), 1)


def spend_rows(rows: Sequence[queries.SpendRow], holders_pooling: int) -> list[SpendByServiceType]:
    """Spend by type under disclosure control; the holders column is shown beside its total
    (holders pooling), so a lone suppressed cell takes the next smallest with it."""
    holders = [disclosure.people_count(r.holders) for r in rows]
    if disclosure.people_count(holders_pooling).value is not None:
        holders = disclosure.protect_with_total(holders, [r.holders for r in rows])
    out: list[SpendByServiceType] = []
    for row, cell in zip(rows, holders, strict=True):
        money = disclosure.published_money(row.spend_pence, row.holders)
        if cell.suppressed:
            money = Figure.hidden()
        out.append(
            SpendByServiceType(
                service_type=ServiceType(row.service_type),
                holders=Published.of(cell),
                spend_pence=Published.of(money),
            )
        )
    return out


async def area_summary(
    session: AsyncSession, area_code: str, *, first: date, last: date
) -> AreaSummary:
    start, end = day_range(first, last)
    # An officer's figures count declared and confirmed awards; the public table confirmed.
    pool = await queries.pooling(session, area_code, start, end, statuses=attribution.OFFICERS)
    listed_total, listed_count = await queries.listed_rates(session, area_code)
    listed = average(listed_total, listed_count)
    contracted = average(*await queries.contracted_rates(session, area_code))
    coverage = await providers.area_coverage(session, area_code)
    spend = await queries.spend_by_service_type(
        session, area_code, start, end, statuses=attribution.OFFICERS
    )
    tenders = await queries.tenders_by_status(session, area_code, start, end)
    awards = await queries.awards_by_status(session, area_code, first, last)
    return AreaSummary(
        area_code=area_code,
        from_date=first,
        to_date=last,
        holders_pooling=Published.of(disclosure.people_count(pool.holders)),
        contributions_pence=Published.of(
            disclosure.published_money(pool.contributions_pence, pool.holders)
        ),
        awards=AwardsSummary(
            declared=Published.of(disclosure.people_count(awards.get(AwardStatus.declared, 0))),
            confirmed=Published.of(disclosure.people_count(awards.get(AwardStatus.confirmed, 0))),
        ),
        spend_by_service_type=spend_rows(spend, pool.holders),
        coops_active=await queries.coops_active(session, area_code, start, end),
        contracted_average_hourly_rate_pence=contracted,
        listed_average_hourly_rate_pence=listed,
        saving_percent=saving_percent(listed, contracted),
        tenders={
            status.value: tenders.get(status.value, 0)
            for status in TenderStatus
            if status is not TenderStatus.draft
        },
        providers_by_service_type=[
            ProvidersByServiceType(
                service_type=c.service_type,
                providers=c.provider_count,
                welsh_language_providers=c.welsh_language_providers,
                gap=c.gap,
            )
            for c in coverage
        ],
    )


CSV_COLUMNS = ("section", "key", "field", "value", "suppressed")


def summary_csv(summary: AreaSummary) -> str:
    """The summary as long-format CSV: one figure a row (section, key, field, value,
    suppressed); a suppressed figure has an empty value and `true`."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]

    def row(section: str, key: str, field: str, value: object, suppressed: bool = False) -> None:
        rows.append([section, key, field, value, suppressed])

    def figure(section: str, key: str, field: str, fig: Published) -> None:
        row(section, key, field, fig.value, fig.suppressed)

    row("area", summary.area_code, "area_code", summary.area_code)
    row("area", summary.area_code, "from", summary.from_date.isoformat())
    row("area", summary.area_code, "to", summary.to_date.isoformat())
    figure("area", summary.area_code, "holders_pooling", summary.holders_pooling)
    figure("area", summary.area_code, "contributions_pence", summary.contributions_pence)
    figure("awards", summary.area_code, "declared", summary.awards.declared)
    figure("awards", summary.area_code, "confirmed", summary.awards.confirmed)
    row("area", summary.area_code, "coops_active", summary.coops_active)
    for name in (
        "contracted_average_hourly_rate_pence",
        "listed_average_hourly_rate_pence",
        "saving_percent",
    ):
        row("area", summary.area_code, name, getattr(summary, name))
    for spend in summary.spend_by_service_type:
        figure("spend_by_service_type", spend.service_type.value, "holders", spend.holders)
        figure("spend_by_service_type", spend.service_type.value, "spend_pence", spend.spend_pence)
    for status, count in summary.tenders.items():
        row("tenders", status, "count", count)
    for p in summary.providers_by_service_type:
        key = p.service_type.value
        row("providers_by_service_type", key, "providers", p.providers)
        row(
            "providers_by_service_type", key, "welsh_language_providers", p.welsh_language_providers
        )
        row("providers_by_service_type", key, "gap", p.gap)
    return csv_text(rows)
