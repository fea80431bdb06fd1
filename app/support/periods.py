"""The periods a Direct Payment return covers: a month, a calendar quarter or a financial year
(pure)."""

import calendar
import re
from datetime import date

from app.core.errors import ValidationFailed
from app.core.field_errors import field_error
from app.core.schemas import YEAR_PATTERN

QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
# `YYYY-MM`, `YYYY-Qn` (Q1 is January to March), or `FYyyyy` (April of that year to March).
RETURN_PERIOD_PATTERN = (
    rf"^({YEAR_PATTERN}-(0[1-9]|1[0-2])|{YEAR_PATTERN}-Q[1-4]|FY(19[0-9]{{2}}|2[01][0-9]{{2}}))$"
)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_FINANCIAL_YEAR = re.compile(r"FY([0-9]{4})")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a period as `RETURN_PERIOD_PATTERN` spells it; ValueError for
    anything else."""
    if found := _MONTH.fullmatch(period):
        year, month = int(found[1]), int(found[2])
        return date(year, month, 1), _month_end(year, month)
    if found := _QUARTER.fullmatch(period):
        year = int(found[1])
        first_month, last_month = QUARTER_MONTHS[int(found[2])]
        return date(year, first_month, 1), _month_end(year, last_month)
    if found := _FINANCIAL_YEAR.fullmatch(period):
        year = int(found[1])
        return date(year, 4, 1), date(year + 1, 3, 31)
    raise ValueError(f"not a return period: {period!r}")


def days_asked(
    period: str | None, from_date: date | None, to_date: date | None
) -> tuple[date, date]:
    """The days a return is asked for: exactly one of `period`, or `from` with `to`; anything
    else is 422 naming the fields at fault."""
    if period is not None:
        if from_date is None and to_date is None:
            return period_bounds(period)
        raise ValidationFailed(
            [
                field_error(
                    ["query", name],
                    "Give either period, or from and to; not both.",
                    msg_cy="Rhowch naill ai period, neu from a to; nid y ddau.",
                )
                for name, value in (("from", from_date), ("to", to_date))
                if value is not None
            ]
        )
    if from_date is None or to_date is None:
        absent = (
            "period"
            if from_date is None and to_date is None
            else "to"
            if to_date is None
            else "from"
        )
        raise ValidationFailed(
            [
                field_error(
                    ["query", absent],
                    "Give either period, or from and to.",
                    msg_cy="Rhowch naill ai period, neu from a to.",
                    type="missing",
                )
            ]
        )
    if from_date > to_date:
        raise ValidationFailed(
            [
                field_error(
                    ["query", "from"],
                    "from may not be after to.",
                    msg_cy="Ni chaiff from fod ar ôl to.",
                )
            ]
        )
    return from_date, to_date
