"""Money and decimal figures: one module, exact, half away from zero, the same wherever used."""

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import disclosure, money
from app.governance.tally import format_share
from app.ledger.statements import weeks_held
from app.stats.service import average, saving_percent
from app.tenders.evaluation.service import points_text

BIG = st.integers(min_value=-(10**30), max_value=10**30)
POSITIVE = st.integers(min_value=1, max_value=10**30)


def _reference(numerator: int, denominator: int, places: int) -> str:
    """Decimal with enough precision to be exact, half away from zero, no negative zero."""
    with localcontext() as context:
        context.prec = 200
        exact = Decimal(numerator) / Decimal(denominator)
        text = str(exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))
    return text[1:] if text.startswith("-") and set(text[1:]) <= {"0", "."} else text


@given(BIG, POSITIVE, st.integers(min_value=0, max_value=6))
def test_decimal_text_is_exact_half_up(numerator: int, denominator: int, places: int) -> None:
    assert money.decimal_text(Fraction(numerator, denominator), places) == _reference(
        numerator, denominator, places
    )


@given(BIG, POSITIVE)
def test_round_half_up_is_exact(numerator: int, denominator: int) -> None:
    assert money.round_half_up(numerator, denominator) == int(_reference(numerator, denominator, 0))


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(2, 7), 4, "0.2857"),
        (Fraction(1, 20), 1, "0.1"),  # a half goes up
        (Fraction(-1, 20), 1, "-0.1"),  # and away from zero below it
        (Fraction(-1, 25), 1, "0.0"),  # no negative zero
        (Fraction(7, 2), 0, "4"),
        (12, 2, "12.00"),
    ],
)
def test_decimal_text_examples(value: Fraction, places: int, text: str) -> None:
    assert money.decimal_text(value, places) == text


@given(st.integers(min_value=0, max_value=10**15))
def test_pounds(pence: int) -> None:
    assert money.pounds(pence) == Decimal(pence) / 100
    assert money.pounds_text(pence) == f"£{pence // 100}.{pence % 100:02d}"


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(1, 10**9))
def test_every_figure_rounds_through_the_one_module(balance: int, weekly: int) -> None:
    """Weeks held, shares, points, percentages and averages all agree with the one rule."""
    share = Fraction(abs(balance), weekly)
    assert weeks_held(balance, weekly, surplus_weeks=8).weeks == money.decimal_text(
        Fraction(balance, weekly), 1
    )
    assert format_share(share) == money.decimal_text(share, 4)
    assert points_text(share) == money.decimal_text(share, 2)
    assert average(balance, weekly) == money.round_half_up(balance, weekly)
    listed = weekly
    assert saving_percent(listed, balance) == money.decimal_text(
        Fraction((listed - balance) * 100, listed), 1
    )
    shown = disclosure.Figure(value=balance, suppressed=False)
    whole = disclosure.Figure(value=weekly, suppressed=False)
    assert disclosure.percent(shown, whole) == _reference(balance * 100, weekly, 1)


def test_no_other_module_rounds_money_by_hand() -> None:
    """Decimal rounding and hand-made pounds live in app/core/money.py alone."""
    from pathlib import Path

    root = Path(money.__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "money.py"
        and any(
            needle in path.read_text(encoding="utf-8")
            for needle in ("ROUND_HALF", ".quantize(", "pence // 100", "pence % 100")
        )
    ]
    assert offenders == []
