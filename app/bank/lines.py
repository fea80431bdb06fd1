"""A statement's lines as read from a file, whatever its format: the order the money moved
in, and the key that tells the same line imported twice."""

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any, NoReturn

from app.core.errors import ValidationFailed
from app.core.field_errors import FieldError, field_error

# A malformed file is reported with this many of its errors at most (the rest would repeat).
MAX_ERRORS = 50


@dataclass(frozen=True, slots=True)
class StatementLine:
    line: int  # where it starts in the file (1 = the first line), for error messages
    booked_on: date
    amount_pence: int  # into the bank +, out of it -
    description: str
    reference: str | None = None
    balance_pence: int | None = None  # the running balance after this line, if the bank gave it
    bank_id: str | None = None  # the bank's own id for the line (OFX: FITID, with the account)


class Problems:
    """The errors found in a file, each naming its line and field; raised together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, line: int, field: str | None, msg: str, msg_cy: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            loc: list[Any] = ["body", line] if field is None else ["body", line, field]
            self.errors.append(field_error(loc, msg, msg_cy=msg_cy))

    def raise_any(self) -> None:
        if self.errors:
            self.fail()

    def fail(self) -> NoReturn:
        raise ValidationFailed(self.errors)


def text(value: str) -> str:
    """Text as stored and compared: composed (NFC), so "ŵ" typed either way is one letter."""
    return unicodedata.normalize("NFC", value.strip())


def _runs_backwards(lines: Sequence[StatementLine]) -> bool:
    """Whether the file lists the newest line first. By the dates where they differ; within
    one day, by the running balances when they tell (each balance follows from the one
    before it and its amount, read one way or the other)."""
    first, last = lines[0].booked_on, lines[-1].booked_on
    if first != last:
        return first > last
    balances = [line.balance_pence for line in lines]
    if len(lines) < 2 or any(b is None for b in balances):
        return False
    pairs = list(
        pairwise([(b or 0, line.amount_pence) for b, line in zip(balances, lines, strict=True)])
    )
    forwards = all(after == before + amount for (before, _), (after, amount) in pairs)
    backwards = all(before == after + amount for (before, amount), (after, _) in pairs)
    return backwards and not forwards


def in_order_of_movement(lines: Sequence[StatementLine]) -> list[StatementLine]:
    """The lines oldest first, as the money moved (banks export either way round)."""
    if not lines:
        return []
    return list(reversed(lines)) if _runs_backwards(lines) else list(lines)


def _digest(*parts: object) -> str:
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def dedup_keys(lines: Sequence[StatementLine]) -> list[str]:
    """One key per line, equal for the same line imported again.

    By the bank's own id when it gave one. Otherwise by date, amount, description and running
    balance, with the count of identical lines before it in the file: a file holding two
    identical lines gives `...:1` and `...:2`, so against one already stored the first is a
    duplicate and the second is new (a line is a duplicate only as many times as an
    identical line already exists).
    """
    seen: Counter[str] = Counter()
    keys = []
    for line in lines:
        if line.bank_id is not None:
            keys.append(f"id:{_digest(line.bank_id)}")
            continue
        fingerprint = _digest(
            line.booked_on.isoformat(), line.amount_pence, line.description, line.balance_pence
        )
        seen[fingerprint] += 1
        keys.append(f"line:{fingerprint}:{seen[fingerprint]}")
    return keys
