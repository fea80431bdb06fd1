"""Worlds built once and written back: a world fixture's rows, replayed into each test.

A fixture that builds a large world (a co-op with its people, mandates and awards) through
the builders pays for every service call in every test that uses it, though the world is
the same each time. `replayed` builds it once per backend, in a savepoint of the test's
transaction, reads back every row that the build wrote or changed, and rolls the savepoint
back. Every test, the first as well, then has those rows written straight into its own
transaction (one statement per table) and its own copy of what the fixture returned.

The rows are read and written as the database stores them (no type conversion either way),
so a test finds exactly the rows the builders wrote: the same ids, tokens, audit chain and
ledger. A world that names the app it was built through (to arrange more through it) names
the test's app in each copy. A world is built again whenever what it was built from differs:
another backend, another time on the test's clock, other settings, or a database already
holding people, co-ops or audit entries before the fixture ran. A build that moves the
test's clock leaves it where the build did.

What a build does outside the database (mail, waits on the sleeper) goes to stand-ins, so it
reaches no test: a test that needs the mail a world sends builds its world itself.
"""

import copy
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import (
    JSON,
    Table,
    Text,
    and_,
    bindparam,
    cast,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import NullType, UserDefinedType

import app.models  # noqa: F401  (every table registered on the metadata)
from app.audit.models import AuditChainHead
from app.auth.models import User
from app.coops.models import Coop
from app.core.db import Base

T = TypeVar("T")
Key = tuple[tuple[Any, ...], ...]
TABLES: list[Table] = list(Base.metadata.sorted_tables)


@dataclass(frozen=True)
class _Changes:
    """What a build wrote: new rows per table (in the order foreign keys need), rows that
    were there before and changed (the audit chain's head), and on PostgreSQL the highest
    value written to each column a sequence numbers."""

    inserted: list[tuple[Table, list[dict[str, Any]]]]
    updated: list[tuple[Table, list[dict[str, Any]]]]
    numbered: list[tuple[str, int]]


@dataclass(frozen=True)
class _World:
    changes: _Changes
    value: Any
    clock_after: datetime  # where the build left the test's clock
    built_by: FastAPI  # the app the value may name: each copy names the test's app instead


_WORLDS: dict[tuple[Any, ...], _World] = {}


class _AsStored(UserDefinedType[Any]):
    """No conversion: a value goes to the driver as the driver gave it. (A NullType
    parameter would take the column's type, and its conversion, from the statement.)"""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return ""


class _DiscardingSleeper:
    async def __call__(self, seconds: float) -> None:
        return None


def _raw(table: Table, dialect: str) -> Any:
    """Every column as the driver returns it (no result processing). JSON on PostgreSQL is
    read as its text, which asyncpg takes back as it is (and JSON null stays apart from SQL
    NULL)."""

    def stored(column: Any) -> Any:
        if dialect == "postgresql" and isinstance(column.type, JSON):
            return type_coerce(cast(column, Text), NullType())
        return type_coerce(column, NullType())

    return select(*[stored(column).label(column.name) for column in table.c])


def _primary_key(table: Table, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[column.name] for column in table.primary_key.columns)


async def _rows(connection: AsyncConnection) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for table in TABLES:
        result = await connection.execute(_raw(table, connection.dialect.name))
        found[table.name] = {
            _primary_key(table, row): dict(row) for row in (dict(r) for r in result.mappings())
        }
    return found


async def _numbered(
    connection: AsyncConnection, inserted: list[tuple[Table, list[dict[str, Any]]]]
) -> list[tuple[str, int]]:
    """The sequences behind the rows' numbered columns, each with the highest value written."""
    if connection.dialect.name != "postgresql":
        return []  # SQLite numbers a row one past the highest there is
    numbered = []
    for table, rows in inserted:
        for column in table.primary_key.columns:
            sequence = await connection.scalar(
                select(func.pg_get_serial_sequence(table.name, column.name))
            )
            if sequence is not None:
                numbered.append((sequence, max(int(row[column.name]) for row in rows)))
    return numbered


def _changes(
    before: dict[str, dict[tuple[Any, ...], dict[str, Any]]],
    after: dict[str, dict[tuple[Any, ...], dict[str, Any]]],
) -> tuple[list[tuple[Table, list[dict[str, Any]]]], list[tuple[Table, list[dict[str, Any]]]]]:
    inserted: list[tuple[Table, list[dict[str, Any]]]] = []
    updated: list[tuple[Table, list[dict[str, Any]]]] = []
    for table in TABLES:
        old, new = before[table.name], after[table.name]
        gone = old.keys() - new.keys()
        if gone:
            raise AssertionError(f"a replayed world may not delete rows ({table.name}: {gone})")
        added = [row for key, row in new.items() if key not in old]
        changed = [row for key, row in new.items() if key in old and old[key] != row]
        if added:
            inserted.append((table, added))
        if changed:
            updated.append((table, changed))
    return inserted, updated


def _stored(name: str) -> Any:
    """A parameter passed to the driver as it is (the value as read)."""
    return bindparam(f"stored_{name}", type_=_AsStored())


def _params(row: dict[str, Any]) -> dict[str, Any]:
    return {f"stored_{name}": value for name, value in row.items()}


async def _write(connection: AsyncConnection, changes: _Changes) -> None:
    for table, rows in changes.inserted:
        values = {column.name: _stored(column.name) for column in table.c}
        await connection.execute(insert(table).values(values), [_params(row) for row in rows])
    for table, rows in changes.updated:
        keys = [column.name for column in table.primary_key.columns]
        where = and_(*[table.c[name] == _stored(name) for name in keys])
        values = {
            column.name: _stored(column.name) for column in table.c if column.name not in keys
        }
        await connection.execute(
            update(table).where(where).values(values), [_params(row) for row in rows]
        )
    for sequence, highest in changes.numbered:
        # Never behind the rows written (the schema may have been rebuilt since the build);
        # a sequence is not rolled back with the test, which costs nothing but a gap.
        named = cast(sequence, REGCLASS)
        await connection.execute(
            select(func.setval(named, func.greatest(highest, func.nextval(named))))
        )


def _settings_key(app: FastAPI) -> str:
    fields = app.state.settings.model_dump()
    return repr(
        sorted(
            (name, value.get_secret_value() if isinstance(value, SecretStr) else value)
            for name, value in fields.items()
        )
    )


async def _starting_point(connection: AsyncConnection) -> tuple[Any, ...]:
    """What a world's build could have depended on in the database."""
    head = (
        await connection.execute(select(AuditChainHead.last_seq, AuditChainHead.last_hash))
    ).all()
    people = await connection.scalar(select(func.count()).select_from(User))
    coops = await connection.scalar(select(func.count()).select_from(Coop))
    return (tuple(tuple(row) for row in head), people, coops)


async def replayed(
    name: str, connection: AsyncConnection, app: FastAPI, build: Callable[[], Awaitable[T]]
) -> T:
    """The world `build` makes (through the app of this test), its rows written into this
    test's transaction, and a copy of what `build` returned (plain data: people, ids)."""
    key = (
        name,
        connection.dialect.name,
        app.state.clock.now(),
        _settings_key(app),
        await _starting_point(connection),
    )
    world = _WORLDS.get(key)
    if world is None:
        world = await _build(connection, app, build)
        _WORLDS[key] = world
    await _write(connection, world.changes)
    if world.clock_after != app.state.clock.now():
        app.state.clock.set(world.clock_after)
    return copy.deepcopy(world.value, {id(world.built_by): app})  # type: ignore[no-any-return]


async def _build(
    connection: AsyncConnection, app: FastAPI, build: Callable[[], Awaitable[Any]]
) -> _World:
    state = app.state
    kept = {"settings": state.settings, "sleeper": state.sleeper}
    with tempfile.TemporaryDirectory(prefix="dpc-replayed-mail-") as mail_dir:
        state.settings = state.settings.model_copy(update={"smtp_url": None, "mail_dir": mail_dir})
        state.sleeper = _DiscardingSleeper()
        try:
            savepoint = await connection.begin_nested()
            try:
                before = await _rows(connection)
                start = state.clock.now()
                value = await build()
                after = await _rows(connection)
            finally:
                await savepoint.rollback()
            # The replay that follows moves the clock as the build did, from where it began.
            moved_to = state.clock.now()
            state.clock.set(start)
        finally:
            state.settings = kept["settings"]
            state.sleeper = kept["sleeper"]
    inserted, updated = _changes(before, after)
    changes = _Changes(inserted, updated, await _numbered(connection, inserted))
    return _World(changes, copy.deepcopy(value, {id(app): app}), moved_to, app)
