"""A council officer's pages: their council's areas, and each area's summary (every chart
also a table) with the API's CSV of it. The figures are the API's summary itself, under its
disclosure control: these pages only draw what it publishes."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fastapi.responses import Response
from pydantic import Field

from app.areas import service as areas
from app.areas.models import Area
from app.core.clock import local_date
from app.core.csv_answer import csv_response
from app.core.errors import AppError
from app.core.money import round_half_up
from app.core.routing import Router
from app.core.schemas import Day, Input, Published
from app.councils import service as councils
from app.councils.dependencies import Council, area_council
from app.councils.errors import NotACouncil
from app.stats import periods
from app.stats import service as stats
from app.stats.schemas import AreaSummary
from app.tenders.states import TenderStatus
from app.web.forms import state_of, validated
from app.web.pages import EMPTY_FORM, Page, SignedInPage
from app.web.rendering import day_text, label_in, money
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
# How far back the period's choices reach, in months.
MONTHS_OFFERED = 36


async def council_of(page: Page) -> Council:
    """The signed-in person as a council: an officer of the areas they serve now. Anyone else
    is refused as the API refuses them (403 `forbidden`)."""
    codes = await councils.officer_area_codes(page.session, page.user.id)
    if not codes:
        raise NotACouncil
    return Council(area_codes=frozenset(codes), user=page.user)


async def area_of(page: Page, code: str) -> tuple[Council, Area]:
    """The officer's council and area `code`, checked as the API checks it: no such area is
    404, another council's area 403."""
    council = await area_council(code, page.session, await council_of(page))
    return council, await areas.get_area(page.session, code)


def area_name(area: Area, page: Page) -> str:
    return area.name_cy if page.language == "cy" else area.name_en


@router.get("/council")
async def council_home(page: SignedInPage) -> Response:
    """The areas the officer serves, each with its summary, awards and shared evidence."""
    council = await council_of(page)
    found = [await areas.get_area(page.session, code) for code in sorted(council.area_codes)]
    return page.render(
        "council/index.html", areas=[(area.code, area_name(area, page)) for area in found]
    )


# The summary ---------------------------------------------------------------------------


class DaysAsked(Input):
    """A page's `from` and `to` query, typed as the API types them."""

    from_date: Day | None = Field(default=None, alias="from")
    to_date: Day | None = Field(default=None, alias="to")


def days_asked(page: Page) -> DaysAsked:
    query = page.request.query_params
    return validated(DaysAsked, {k: query[k] for k in ("from", "to") if query.get(k)})


def asked_period(page: Page) -> tuple[date, date]:
    """The summary's days, by the API's own rules (whole calendar months, its default)."""
    asked = days_asked(page)
    return stats.period(asked.from_date, asked.to_date, local_date(page.now))


