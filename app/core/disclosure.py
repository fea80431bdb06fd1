"""Disclosure control for published figures about people (SPEC section 10), with no database.

A pure module with no imports from other domains, so any of them may publish through it.

After NHS Digital's rules for small numbers: a count of people from 1 to 7 is suppressed;
8 or more is rounded to the nearest 5; a sum or average of money is published only when it
is drawn from 8 or more people; percentages come from the published (rounded) figures; zero
stays 0. Where one cell of a row or column is suppressed and its total is shown, the next
smallest cell is suppressed too, so no suppressed value can be recovered by subtraction.
Counts of organisations (providers, co-ops, tenders) are not people and are not controlled.

A sum of people's money that is published (the councils' figures) is also rounded half up to
the nearest £100 once the 8-people rule lets it through (SPEC sections 18 and 25), so that two
published sums never differ by one person's payment to the penny. Prices (hourly rates) are
organisations' figures and are published to the penny.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from app.core.money import decimal_text, round_half_up

SMALLEST_PUBLISHED = 8
ROUND_TO = 5
MONEY_ROUND_TO_PENCE = 10_000  # £100


@dataclass(frozen=True, slots=True)
class Figure:
    """A published figure: `value` is None exactly when `suppressed`."""

    value: int | None
    suppressed: bool

    @classmethod
    def hidden(cls) -> "Figure":
        return cls(value=None, suppressed=True)


def people_count(count: int) -> Figure:
    """0 stays 0; 1 to 7 is suppressed; 8 or more is rounded to the nearest 5.

    A whole number is never exactly half way between two multiples of 5, so the rounding
    never has a tie to break.
    """
    if count < 0:
        raise ValueError("a count of people cannot be negative")
    if count == 0:
        return Figure(value=0, suppressed=False)
    if count < SMALLEST_PUBLISHED:
        return Figure.hidden()
    return Figure(value=ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO), suppressed=False)


def money_from_people(amount_pence: int, people: int) -> Figure:
    """A sum of money is shown only when drawn from 8 or more people (none: 0)."""
    if people < 0:
        raise ValueError("a count of people cannot be negative")
    if people == 0:
        return Figure(value=0, suppressed=False) if amount_pence == 0 else Figure.hidden()
    if people < SMALLEST_PUBLISHED:
        return Figure.hidden()
    return Figure(value=amount_pence, suppressed=False)


def published_money(amount_pence: int, people: int) -> Figure:
    """A sum of people's money as the councils' figures publish it: shown only when drawn from
    8 or more people (`money_from_people`), then rounded half up to the nearest £100."""
    figure = money_from_people(amount_pence, people)
    if figure.value is None:
        return figure
    rounded = MONEY_ROUND_TO_PENCE * round_half_up(figure.value, MONEY_ROUND_TO_PENCE)
    return Figure(value=rounded, suppressed=False)


def average_pence(total_pence: int, count: int, people: int) -> Figure:
    """An average of `count` amounts, in whole pence rounded half up, from 8+ people."""
    if people < SMALLEST_PUBLISHED or count <= 0:
        return Figure(value=None, suppressed=people > 0)
    return Figure(value=round_half_up(total_pence, count), suppressed=False)


def percent(numerator: Figure, denominator: Figure, places: int = 1) -> str | None:
    """A percentage from published figures, as a decimal string; None when either is hidden."""
    if numerator.value is None or denominator.value is None or denominator.value == 0:
        return None
    return decimal_text(Fraction(numerator.value * 100, denominator.value), places)


def protect_with_total(cells: Sequence[Figure], raw: Sequence[int]) -> list[Figure]:
    """Secondary suppression for cells published beside their total.

    When exactly one cell is suppressed, the next smallest published non-zero cell is
    suppressed too, so the hidden one cannot be recovered as total minus the rest. When
    there is no such cell, the caller must hide the total instead (see `total_must_hide`).
    """
    if len(cells) != len(raw):
        raise ValueError("cells and raw values differ in length")
    hidden = [i for i, cell in enumerate(cells) if cell.suppressed]
    if len(hidden) != 1:
        return list(cells)
    candidates = [
        i for i, cell in enumerate(cells) if not cell.suppressed and cell.value not in (0, None)
    ]
    if not candidates:
        return list(cells)
    smallest = min(candidates, key=lambda i: (raw[i], i))
    return [Figure.hidden() if i == smallest else cell for i, cell in enumerate(cells)]


def total_must_hide(cells: Sequence[Figure]) -> bool:
    """True when a lone suppressed cell could still be recovered from a shown total."""
    return sum(1 for cell in cells if cell.suppressed) == 1
