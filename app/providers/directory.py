"""The directory's cached reads: answers rendered once per stamp of what they show, per process.

Each area has a stamp of its own, rewritten with every write to a provider serving it (before
or after the write), and one more stamp is rewritten by every provider write: answers about
one area are keyed by that area's stamp, so a write in Gwynedd leaves Cardiff's pages cached;
answers spanning areas (`ALL_AREAS`) are keyed by the other.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.core.coalesce import SharedRead
from app.core.http_cache import RenderCache, Rendered, rendered
from app.providers.directory_reads import KeptConnections, Reader, SqliteOnLoop, sqlite_file

# The key of the stamp every provider write changes, for answers that span areas.
ALL_AREAS = ""
# Every stamp in one statement: requests for different areas share one read. Raw values (text
# on SQLite, UUIDs on PostgreSQL): they are only ever compared.
STAMPS = text(
    "SELECT area_code, stamp FROM provider_area_stamp "
    "UNION ALL SELECT '', stamp FROM provider_directory_stamp WHERE id = 1"
)

Stamps = dict[str, Any]
# Renders an answer's body from what a reader reads (autocommit: each statement one
# consistent read), raising an AppError for an answer that is a refusal (never cached).
Render = Callable[[Reader], Awaitable[bytes]]
# Renders at once per process through kept connections. Misses come in bursts after a write
# (concurrent misses of one answer share a render); on PostgreSQL a render mostly waits for
# the server, so a few run at once.
RENDER_CONNECTIONS = 4


def _stamps(rows: Sequence[Any]) -> Stamps:
    return {str(area): stamp for area, stamp in rows}


class StampReader:
    """Reads the stamps on one connection of its own, kept open between reads.

    It runs for every directory request, so it skips what a pooled session costs (check-out,
    ping, BEGIN, COMMIT): each read is a single autocommit SELECT, which sees every commit
    made before it started. SharedRead keeps it to one read at a time. With `on_loop`, a
    SQLite file is read on the event loop's own thread, in microseconds, and through
    aiosqlite only when that read fails.
    """

    def __init__(
        self, bind: AsyncEngine | AsyncConnection, *, on_loop: SqliteOnLoop | None = None
    ) -> None:
        self.bind = bind
        self.on_loop = on_loop
        self._connection: AsyncConnection | None = None

    async def read(self) -> Stamps:
        if isinstance(self.bind, AsyncConnection):  # handed over mid-transaction (the tests)
            return _stamps((await self.bind.execute(STAMPS)).all())
        if self.on_loop is not None:
            with contextlib.suppress(DBAPIError), self.on_loop.reader() as reader:
                return _stamps(await reader.rows(STAMPS))
        try:
            return await self._read(self.bind)
        except DBAPIError:
            # A connection the server dropped (a restart, a failover): once more, afresh.
            await self.close()
            return await self._read(self.bind)

    async def _read(self, engine: AsyncEngine) -> Stamps:
        if self._connection is None:
            self._connection = await engine.execution_options(
                isolation_level="AUTOCOMMIT"
            ).connect()
        return _stamps((await self._connection.execute(STAMPS)).all())

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(DBAPIError):
                await connection.close()


class Directory:
    """Rendered directory answers, each filed under the stamp of what it shows, read before it.

    The stamps are read for every request (one read shared by concurrent requests, see
    SharedRead) and before the data: a write landing in between files fresh rows under the
    old stamp, which no later request asks for, and never stale rows under the new one.
    Concurrent misses of one answer share one render.
    """

    def __init__(self, cache: RenderCache, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.cache = cache
        bind: AsyncEngine | AsyncConnection = sessionmaker.kw["bind"]
        file = sqlite_file(bind)
        self.on_loop = SqliteOnLoop(file) if file is not None else None
        self.reader = StampReader(bind, on_loop=self.on_loop)
        self.stamps = SharedRead(self.reader.read)
        self.connections = KeptConnections(bind, RENDER_CONNECTIONS)
        self._rendering: dict[Hashable, asyncio.Task[Rendered]] = {}

    async def answer(self, area: str, key: tuple[Hashable, ...], render: Render) -> Rendered:
        """The cached answer about `area` (an area code, or ALL_AREAS), or `render` run on a
        reader of the directory's (only on a miss: a hit reads nothing but the stamps). With
        the cache off every request renders, and no stamp is read."""
        if self.cache.max_entries <= 0:
            return await self._render(render)
        stamp = (await self.stamps.get()).get(area)
        if stamp is None:  # no such area: a refusal, rendered (and refused) every time
            return await self._render(render)
        full_key = (area, stamp, *key)
        hit = self.cache.get(full_key)
        if hit is not None:
            return hit
        task = self._rendering.get(full_key)
        if task is None:
            task = asyncio.create_task(self._fill(full_key, render))
            self._rendering[full_key] = task
        # A caller that gives up (a client gone) leaves the render to those still waiting.
        return await asyncio.shield(task)

    async def _fill(self, full_key: Hashable, render: Render) -> Rendered:
        try:
            return self.cache.put(full_key, await self._render(render))
        finally:
            del self._rendering[full_key]

    async def _render(self, render: Render) -> Rendered:
        if self.on_loop is not None:
            # Failing there (busy, or a file gone), it is read through aiosqlite instead.
            with contextlib.suppress(DBAPIError), self.on_loop.reader() as reader:
                return rendered(await render(reader))
        try:
            async with self.connections.reader() as reader:
                return rendered(await render(reader))
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        # The server dropped the connection (a restart, a failover): once more, afresh.
        async with self.connections.reader() as reader:
            return rendered(await render(reader))

    async def close(self) -> None:
        await self.reader.close()
        await self.connections.close()
        if self.on_loop is not None:
            self.on_loop.close()
