"""Exact splits of a charge among members, in integer pence (no database here)."""

import uuid
from collections.abc import Sequence

from app.support.errors import NoSubscribers


def split_evenly(amount_pence: int, n: int) -> list[int]:
    """`amount_pence` in `n` parts that sum to it exactly and differ by at most a penny.

    This is the largest remainder method: every part gets the floor of amount / n, and the
    pennies left over go one each to the parts with the largest remainders. Every part's
    remainder is the same (amount mod n over n), so that tie is broken by order: the first
    parts get the extra pennies. Callers pass members in order of their approval into the
    co-op, so the longest-standing members carry the odd pennies.
    """
    if isinstance(amount_pence, bool) or not isinstance(amount_pence, int):
        raise TypeError("amount_pence must be an integer number of pence")
    if amount_pence < 0:
        raise ValueError("amount_pence may not be negative")
    if n < 1:
        raise ValueError("there must be at least one part")
    base, extra = divmod(amount_pence, n)
    return [base + 1] * extra + [base] * (n - extra)


def plan_charge(
    amount_pence: int, members_in_approval_order: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, int]]:
    """Each subscriber's share of a charge: `(member_id, pence)` in the order given.

    `members_in_approval_order` is what `subscribers_in_month` returns (as ids): the members
    subscribed on any day of the month, earliest approved first, each once. With none, the
    charge has no one to fall on (422 `no_subscribers`).
    """
    if not members_in_approval_order:
        raise NoSubscribers
    if len(set(members_in_approval_order)) != len(members_in_approval_order):
        raise ValueError("a member may appear only once in a charge")
    parts = split_evenly(amount_pence, len(members_in_approval_order))
    return list(zip(members_in_approval_order, parts, strict=True))
