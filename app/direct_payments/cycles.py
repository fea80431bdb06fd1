"""Direct Payment four-week cycles, counted from an award's start date (no database)."""

from dataclasses import dataclass
from datetime import date, timedelta

CYCLE_DAYS = 28
WEEKS_PER_CYCLE = 4


@dataclass(frozen=True, slots=True)
class Cycle:
    """One four-week cycle: `first_day` to `last_day` inclusive; `number` 0 is the first."""

    number: int
    first_day: date
    last_day: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first_day <= day <= self.last_day


def cycle_containing(start_date: date, day: date) -> Cycle:
    """The cycle holding `day`: start + 28 x floor((day - start) / 28) days.

    Days before the start fall in cycles with negative numbers, so the arithmetic holds
    everywhere; whether an award is in force on a day is a separate question.
    """
    number = (day - start_date).days // CYCLE_DAYS
    first_day = start_date + timedelta(days=CYCLE_DAYS * number)
    return Cycle(
        number=number, first_day=first_day, last_day=first_day + timedelta(days=CYCLE_DAYS - 1)
    )


def cycle_allowance_pence(weekly_amount_pence: int) -> int:
    """What a holder may contribute in one cycle, across all co-ops: four weeks' award."""
    return WEEKS_PER_CYCLE * weekly_amount_pence
