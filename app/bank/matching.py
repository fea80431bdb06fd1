"""Which bank lines match which ledger transactions without anyone choosing: only where
exactly one fits.

A line paying money in fits a contribution of the same amount whose reference (its memo)
the line's description or reference contains, letter case aside. A line paying money out
fits any other transaction that took the same amount out of the bank (a refund, a refund on
leaving, a payment to a provider, payroll) whose day is within 5 days of the line's:
|line date - transaction day| <= 5. Reversals are matched by hand only.

A line is matched when exactly one transaction fits it and that transaction fits no other
line still open (nothing matched or ignored): two lines that could each be the one
payment are a choice for a person, not for the import.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from app.ledger.models import TransactionKind
from app.ledger.movements import Movement

WITHIN_DAYS = 5


@dataclass(frozen=True, slots=True)
class OpenLine:
    line_id: uuid.UUID
    booked_on: date
    amount_pence: int
    words: str  # description and reference, as compared (case-folded)


def words_of(description: str, reference: str | None) -> str:
    return f"{description}\n{reference or ''}".casefold()


def fits(line: OpenLine, movement: Movement) -> bool:
    if movement.amount_pence != line.amount_pence:
        return False
    if line.amount_pence > 0:
        return movement.kind is TransactionKind.contribution and (
            movement.memo.casefold() in line.words
        )
    if movement.kind in (TransactionKind.contribution, TransactionKind.reversal):
        return False
    return abs((line.booked_on - movement.day).days) <= WITHIN_DAYS


def automatic_matches(
    new: Sequence[OpenLine], others: Iterable[OpenLine], movements: Iterable[Movement]
) -> dict[uuid.UUID, uuid.UUID]:
    """line id -> transaction id for the `new` lines that match, given the lines still open
    before them (`others`) and the transactions not yet matched."""
    by_amount: dict[int, list[Movement]] = defaultdict(list)
    for movement in movements:
        by_amount[movement.amount_pence].append(movement)
    fitting: dict[uuid.UUID, list[uuid.UUID]] = {}
    lines_per_transaction: dict[uuid.UUID, int] = defaultdict(int)
    for line in [*new, *others]:
        found = [m.transaction_id for m in by_amount.get(line.amount_pence, ()) if fits(line, m)]
        fitting[line.line_id] = found
        for transaction_id in found:
            lines_per_transaction[transaction_id] += 1
    matches = {}
    for line in new:
        found = fitting[line.line_id]
        if len(found) == 1 and lines_per_transaction[found[0]] == 1:
            matches[line.line_id] = found[0]
    return matches
