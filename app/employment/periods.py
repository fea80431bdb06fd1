"""Pay periods, counted from an employment's first period (no database).

Weekly and four-weekly periods are runs of 7 and 28 days from `first_period_start`; monthly
periods are calendar months, so a monthly employment's first period starts on the 1st. Days
before the first period belong to no period: nobody was employed then.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PayFrequency(StrEnum):
    weekly = "weekly"
    four_weekly = "four_weekly"
    monthly = "monthly"


DAYS_IN = {PayFrequency.weekly: 7, PayFrequency.four_weekly: 28}


@dataclass(frozen=True, slots=True)
class Period:
    """One pay period, `start` to `end` inclusive; `number` 0 is the first."""

    number: int
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def valid_first_start(frequency: PayFrequency, first_start: date) -> bool:
    """Whether an employment may begin its periods on `first_start`: any day, except that
    monthly periods begin on the 1st."""
    return frequency is not PayFrequency.monthly or first_start.day == 1


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _months_between(first: date, day: date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def nth_period(frequency: PayFrequency, first_start: date, number: int) -> Period:
    """Period `number` (0 is the first) of an employment whose first period starts on
    `first_start`."""
    if number < 0:
        raise ValueError("periods are counted from the first, 0")
    if not valid_first_start(frequency, first_start):
        raise ValueError("monthly periods start on the 1st")
    if frequency is PayFrequency.monthly:
        start = _month_start(first_start.year, first_start.month + number)
        following = _month_start(first_start.year, first_start.month + number + 1)
        return Period(number=number, start=start, end=following - timedelta(days=1))
    length = DAYS_IN[frequency]
    start = first_start + timedelta(days=length * number)
    return Period(number=number, start=start, end=start + timedelta(days=length - 1))


def period_containing(frequency: PayFrequency, first_start: date, day: date) -> Period | None:
    """The period holding `day`, or None before the first period."""
    if day < first_start:
        return None
    if frequency is PayFrequency.monthly:
        number = _months_between(first_start, day)
    else:
        number = (day - first_start).days // DAYS_IN[frequency]
    return nth_period(frequency, first_start, number)


def period_starting(frequency: PayFrequency, first_start: date, start: date) -> Period | None:
    """The period that starts on `start`, or None when no period starts that day."""
    period = period_containing(frequency, first_start, start)
    return period if period is not None and period.start == start else None
