"""Pricing care by the rate in force each day (SPEC sections 21 and 25), with no database."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.tenders.invoices.pricing import (
    RateChange,
    RateSchedule,
    line_amount,
    minutes_by_rate,
    needs_vote,
    price,
)

SIGNED = 2135
RISE = RateChange(date(2026, 4, 6), 2200)
SCHEDULE = RateSchedule.of(SIGNED, [RISE])


class TestSchedule:
    def test_the_rate_changes_on_the_from_date(self) -> None:
        assert SCHEDULE.rate_on(date(2026, 4, 5)) == SIGNED
        assert SCHEDULE.rate_on(date(2026, 4, 6)) == 2200
        assert SCHEDULE.rate_on(date(2027, 1, 1)) == 2200

    def test_changes_take_effect_in_date_order_and_the_later_one_wins_a_day(self) -> None:
        schedule = RateSchedule.of(
            SIGNED,
            [
                RateChange(date(2026, 5, 1), 2300),
                RateChange(date(2026, 4, 6), 2200),
                RateChange(date(2026, 5, 1), 2250),
            ],
        )
        assert schedule.rate_on(date(2026, 4, 30)) == 2200
        assert schedule.rate_on(date(2026, 5, 1)) == 2250

    def test_a_period_spans_a_change_only_after_its_first_day(self) -> None:
        assert SCHEDULE.changes_within(date(2026, 3, 30), date(2026, 4, 5)) == []
        assert SCHEDULE.changes_within(date(2026, 4, 6), date(2026, 4, 12)) == []
        assert SCHEDULE.changes_within(date(2026, 4, 1), date(2026, 4, 6)) == [date(2026, 4, 6)]


class TestPrice:
    def test_each_rate_is_priced_on_its_own_minutes_rounded_once(self) -> None:
        # One minute on each of two days at 2135 (35.58p each) is priced together:
        # (2135 x 2 + 30) // 60 = 71, not 36 + 36. The minute at 2200 is 37.
        minutes = {date(2026, 4, 4): 1, date(2026, 4, 5): 1, date(2026, 4, 6): 1}
        assert minutes_by_rate(minutes, SCHEDULE) == {SIGNED: 2, 2200: 1}
        assert price(minutes, SCHEDULE) == 71 + 37

    def test_a_week_either_side_of_the_rise(self) -> None:
        before = {date(2026, 3, 30) + timedelta(days=n): 90 for n in range(7)}
        after = {date(2026, 4, 6) + timedelta(days=n): 90 for n in range(7)}
        assert price(before, SCHEDULE) == (2135 * 630 + 30) // 60 == 22_418
        assert price(after, SCHEDULE) == 2200 * 630 // 60 == 23_100
        assert price(before | after, SCHEDULE) == 22_418 + 23_100

    def test_a_rate_that_returns_counts_as_one(self) -> None:
        schedule = RateSchedule.of(
            SIGNED, [RateChange(date(2026, 4, 6), 2200), RateChange(date(2026, 4, 8), SIGNED)]
        )
        minutes = {date(2026, 4, 5): 1, date(2026, 4, 7): 1, date(2026, 4, 9): 1}
        assert price(minutes, schedule) == line_amount(SIGNED, 2) + line_amount(2200, 1)

    @given(
        st.dictionaries(
            st.dates(min_value=date(2026, 3, 1), max_value=date(2026, 6, 30)),
            st.integers(min_value=1, max_value=1440),
            max_size=60,
        )
    )
    def test_the_sum_over_rates_is_within_half_a_penny_a_rate_of_the_exact_price(
        self, minutes: dict[date, int]
    ) -> None:
        exact = sum(
            SCHEDULE.rate_on(day) * m for day, m in minutes.items()
        )  # in sixtieths of a penny
        charged = price(minutes, SCHEDULE)
        rates = len(minutes_by_rate(minutes, SCHEDULE))
        assert abs(charged * 60 - exact) <= 30 * rates

    @given(st.integers(min_value=1, max_value=1_000_000), st.integers(min_value=1, max_value=10**5))
    def test_without_a_change_it_is_the_single_rate_price(self, rate: int, minutes: int) -> None:
        assert price({date(2026, 4, 1): minutes}, RateSchedule.of(rate, [])) == line_amount(
            rate, minutes
        )


class TestNeedsVote:
    def test_a_rise_of_more_than_the_percent_over_the_signing_rate(self) -> None:
        # 5% over 2135 is 2241.75: 2241 is within it, 2242 is beyond it.
        assert not needs_vote(SIGNED, 2241, 5)
        assert needs_vote(SIGNED, 2242, 5)
        assert not needs_vote(2000, 2100, 5)  # exactly 5% is not more than 5%
        assert not needs_vote(SIGNED, 1000, 5)
        assert needs_vote(SIGNED, SIGNED + 1, 0)
