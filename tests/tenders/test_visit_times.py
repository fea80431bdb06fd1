"""A visit's day and clock times in Wales as instants (SPEC 25), with no database."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.clock import WALES
from app.core.errors import ValidationFailed
from app.tenders.visits.times import MAX_MINUTES, instant, interval

# 2026: the clocks go forward on 29 March and back on 25 October, at 01:00 UTC.
SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)


def locs(error: ValidationFailed) -> list[list[object]]:
    return [item["loc"] for item in error.extra["errors"]]


class TestInstants:
    def test_summer_and_winter_times(self) -> None:
        assert instant(date(2026, 1, 5), time(9)) == datetime(2026, 1, 5, 9, tzinfo=UTC)
        assert instant(date(2026, 7, 6), time(9)) == datetime(2026, 7, 6, 8, tzinfo=UTC)

    def test_a_time_the_clocks_skip_does_not_exist(self) -> None:
        assert instant(SPRING, time(1, 30)) is None
        assert instant(SPRING, time(2)) == datetime(2026, 3, 29, 1, tzinfo=UTC)

    def test_a_time_the_clocks_repeat_is_its_first_occurrence(self) -> None:
        assert instant(AUTUMN, time(1, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


class TestIntervals:
    def test_a_day_visit(self) -> None:
        span = interval(date(2026, 1, 5), time(9), time(10, 15))
        assert span.minutes == 75

    def test_an_end_at_or_before_the_start_is_the_next_day(self) -> None:
        night = interval(date(2026, 1, 5), time(22), time(6))
        assert (night.starts_at, night.ends_at, night.minutes) == (
            datetime(2026, 1, 5, 22, tzinfo=UTC),
            datetime(2026, 1, 6, 6, tzinfo=UTC),
            8 * 60,
        )
        assert interval(date(2026, 1, 5), time(8), time(8)).minutes == MAX_MINUTES

    def test_nights_across_the_clock_changes(self) -> None:
        assert interval(SPRING - timedelta(days=1), time(22), time(6)).minutes == 7 * 60
        assert interval(AUTUMN - timedelta(days=1), time(22), time(6)).minutes == 9 * 60
        assert interval(SPRING - timedelta(days=1), time(8), time(8)).minutes == 23 * 60

    def test_more_than_24_hours_when_the_clocks_go_back_is_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            interval(AUTUMN - timedelta(days=1), time(8), time(8))
        assert locs(refused.value) == [["body", "end_time"]]

    def test_skipped_times_name_their_field(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            interval(SPRING, time(1, 15), time(1, 45))
        assert locs(refused.value) == [["body", "start_time"], ["body", "end_time"]]
        with pytest.raises(ValidationFailed) as refused:
            interval(SPRING - timedelta(days=1), time(23), time(1, 30))
        assert locs(refused.value) == [["body", "end_time"]]

    def test_half_open_intervals_touch_without_overlapping(self) -> None:
        first = interval(date(2026, 1, 5), time(9), time(10))
        second = interval(date(2026, 1, 5), time(10), time(11))
        assert not first.overlaps(second.starts_at, second.ends_at)
        third = interval(date(2026, 1, 5), time(9, 59), time(10, 30))
        assert first.overlaps(third.starts_at, third.ends_at)


wall_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    start=wall_times,
    end=wall_times,
)
def test_minutes_are_the_instants_apart_and_the_walls_read_back(
    day: date, start: time, end: time
) -> None:
    end_day = day if end > start else day + timedelta(days=1)
    try:
        span = interval(day, start, end)
    except ValidationFailed:
        # Refused only for a time the clocks skip, or for more than a day.
        began, ended = instant(day, start), instant(end_day, end)
        assert began is None or ended is None or ended - began > timedelta(days=1)
        return
    assert 1 <= span.minutes <= MAX_MINUTES
    assert span.minutes * 60 == (span.ends_at - span.starts_at).total_seconds()
    began, ended = span.starts_at.astimezone(WALES), span.ends_at.astimezone(WALES)
    assert (began.date(), began.time()) == (day, start)
    assert ended.time() == end
    assert ended.date() == end_day
