"""Money and decimal figures as the service writes them: exact arithmetic, rounded half up
(half away from zero) only at the end, in one place.

Pence are whole numbers everywhere; pounds appear only where a format asks for them (OCDS,
the texts of an award proposal)."""

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

PENNIES = 100
_TWO_PLACES = Decimal("0.01")


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator to the nearest whole number, halves away from zero."""
    if denominator == 0:
        raise ZeroDivisionError("a figure divided by nothing")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    whole, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        whole += 1
    return -whole if numerator < 0 else whole


def decimal_text(value: Fraction | int, places: int) -> str:
    """An exact value as a decimal string with `places` places, rounded half up (halves away
    from zero): Fraction(2, 7), 4 -> "0.2857"; Fraction(-1, 20), 1 -> "-0.1". A value that
    rounds to zero has no sign."""
    if places < 0:
        raise ValueError("places is never negative")
    exact = Fraction(value)
    scale = 10**places
    scaled = round_half_up(exact.numerator * scale, exact.denominator)
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled), scale)
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"


def pounds(pence: int) -> Decimal:
    """Pence as pounds with two places (Decimal("12.34")), for formats that count in pounds."""
    return (Decimal(pence) / PENNIES).quantize(_TWO_PLACES)


def pounds_text(pence: int) -> str:
    """Pence as a price to read: 1234 -> "£12.34"."""
    return f"£{pounds(pence)}"


def split_pro_rata(amount_pence: int, weights: Sequence[int]) -> list[int]:
    """`amount_pence` in parts proportional to `weights`, summing to it exactly: the largest
    remainder method. Each part is the floor of amount x weight / total; the pennies left
    over go one each to the parts with the largest remainders, ties to the earlier part (so
    the caller's order decides who carries an odd penny). A zero weight gets nothing."""
    if isinstance(amount_pence, bool) or not isinstance(amount_pence, int):
        raise TypeError("amount_pence must be an integer number of pence")
    if amount_pence < 0:
        raise ValueError("amount_pence may not be negative")
    if any(isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in weights):
        raise ValueError("weights are whole numbers, none negative")
    total = sum(weights)
    if total == 0:
        raise ValueError("at least one weight must be above zero")
    parts, remainders = [], []
    for position, weight in enumerate(weights):
        part, remainder = divmod(amount_pence * weight, total)
        parts.append(part)
        remainders.append((-remainder, position))
    for _, position in sorted(remainders)[: amount_pence - sum(parts)]:
        parts[position] += 1
    return parts
