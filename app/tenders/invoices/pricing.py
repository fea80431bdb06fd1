"""The price of care under a contract whose rate changes (SPEC sections 21 and 25), with no
database: a rate schedule, the rate in force on a day, and the price of minutes spread over
days.

A schedule is the rate at signing and every applied variation, each in force from its
`from_date` until the next one. The price of some minutes is, for each rate r they were
delivered at, `(r x minutes at r + 30) // 60` pence, summed: the exact price at each rate
rounded to the nearest penny, halves up. Minutes at the same rate count together wherever
they fall, so a rate that returns to an earlier value is one sum, not two.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

MINUTES_PER_HOUR = 60


def line_amount(hourly_rate_pence: int, minutes: int) -> int:
    """(hourly_rate_pence x minutes + 30) // 60: minutes at one rate, to the nearest penny."""
    return (hourly_rate_pence * minutes + MINUTES_PER_HOUR // 2) // MINUTES_PER_HOUR


@dataclass(frozen=True, slots=True)
class RateChange:
    from_date: date
    hourly_rate_pence: int


@dataclass(frozen=True, slots=True)
class RateSchedule:
    """The contract's rate at signing and the changes applied to it, in effect order.

    Changes on the same day: the later one in `changes` wins (they are given in the order
    they were made).
    """

    signing_rate_pence: int
    changes: tuple[RateChange, ...] = ()

    @classmethod
    def of(cls, signing_rate_pence: int, changes: Iterable[RateChange]) -> "RateSchedule":
        ordered = sorted(enumerate(changes), key=lambda pair: (pair[1].from_date, pair[0]))
        return cls(signing_rate_pence, tuple(change for _, change in ordered))

    def rate_on(self, day: date) -> int:
        rate = self.signing_rate_pence
        for change in self.changes:
            if change.from_date > day:
                break
            rate = change.hourly_rate_pence
        return rate

    def changes_within(self, first_day: date, last_day: date) -> list[date]:
        """The days after `first_day`, up to `last_day`, on which the rate changes: a period
        containing one is priced at more than one rate."""
        return sorted({c.from_date for c in self.changes if first_day < c.from_date <= last_day})


def minutes_by_rate(minutes_by_day: Mapping[date, int], schedule: RateSchedule) -> dict[int, int]:
    """The minutes delivered at each rate."""
    totals: dict[int, int] = defaultdict(int)
    for day, minutes in minutes_by_day.items():
        totals[schedule.rate_on(day)] += minutes
    return dict(totals)


def price(minutes_by_day: Mapping[date, int], schedule: RateSchedule) -> int:
    """The sum over each rate r of (r x minutes at r + 30) // 60, in pence."""
    return sum(
        line_amount(rate, minutes)
        for rate, minutes in minutes_by_rate(minutes_by_day, schedule).items()
    )


def needs_vote(signing_rate_pence: int, new_rate_pence: int, vote_percent: int) -> bool:
    """Whether a new rate is a rise of more than `vote_percent` % over the rate at signing
    (compared in whole numbers: new x 100 > signing x (100 + percent))."""
    return new_rate_pence * 100 > signing_rate_pence * (100 + vote_percent)
