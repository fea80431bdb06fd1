"""Pay periods: pure arithmetic, checked against every day and every frequency."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.employment.periods import (
    PayFrequency,
    nth_period,
    period_containing,
    period_starting,
    valid_first_start,
)

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31))
FREQUENCIES = st.sampled_from(list(PayFrequency))


def first_start(frequency: PayFrequency, day: date) -> date:
    return day.replace(day=1) if frequency is PayFrequency.monthly else day


@given(FREQUENCIES, DAYS, st.integers(min_value=0, max_value=400))
def test_periods_follow_one_another_without_gap_or_overlap(
    frequency: PayFrequency, day: date, number: int
) -> None:
    start = first_start(frequency, day)
    period, following = (
        nth_period(frequency, start, number),
        nth_period(frequency, start, number + 1),
    )
    assert following.start == period.end + timedelta(days=1)
    assert period.number == number


@given(FREQUENCIES, DAYS, st.integers(min_value=0, max_value=20_000))
def test_every_day_from_the_first_is_in_exactly_the_period_that_holds_it(
    frequency: PayFrequency, day: date, offset: int
) -> None:
    start = first_start(frequency, day)
    later = start + timedelta(days=offset)
    period = period_containing(frequency, start, later)
    assert period is not None
    assert later in period
    assert period_starting(frequency, start, period.start) == period
    if period.start != later:
        assert period_starting(frequency, start, later) is None


@given(FREQUENCIES, DAYS, st.integers(min_value=0, max_value=400))
def test_lengths_are_a_week_four_weeks_or_a_calendar_month(
    frequency: PayFrequency, day: date, number: int
) -> None:
    period = nth_period(frequency, first_start(frequency, day), number)
    if frequency is PayFrequency.weekly:
        assert period.days == 7
    elif frequency is PayFrequency.four_weekly:
        assert period.days == 28
    else:
        assert period.start.day == 1
        assert (period.end + timedelta(days=1)).day == 1
        assert period.start.month == period.end.month


@given(FREQUENCIES, DAYS, st.integers(min_value=1, max_value=5_000))
def test_days_before_the_first_period_belong_to_none(
    frequency: PayFrequency, day: date, before: int
) -> None:
    start = first_start(frequency, day)
    assert period_containing(frequency, start, start - timedelta(days=before)) is None


@given(DAYS)
def test_monthly_periods_start_on_the_first_only(day: date) -> None:
    assert valid_first_start(PayFrequency.monthly, day) is (day.day == 1)
    assert valid_first_start(PayFrequency.weekly, day)
    assert valid_first_start(PayFrequency.four_weekly, day)


def test_known_periods() -> None:
    assert nth_period(PayFrequency.monthly, date(2026, 1, 1), 1).end == date(2026, 2, 28)
    assert nth_period(PayFrequency.monthly, date(2027, 12, 1), 2).start == date(2028, 2, 1)
    four = nth_period(PayFrequency.four_weekly, date(2026, 3, 2), 1)
    assert (four.start, four.end) == (date(2026, 3, 30), date(2026, 4, 26))
    with pytest.raises(ValueError, match="1st"):
        nth_period(PayFrequency.monthly, date(2026, 1, 2), 0)
