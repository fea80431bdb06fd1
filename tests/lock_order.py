"""Watching the locks a request takes, in the order it takes them (PostgreSQL).

The app's sessions in tests run on the test's connection, so every statement a request sends
passes through it; these helpers record them and read off the row locks.
"""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

LOCK = re.compile(r"\bFOR (NO KEY UPDATE|UPDATE|SHARE|KEY SHARE)\b")
FROM = re.compile(r"\bFROM (\w+)")
# `FOR ... OF a, b`: the rows of each result row are locked in the order the list names them.
OF = re.compile(r"\bFOR (?:NO KEY UPDATE|UPDATE|SHARE|KEY SHARE) OF (\w+(?:, \w+)*)")


@dataclass(frozen=True)
class Lock:
    table: str
    mode: str
    parameters: tuple[str, ...]


@dataclass
class Locks:
    taken: list[Lock] = field(default_factory=list)

    def first(self, table: str) -> int:
        return next(n for n, lock in enumerate(self.taken) if lock.table == table)

    def of(self, table: str) -> list[Lock]:
        return [lock for lock in self.taken if lock.table == table]

    def assert_memberships_before_accounts(self, *member_ids: uuid.UUID) -> None:
        """Every named membership was locked before any ledger account was."""
        assert self.of("ledger_account"), self.taken
        first_account = self.first("ledger_account")
        held = {
            p
            for lock in self.taken[:first_account]
            if lock.table == "coop_member"
            for p in lock.parameters
        }
        missing = {str(m) for m in member_ids} - held
        assert not missing, (missing, self.taken)
        for lock in self.of("coop_member") + self.of("coop"):
            # Rows that only point at a membership or a co-op (postings, refunds) are not
            # held up by these locks: FOR UPDATE would block their foreign-key checks.
            assert lock.mode == "NO KEY UPDATE", lock


def _flat(parameters: Any) -> tuple[str, ...]:
    if isinstance(parameters, dict):
        parameters = list(parameters.values())
    found: list[str] = []
    for value in parameters or ():
        if isinstance(value, list | tuple):
            found.extend(str(v) for v in value)
        else:
            found.append(str(value))
    return tuple(found)


@contextmanager
def watching_locks(connection: AsyncConnection) -> Iterator[Locks]:
    locks = Locks()

    def seen(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        mode = LOCK.search(statement)
        table = FROM.search(statement)
        if mode and table:
            named = OF.search(statement)
            tables = named.group(1).split(", ") if named else [table.group(1)]
            for name in tables:
                locks.taken.append(Lock(name, mode.group(1), _flat(parameters)))

    sync = connection.sync_connection
    assert sync is not None
    event.listen(sync, "before_cursor_execute", seen)
    try:
        yield locks
    finally:
        event.remove(sync, "before_cursor_execute", seen)
