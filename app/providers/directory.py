"""The directory's cached reads: answers rendered once per stamp of what they show, per process.

Each area has a stamp of its own, rewritten with every write to a provider serving it (before
or after the write), and one more stamp is rewritten by every provider write: answers about
one area are keyed by that area's stamp, so a write in Gwynedd leaves Cardiff's pages cached;
answers spanning areas (`ALL_AREAS`) are keyed by the other.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.core.coalesce import SharedRead
from app.core.errors import AppError
from app.core.http_cache import RenderCache, Rendered, rendered

# The key of the stamp every provider write changes, for answers that span areas.
ALL_AREAS = ""
# Every stamp in one statement: requests for different areas share one read. Raw values (text
# on SQLite, UUIDs on PostgreSQL): they are only ever compared.
STAMPS = text(
    "SELECT area_code, stamp FROM provider_area_stamp "
    "UNION ALL SELECT '', stamp FROM provider_directory_stamp WHERE id = 1"
)

Stamps = dict[str, Any]
# Renders an answer's body from a connection of its own (autocommit: one statement, one
# consistent read), raising an AppError for an answer that is a refusal (never cached).
Render = Callable[[AsyncConnection], Awaitable[bytes]]


class StampReader:
    """Reads the stamps on one connection of its own, kept open between reads.

    It runs for every directory request, so it skips what a pooled session costs (check-out,
    ping, BEGIN, COMMIT): each read is a single autocommit SELECT, which sees every commit
    made before it started. SharedRead keeps it to one read at a time.
    """

    def __init__(self, bind: AsyncEngine | AsyncConnection) -> None:
        self.bind = bind
        self._connection: AsyncConnection | None = None

    async def read(self) -> Stamps:
        if isinstance(self.bind, AsyncConnection):  # handed over mid-transaction (the tests)
            return _stamps(await self.bind.execute(STAMPS))
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
        return _stamps(await self._connection.execute(STAMPS))

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(DBAPIError):
                await connection.close()


def _stamps(result: Any) -> Stamps:
    return {str(area): stamp for area, stamp in result.all()}


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
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        if isinstance(self.bind, AsyncConnection):  # handed over mid-transaction (the tests)
            yield self.bind
            return
        async with self._free:
            connection = self._idle.pop() if self._idle else await self._open(self.bind)
            try:
                yield connection
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


# Renders at once per process: the directory's misses come in bursts after a write, and
# concurrent misses of one answer share a render anyway.
RENDER_CONNECTIONS = 2


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
        self.reader = StampReader(bind)
        self.stamps = SharedRead(self.reader.read)
        self.connections = KeptConnections(bind, RENDER_CONNECTIONS)
        self._rendering: dict[Hashable, asyncio.Task[Rendered]] = {}

    async def answer(self, area: str, key: tuple[Hashable, ...], render: Render) -> Rendered:
        """The cached answer about `area` (an area code, or ALL_AREAS), or `render` run on a
        connection of the directory's (only on a miss: a hit touches no connection but the
        stamp reader's). With the cache off every request renders, and no stamp is read."""
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
        try:
            async with self.connections.connection() as connection:
                return rendered(await render(connection))
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        # The server dropped the connection (a restart, a failover): once more, afresh.
        async with self.connections.connection() as connection:
            return rendered(await render(connection))

    async def close(self) -> None:
        await self.reader.close()
        await self.connections.close()
