"""The directory's cached reads: answers rendered once per directory stamp, per process."""

import contextlib
import uuid
from collections.abc import Awaitable, Callable, Hashable

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.core.coalesce import SharedRead
from app.core.db import unit_of_work
from app.core.http_cache import RenderCache, Rendered, rendered
from app.providers.models import ProviderDirectoryStamp

STAMP = select(ProviderDirectoryStamp.stamp).where(ProviderDirectoryStamp.id == 1)


class StampReader:
    """Reads the directory stamp on one connection of its own, kept open between reads.

    It runs for every directory request, so it skips what a pooled session costs (check-out,
    ping, BEGIN, COMMIT): each read is a single autocommit SELECT, which sees every commit
    made before it started. SharedRead keeps it to one read at a time.
    """

    def __init__(self, bind: AsyncEngine | AsyncConnection) -> None:
        self.bind = bind
        self._connection: AsyncConnection | None = None

    async def read(self) -> uuid.UUID | None:
        if isinstance(self.bind, AsyncConnection):  # handed over mid-transaction (the tests)
            return await self.bind.scalar(STAMP)
        try:
            return await self._read(self.bind)
        except DBAPIError:
            # A connection the server dropped (a restart, a failover): once more, afresh.
            await self.close()
            return await self._read(self.bind)

    async def _read(self, engine: AsyncEngine) -> uuid.UUID | None:
        if self._connection is None:
            self._connection = await engine.execution_options(
                isolation_level="AUTOCOMMIT"
            ).connect()
        return await self._connection.scalar(STAMP)

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(DBAPIError):
                await connection.close()


class Directory:
    """Rendered directory answers, each filed under the directory stamp it was read at.

    The stamp is read for every request (one read shared by concurrent requests, see
    SharedRead) and before the data: a write landing in between files fresh rows under the
    old stamp, which no later request asks for, and never stale rows under the new one.
    """

    def __init__(self, cache: RenderCache, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.cache = cache
        self.sessionmaker = sessionmaker
        self.reader = StampReader(sessionmaker.kw["bind"])
        self.stamp = SharedRead(self.reader.read)

    async def answer(
        self,
        key: tuple[Hashable, ...],
        render: Callable[[AsyncSession], Awaitable[BaseModel]],
    ) -> Rendered:
        """The cached answer, or `render` run in a unit of work of its own (only on a miss:
        a hit never opens a session)."""
        full_key = (await self.stamp.get(), *key)
        hit = self.cache.get(full_key)
        if hit is not None:
            return hit
        async with unit_of_work(self.sessionmaker) as session:
            body = (await render(session)).model_dump_json().encode()
        return self.cache.put(full_key, rendered(body))
