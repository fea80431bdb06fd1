"""Disclosure control for counts of people (SPEC section 10), with no database.

Kept small and pure so that the statistics domain can reuse it (or take it over).
"""

from dataclasses import dataclass

SMALLEST_PUBLISHED = 8
ROUND_TO = 5


@dataclass(frozen=True, slots=True)
class Disclosed:
    value: int | None
    suppressed: bool


def disclose_people_count(count: int) -> Disclosed:
    """0 stays 0; 1 to 7 is suppressed; 8 or more is rounded to the nearest 5.

    A whole count is never exactly half way between two multiples of 5, so "half up" never
    has to decide anything here.
    """
    if count < 0:
        raise ValueError("a count of people cannot be negative")
    if count == 0:
        return Disclosed(value=0, suppressed=False)
    if count < SMALLEST_PUBLISHED:
        return Disclosed(value=None, suppressed=True)
    return Disclosed(value=ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO), suppressed=False)