def period_choices(
    page: Page, first: date, last: date
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The first days and the last days of the months offered (the last one running to
    today), newest first, and the period shown when it was asked for from further back."""
    today = local_date(page.now)
    this_month = periods.month_start(today)
    starts = [periods.add_months(this_month, -back) for back in range(MONTHS_OFFERED)]
    ends = [periods.month_end(start) for start in starts[1:]]
    firsts = [(day.isoformat(), day_text(day, page.language)) for day in starts]
    lasts = [(today.isoformat(), page.t("council.to_today", day=day_text(today, page.language)))]
    lasts += [(end.isoformat(), day_text(end, page.language)) for end in ends]
    if first not in starts:
        firsts.append((first.isoformat(), day_text(first, page.language)))
    if last != today and last not in ends:
        lasts.append((last.isoformat(), day_text(last, page.language)))
    return firsts, lasts


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    # The bar's length as a percentage of the longest; None where the figure is not published.
    length: int | None


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: tuple[Bar, ...]

    @property
    def alternative(self) -> str:
        """The chart in words: every bar's label and figure, as the table beside it has them."""
        return f"{self.title}. " + "; ".join(f"{bar.label}: {bar.shown}" for bar in self.bars)


def bar_lengths(values: list[int | None]) -> list[int | None]:
    """Each value as a share of the largest, in whole percent (a figure above nothing is
    never drawn as nothing)."""
    largest = max((value for value in values if value is not None), default=0)
    lengths: list[int | None] = []
    for value in values:
        if value is None:
            lengths.append(None)
        elif value <= 0 or largest <= 0:
            lengths.append(0)
        else:
            lengths.append(max(1, round_half_up(value * 100, largest)))
    return lengths


def chart(key: str, title: str, rows: list[tuple[str, int | None, str]]) -> Chart:
    """A bar chart of (label, value drawn, figure as shown) rows."""
    lengths = bar_lengths([value for _, value, _ in rows])
    return Chart(
        key=key,
        title=title,
        bars=tuple(
            Bar(label=label, shown=shown, length=length)
            for (label, _, shown), length in zip(rows, lengths, strict=True)
        ),
    )


def shown_in(page: Page) -> Callable[..., str]:
    def shown(figure: Published, is_money: bool = False) -> str:
        """A published figure in words: the API's value, or that it is not published."""
        if figure.value is None:
            return page.t("council.suppressed")
        return money(figure.value) if is_money else f"{figure.value:,}"

    return shown


def summary_charts(page: Page, summary: AreaSummary) -> dict[str, Chart]:
    label = label_in(page.language)
    shown = shown_in(page)
    return {
        "spend": chart(
            "spend",
            page.t("council.spend_title"),
            [
                (
                    label("service_type", row.service_type),
                    row.spend_pence.value,
                    shown(row.spend_pence, True),
                )
                for row in summary.spend_by_service_type
            ],
        ),
        "awards": chart(
            "awards",
            page.t("council.awards_title"),
            [
                (label("award_status", status), figure.value, shown(figure))
                for status, figure in (
                    ("declared", summary.awards.declared),
                    ("confirmed", summary.awards.confirmed),
                )
            ],
        ),
        "providers": chart(
            "providers",
            page.t("council.providers_title"),
            [
                (label("service_type", row.service_type), row.providers, f"{row.providers:,}")
                for row in summary.providers_by_service_type
            ],
        ),
        "tenders": chart(
            "tenders",
            page.t("council.tenders_title"),
            [
                (label("tender_status", TenderStatus(status)), count, f"{count:,}")
                for status, count in summary.tenders.items()
            ],
        ),
    }


@router.get("/council/areas/{code}")
async def area_summary(code: str, page: SignedInPage) -> Response:
    """The area's summary for the months chosen (the API's default otherwise): the headline
    figures, then each chart with its table, and a link to the same summary as CSV."""
    _, area = await area_of(page, code)
    form = EMPTY_FORM
    try:
        first, last = asked_period(page)
    except AppError as error:
        form = state_of(
            error,
            page.language,
            dict(page.request.query_params),
            fields={"period_not_whole_months": "from"},
        )
        first, last = stats.period(None, None, local_date(page.now))
    summary = await stats.area_summary(page.session, area.code, first=first, last=last)
    firsts, lasts = period_choices(page, first, last)
    return page.render(
        "council/summary.html",
        area=area,
        name=area_name(area, page),
        current="summary",
        form=form,
        summary=summary,
        charts=summary_charts(page, summary),
        shown=shown_in(page),
        firsts=firsts,
        lasts=lasts,
        csv_query=f"from={first.isoformat()}&to={last.isoformat()}",
    )


@router.get("/council/areas/{code}/summary.csv")
async def area_summary_csv(code: str, page: SignedInPage) -> Response:
    """The summary as the API's CSV (`?format=csv`): the same rows, byte for byte."""
    _, area = await area_of(page, code)
    first, last = asked_period(page)
    summary = await stats.area_summary(page.session, area.code, first=first, last=last)
    filename = f"summary-{summary.area_code}-{first}-{last}.csv"
    return page.finish(csv_response(stats.summary_csv(summary), filename=filename))
