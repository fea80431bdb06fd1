"""The pure rules: duplicates counted per identical line, the order the money moved, and
matching only where exactly one transaction fits."""

import uuid
from collections import Counter
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.bank.lines import StatementLine, dedup_keys, in_order_of_movement
from app.bank.matching import OpenLine, automatic_matches, words_of
from app.ledger.models import TransactionKind
from app.ledger.movements import Movement

DAY = date(2026, 3, 10)


def line(
    amount: int, description: str = "x", *, on: date = DAY, balance: int | None = None
) -> StatementLine:
    return StatementLine(
        line=1, booked_on=on, amount_pence=amount, description=description, balance_pence=balance
    )


lines_strategy = st.lists(
    st.builds(line, st.sampled_from([-500, 100, 250]), st.sampled_from(["a", "b"])), max_size=8
)


@given(stored=lines_strategy, incoming=lines_strategy)
def test_a_line_is_a_duplicate_only_as_many_times_as_an_identical_line_exists(
    stored: list[StatementLine], incoming: list[StatementLine]
) -> None:
    new = set(dedup_keys(incoming)) - set(dedup_keys(stored))
    have = Counter((s.amount_pence, s.description) for s in stored)
    want = Counter((s.amount_pence, s.description) for s in incoming)
    assert len(new) == sum(max(0, n - have[k]) for k, n in want.items())


def test_a_bank_id_decides_alone() -> None:
    first = StatementLine(line=1, booked_on=DAY, amount_pence=5, description="A", bank_id="x:1")
    renamed = StatementLine(line=9, booked_on=DAY, amount_pence=5, description="B", bank_id="x:1")
    assert dedup_keys([first]) == dedup_keys([renamed])


def test_newest_first_files_are_turned_round_by_date_or_by_balance() -> None:
    by_date = [line(1, on=DAY), line(2, on=DAY - timedelta(days=1))]
    assert [x.amount_pence for x in in_order_of_movement(by_date)] == [2, 1]
    same_day = [line(-100, balance=1_900), line(500, balance=2_000), line(1_500, balance=1_500)]
    assert [x.amount_pence for x in in_order_of_movement(same_day)] == [1_500, 500, -100]
    oldest_first = list(reversed(same_day))
    assert in_order_of_movement(oldest_first) == oldest_first


def movement(kind: TransactionKind, amount: int, *, memo: str = "", on: date = DAY) -> Movement:
    return Movement(uuid.uuid4(), kind, on, amount, memo)


def open_line(amount: int, text: str = "", *, on: date = DAY) -> OpenLine:
    return OpenLine(uuid.uuid4(), on, amount, words_of(text, None))


class TestMatching:
    def test_a_contribution_needs_its_reference_in_the_line(self) -> None:
        paid = movement(TransactionKind.contribution, 2_500, memo="DP-7")
        named = open_line(2_500, "TRANSFER dp-7 THANKS")
        unnamed = open_line(2_500, "TRANSFER")
        assert automatic_matches([named, unnamed], [], [paid]) == {
            named.line_id: paid.transaction_id
        }

    def test_a_payment_out_needs_the_amount_within_five_days(self) -> None:
        refund = movement(TransactionKind.refund, -700)
        for days, matched in ((5, True), (-5, True), (6, False), (-6, False)):
            out = open_line(-700, on=DAY + timedelta(days=days))
            assert bool(automatic_matches([out], [], [refund])) is matched, days
        assert automatic_matches([open_line(700)], [], [refund]) == {}
        reversal = movement(TransactionKind.reversal, -700)
        assert automatic_matches([open_line(-700)], [], [reversal]) == {}

    def test_two_candidates_for_a_line_or_two_lines_for_a_candidate_match_nothing(self) -> None:
        one, two = (
            movement(TransactionKind.refund, -100),
            movement(TransactionKind.invoice_payment, -100),
        )
        assert automatic_matches([open_line(-100)], [], [one, two]) == {}
        older = open_line(-100)
        assert automatic_matches([open_line(-100)], [older], [one]) == {}
        assert automatic_matches([open_line(-100), open_line(-100)], [], [one]) == {}
