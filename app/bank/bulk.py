"""Many rows inserted at once, those that would break a unique constraint left out, and the
given column of those written returned.

On PostgreSQL one statement takes every row as one array per column (`INSERT ... SELECT
unnest(...) ... ON CONFLICT DO NOTHING`): a statement of 10,000 lines costs the server what
it costs, and the client almost nothing, where a row-by-row VALUES list spent more time
binding parameters than the database spent writing. Rows go in in the order given, which
callers rely on so that two inserts meeting the same keys meet them in the same order. On
SQLite (one writer at a time) the rows go in as VALUES lists of a thousand.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Table, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import bound_array

# Rows per INSERT on SQLite: well under its limit of 32,766 bound values.
CHUNK = 1000


async def insert_new(
    session: AsyncSession,
    table: Table,
    *,
    columns: Mapping[str, Sequence[Any]],
    constants: Mapping[str, Any],
    returning: Column[Any],
) -> list[Any]:
    """Insert one row per position of the `columns` lists (each the same length), with the
    `constants` in every row; rows that conflict with one already stored are skipped."""
    count = len(next(iter(columns.values()), ()))
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        names = [*columns, *constants]
        rows = select(
            *(
                func.unnest(bound_array(f"rows_{name}", table.c[name], values))
                for name, values in columns.items()
            ),
            *(literal(value, table.c[name].type) for name, value in constants.items()),
        )
        stmt = (
            postgresql.insert(table)
            .from_select(names, rows)
            .on_conflict_do_nothing()
            .returning(returning)
        )
        return list((await session.execute(stmt)).scalars().all())
    written: list[Any] = []
    every = [
        {**{name: values[i] for name, values in columns.items()}, **constants} for i in range(count)
    ]
    stmt = sqlite.insert(table).on_conflict_do_nothing().returning(returning)
    for start in range(0, count, CHUNK):
        result = await session.execute(stmt, every[start : start + CHUNK])
        written.extend(result.scalars().all())
    return written
