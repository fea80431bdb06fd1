"""The months the councils' figures count: whole calendar months of Welsh days (pure)."""

import calendar
from datetime import date, timedelta

MONTHS_PUBLISHED = 12


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(month: date, months: int) -> date:
    """The first day of the month `months` after (or, negative, before) `month`'s."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def summary_default_from(last: date) -> date:
    """The first day of the month eleven months before `last`'s: with `last`'s own month,
    twelve calendar months (the current one running to today)."""
    return add_months(month_start(last), 1 - MONTHS_PUBLISHED)


def is_whole_months(first: date, last: date, *, today: date) -> tuple[bool, bool]:
    """Whether `first` starts a month and whether `last` ends one (or is today)."""
    return first.day == 1, last in (today, month_end(last))


def wales_period(today: date) -> tuple[date, date, date]:
    """(the month the edition is served in, its first counted day, its last counted day): the
    twelve complete calendar months before today's month, never the current one."""
    month = month_start(today)
    return month, add_months(month, -MONTHS_PUBLISHED), month - timedelta(days=1)
