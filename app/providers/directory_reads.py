"""Where the directory reads what a miss renders: connections of its own, never the pool's.

A render is given a `Reader` and asks it for rows. On PostgreSQL (and on SQLite when the
loop cannot read) it reads through one of a few autocommit connections the directory keeps
open (`KeptConnections`). A SQLite file is read on the event loop's own thread instead
(`SqliteOnLoop`): a page of rows takes some hundreds of microseconds there, where handing the
statement to aiosqlite's thread costs more than the read itself, in four hand-overs and in
contending with every other request for the GIL.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, Executable, Row, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.errors import AppError

Rows = Sequence[Row[*tuple[Any, ...]]]


class Reader(Protocol):
    async def rows(self, stmt: Executable, parameters: Mapping[str, Any] | None = None) -> Rows: ...


class OverConnection:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def rows(self, stmt: Executable, parameters: Mapping[str, Any] | None = None) -> Rows:
        return (await self.connection.execute(stmt, parameters)).all()


class OnLoop:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def rows(self, stmt: Executable, parameters: Mapping[str, Any] | None = None) -> Rows:
        return self.connection.execute(stmt, parameters).all()


class KeptConnections:
    """A few autocommit connections of the directory's own, kept open between renders.

    A miss renders on one of them: a pooled connection costs a check-out, a ping on
    PostgreSQL, and on SQLite a fresh connection (with its thread) whenever a burst had the
    pool overflow. At most `size` renders run at once; more wait for a connection.
    """

    def __init__(self, bind: AsyncEngine | AsyncConnection, size: int) -> None:
        self.bind = bind
        self._idle: list[AsyncConnection] = []
        self._free = asyncio.Semaphore(size)

    @contextlib.asynccontextmanager
    async def reader(self) -> AsyncIterator[Reader]:
        if isinstance(self.bind, AsyncConnection):  # handed over mid-transaction (the tests)
            yield OverConnection(self.bind)
            return
        async with self._free:
            connection = self._idle.pop() if self._idle else await self._open(self.bind)
            try:
                yield OverConnection(connection)
            except AppError:
                self._idle.append(connection)  # a refusal: the connection is as it was
                raise
            except BaseException:
                # A database error or a render given up part way: start afresh next time.
                await _close(connection)
                raise
            self._idle.append(connection)

    @staticmethod
    async def _open(engine: AsyncEngine) -> AsyncConnection:
        return await engine.execution_options(isolation_level="AUTOCOMMIT").connect()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            await _close(connection)


async def _close(connection: AsyncConnection) -> None:
    with contextlib.suppress(Exception):
        await connection.close()


def sqlite_file(bind: AsyncEngine | AsyncConnection) -> str | None:
    """The SQLite file `bind` works on, or None (another backend, a database in memory, or a
    connection handed over mid-transaction)."""
    if isinstance(bind, AsyncConnection) or bind.dialect.name != "sqlite":
        return None
    database = bind.url.database
    return database if database and database != ":memory:" else None


class SqliteOnLoop:
    """One read-only autocommit connection to a SQLite file, used on the event loop's thread.

    It never waits: readers of a WAL database do not wait for writers, and with no busy
    timeout the rare SQLITE_BUSY (another connection recovering the WAL, or a database not in
    WAL mode mid-commit) fails at once, and the caller reads through aiosqlite instead.
    """

    def __init__(self, file: str) -> None:
        self.engine = create_engine(f"sqlite:///{file}", connect_args={"timeout": 0})
        self._connection: Connection | None = None

    @contextlib.contextmanager
    def reader(self) -> Iterator[Reader]:
        """A reader on the loop; a database error leaves the connection to be opened afresh."""
        if self._connection is None:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql("PRAGMA query_only = ON")
            self._connection = connection
        try:
            yield OnLoop(self._connection)
        except DBAPIError:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
        self.engine.dispose()
