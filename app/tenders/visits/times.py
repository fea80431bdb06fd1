"""When a visit happened, with no database: the provider's day and clock times in Wales as a
half-open interval of instants, and the minutes between them.

`start_time` and `end_time` are wall-clock times in Europe/London on the visit's `date`; an
`end_time` at or before the `start_time` is on the next day (a night visit). Minutes are
counted between the instants, so a night across a clock change is an hour shorter (March) or
longer (October) than the clock faces say, and a visit may last at most 24 hours.

A wall time that does not exist (between 01:00 and 02:00 when the clocks go forward) is
refused; one that happens twice (between 01:00 and 02:00 when they go back) is read as its
first occurrence, in summer time.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from app.core.clock import WALES
from app.core.errors import ValidationFailed
from app.core.field_errors import FieldError, field_error

MAX_MINUTES = 24 * 60
SECONDS_PER_MINUTE = 60


@dataclass(frozen=True, slots=True)
class Interval:
    """[starts_at, ends_at) in UTC, and the whole minutes between."""

    starts_at: datetime
    ends_at: datetime
    minutes: int

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at


def instant(day: date, wall: time) -> datetime | None:
    """The UTC instant of that wall-clock time in Wales on that day; None when the clocks skip
    it. `fold=0` takes the first of two instants when the clocks go back."""
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=WALES)
    moment = local.astimezone(UTC)
    if moment.astimezone(WALES).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return moment


def _skipped(loc: str, day: date, wall: time) -> FieldError:
    spelt = f"{wall.strftime('%H:%M')} on {day.isoformat()}"
    return field_error(
        ["body", loc],
        f"{spelt} does not exist in Wales: the clocks go forward then.",
        msg_cy=f"Nid yw {spelt} yn bodoli yng Nghymru: mae'r clociau'n mynd ymlaen bryd hynny.",
    )


def interval(day: date, start: time, end: time) -> Interval:
    """The visit's instants; 422 `validation_error` naming the field for a time the clocks
    skip and for a visit longer than 24 hours."""
    end_day = day if end > start else day + timedelta(days=1)
    starts_at, ends_at = instant(day, start), instant(end_day, end)
    errors = []
    if starts_at is None:
        errors.append(_skipped("start_time", day, start))
    if ends_at is None:
        errors.append(_skipped("end_time", end_day, end))
    if starts_at is None or ends_at is None:
        raise ValidationFailed(errors)
    minutes = int((ends_at - starts_at).total_seconds()) // SECONDS_PER_MINUTE
    if minutes > MAX_MINUTES:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "end_time"],
                    "A visit lasts at most 24 hours (this one would last longer: the clocks "
                    "go back that night).",
                    msg_cy="Mae ymweliad yn para 24 awr ar y mwyaf (byddai hwn yn para'n hirach: "
                    "mae'r clociau'n mynd yn ôl y noson honno).",
                    type="less_than_equal",
                    ctx={"le": MAX_MINUTES},
                )
            ]
        )
    return Interval(starts_at=starts_at, ends_at=ends_at, minutes=minutes)
