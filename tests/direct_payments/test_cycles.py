from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.direct_payments.cycles import CYCLE_DAYS, cycle_allowance_pence, cycle_containing

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


class TestCycleContaining:
    def test_the_first_cycle_runs_28_days_from_the_start(self) -> None:
        cycle = cycle_containing(date(2026, 3, 2), date(2026, 3, 2))
        assert (cycle.number, cycle.first_day, cycle.last_day) == (
            0,
            date(2026, 3, 2),
            date(2026, 3, 29),
        )

    def test_boundaries(self) -> None:
        start = date(2026, 3, 2)
        assert cycle_containing(start, date(2026, 3, 29)).number == 0
        assert cycle_containing(start, date(2026, 3, 30)).number == 1
        assert cycle_containing(start, date(2026, 3, 30)).first_day == date(2026, 3, 30)
        assert cycle_containing(start, date(2026, 3, 1)).number == -1
        assert cycle_containing(start, date(2026, 3, 1)).last_day == date(2026, 3, 1)

    def test_a_leap_day_is_an_ordinary_day(self) -> None:
        cycle = cycle_containing(date(2028, 2, 10), date(2028, 3, 8))
        assert (cycle.first_day, cycle.last_day) == (date(2028, 2, 10), date(2028, 3, 8))

    @given(start=dates, day=dates)
    def test_every_day_falls_in_its_cycle_of_28_days(self, start: date, day: date) -> None:
        cycle = cycle_containing(start, day)
        assert day in cycle
        assert (cycle.last_day - cycle.first_day).days == CYCLE_DAYS - 1
        assert (cycle.first_day - start).days == CYCLE_DAYS * cycle.number

    @given(start=dates, day=dates)
    def test_cycles_do_not_overlap(self, start: date, day: date) -> None:
        cycle = cycle_containing(start, day)
        before = cycle_containing(start, cycle.first_day - timedelta(days=1))
        after = cycle_containing(start, cycle.last_day + timedelta(days=1))
        assert before.number == cycle.number - 1
        assert after.number == cycle.number + 1
        assert before.last_day < cycle.first_day
        assert cycle.last_day < after.first_day

    @given(start=dates, day=dates)
    def test_every_day_of_a_cycle_finds_that_cycle(self, start: date, day: date) -> None:
        cycle = cycle_containing(start, day)
        for offset in (0, 1, 13, 27):
            assert cycle_containing(start, cycle.first_day + timedelta(days=offset)) == cycle

    def test_the_allowance_is_four_weeks(self) -> None:
        assert cycle_allowance_pence(12_345) == 49_380
