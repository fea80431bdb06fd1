"""What a contract's paid invoices may publish: its totals per closed calendar quarter.

A quarter is published once it is over (days in Wales) and only when its payments were for 8
or more holders (`app.core.disclosure`). A quarter still running would be published again
with every payment, and the difference between two releases, which never change, would be
one invoice: perhaps one person's care. A closed quarter's total can no longer change, since
an invoice is dated by its payment.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.core.clock import local_date
from app.core.disclosure import money_from_people
from app.tenders.ocds.common import QuarterTotal


@dataclass(frozen=True, slots=True)
class Payment:
    """A paid invoice: what it paid and whose care it paid for (its lines not voided)."""

    paid_at: datetime
    amount_pence: int
    member_ids: frozenset[uuid.UUID]


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def publishable_quarters(payments: Iterable[Payment], *, now: datetime) -> list[QuarterTotal]:
    """The closed quarters before `now` that may be published, oldest first."""
    running = quarter_of(local_date(now))
    totals: dict[tuple[int, int], int] = {}
    holders: dict[tuple[int, int], set[uuid.UUID]] = {}
    for payment in payments:
        quarter = quarter_of(local_date(payment.paid_at))
        if quarter >= running:
            continue
        totals[quarter] = totals.get(quarter, 0) + payment.amount_pence
        holders.setdefault(quarter, set()).update(payment.member_ids)
    out = []
    for (year, number), total in sorted(totals.items()):
        figure = money_from_people(total, len(holders[(year, number)]))
        if figure.value:
            out.append(QuarterTotal(year=year, quarter=number, amount_pence=figure.value))
    return out
