"""The optional caller of public reads, the directory cache and the CSV body."""

import contextlib
import uuid
from collections.abc import Awaitable, Callable, Hashable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.auth.actor import Actor
from app.auth.dependencies import bearer_scheme, resolve_actor
from app.core.coalesce import SharedRead
from app.core.config import Settings
from app.core.db import unit_of_work
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.core.errors import UnsupportedMediaType, ValidationFailed
from app.core.http_cache import RenderCache, Rendered, rendered
from app.providers.models import ProviderDirectoryStamp


async def optional_actor(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Actor | None:
    """Anyone may read the public directory; a token, when sent, must be valid and widens it."""
    if credentials is None:
        return None
    return await resolve_actor(request, session, settings, now, credentials)


OptionalActor = Annotated[Actor | None, Depends(optional_actor)]


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
        for attempt in range(2):
            if self._connection is None:
                engine = self.bind.execution_options(isolation_level="AUTOCOMMIT")
                self._connection = await engine.connect()
            try:
                return await self._connection.scalar(STAMP)
            except DBAPIError:
                # A connection the server dropped (a restart, a failover): retry once afresh.
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

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


def directory(request: Request) -> Directory:
    """The application's directory cache (a plain call: a dependency costs more per request)."""
    found: Directory | None = getattr(request.app.state, "provider_directory", None)
    if found is None:
        settings: Settings = request.app.state.settings
        cache = RenderCache(
            max_entries=settings.directory_cache_entries,
            ttl_seconds=settings.directory_cache_seconds,
        )
        found = Directory(cache, request.app.state.sessionmaker)
        request.app.state.provider_directory = found
        request.app.state.on_shutdown.append(found.reader.close)
    return found


async def csv_body(request: Request) -> str:
    """The request body as text: `text/csv` (415 otherwise) in UTF-8 (422 otherwise)."""
    content_type = request.headers.get("content-type", "")
    media_type, _, parameters = content_type.partition(";")
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media_type.strip().lower() != "text/csv" or charset not in ("", "utf-8", "utf8"):
        raise UnsupportedMediaType(expected="text/csv; charset=utf-8")
    raw = await request.body()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            [{"loc": ["body"], "msg": f"The file is not UTF-8 text (byte {exc.start} is not)."}]
        ) from exc


CsvBody = Annotated[str, Depends(csv_body)]
