"""The bureau's files and the split of a cost by minutes: pure, exact to the penny."""

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.csv_answer import csv_bytes
from app.core.money import split_pro_rata
from app.employment.exchange import (
    ExportRow,
    export_csv,
    gross_pence,
    hours_text,
    in_export_order,
    parse_results_csv,
)

RATES = st.integers(min_value=1_000, max_value=100_000)
MINUTES = st.integers(min_value=0, max_value=31 * 1440)


@given(RATES, MINUTES)
def test_gross_is_the_exact_pay_rounded_half_up(rate: int, minutes: int) -> None:
    exact = Decimal(rate * minutes) / Decimal(60)
    assert gross_pence(rate, minutes) == int(exact.quantize(Decimal(1), ROUND_HALF_UP))


@given(MINUTES)
def test_hours_have_two_places_rounded_half_up(minutes: int) -> None:
    exact = Decimal(minutes) / Decimal(60)
    assert hours_text(minutes) == str(exact.quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_known_figures() -> None:
    assert gross_pence(1_250, 450) == 9_375
    assert gross_pence(1_100, 1) == 18  # 18.33 down
    assert gross_pence(1_002, 15) == 251  # 250.5 up
    assert (hours_text(450), hours_text(20), hours_text(1)) == ("7.50", "0.33", "0.02")


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(any),
)
def test_a_pro_rata_split_sums_exactly_and_is_within_a_penny_of_fair(
    amount: int, weights: list[int]
) -> None:
    parts = split_pro_rata(amount, weights)
    assert sum(parts) == amount
    total = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        fair = Fraction(amount * weight, total)
        assert fair - 1 < part < fair + 1
        if weight == 0:
            assert part == 0


def test_the_largest_remainders_get_the_odd_pennies_and_ties_go_first() -> None:
    assert split_pro_rata(100, [1, 2]) == [33, 67]  # 33.3 and 66.7: the 0.7 gets it
    assert split_pro_rata(10, [1, 1, 1]) == [4, 3, 3]
    assert split_pro_rata(5, [0, 3]) == [0, 5]
    with pytest.raises(ValueError, match="above zero"):
        split_pro_rata(5, [0, 0])
    with pytest.raises(ValueError, match="negative"):
        split_pro_rata(-1, [1])


def row(name: str, employment_id: str, minutes: int = 60) -> ExportRow:
    return ExportRow(
        employment_id=uuid.UUID(employment_id),
        worker_name=name,
        employer="=HYPERLINK()",
        period_start=date(2026, 3, 2),
        period_end=date(2026, 3, 29),
        minutes=minutes,
        hourly_rate_pence=1_250,
    )


def test_the_export_is_by_name_then_id_and_defuses_formulas() -> None:
    a = "00000000-0000-0000-0000-00000000000a"
    b = "00000000-0000-0000-0000-00000000000b"
    rows = in_export_order([row("bethan", b), row("Aled", b), row("Bethan", a), row("bethan", a)])
    assert [(r.worker_name, str(r.employment_id)[-1]) for r in rows] == [
        ("Aled", "b"),
        ("Bethan", "a"),
        ("bethan", "a"),
        ("bethan", "b"),
    ]
    text = export_csv([row("Aled", a, minutes=450)])
    assert (
        csv_bytes(text)
        == (
            "\ufeff"
            '"employment_id","worker_name","employer","period_start","period_end","minutes","hours",'
            '"hourly_rate_pence","gross_pence"\r\n'
            f'"{a}","Aled","\'=HYPERLINK()","2026-03-02","2026-03-29","450","7.50","1250","9375"\r\n'
        ).encode()
    )


def test_a_results_file_is_read_with_its_line_numbers_and_extra_columns_ignored() -> None:
    a = uuid.uuid4()
    lines, errors = parse_results_csv(
        "worker,employment_id,gross_pence,employer_ni_pence,employer_pension_pence,net_pence\n"
        f"Siân,{a},9375,120,281,8000\n"
        "\n"
    )
    assert errors == []
    assert [(n, line.employment_id, line.cost_pence) for n, line in lines] == [(2, a, 9_776)]


def test_every_bad_cell_of_a_results_file_is_named() -> None:
    a = uuid.uuid4()
    _, errors = parse_results_csv(
        "employment_id,gross_pence,employer_ni_pence,employer_pension_pence,net_pence\n"
        f"{a},-5,0,1.5,0\n"
        "nope,1,1,1,1\n"
    )
    assert [e["loc"] for e in errors] == [
        ["body", 2, "gross_pence"],
        ["body", 2, "employer_pension_pence"],
        ["body", 3, "employment_id"],
    ]
    _, missing = parse_results_csv("employment_id,gross_pence\n")
    assert [e["loc"] for e in missing] == [
        ["body", 1, "employer_ni_pence"],
        ["body", 1, "employer_pension_pence"],
        ["body", 1, "net_pence"],
    ]
    assert parse_results_csv("")[1][0]["loc"] == ["body", 1, "employment_id"]


def test_a_file_that_is_not_csv_is_an_error_not_a_crash() -> None:
    _, errors = parse_results_csv("employment_id,gross_pence\n" + "9" * 200_000 + "\n")
    assert [e["loc"] for e in errors] == [["body"]]
