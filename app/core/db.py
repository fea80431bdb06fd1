"""Engine, declarative base and the per-request unit of work."""

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BindParameter, Column, DateTime, Enum, MetaData, String, bindparam, event
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from app.core.config import Settings, get_settings
from app.core.open_sets import OpenSets

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def alembic_render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:  # noqa: ARG001
    """Migrations spell the service's own column types as the plain types they store as."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def enum_column(enum_cls: type[StrEnum]) -> Enum:
    """Store an enum's values (what the API speaks), checked by a named constraint."""
    return Enum(
        enum_cls,
        native_enum=False,
        values_callable=lambda e: [m.value for m in e],
        length=40,
        create_constraint=True,
        name=enum_cls.__name__.lower(),
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), str: String(255)}


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


def bound_array(
    name: str, column: Column[Any], value: Sequence[Any] | None = None
) -> BindParameter[Any]:
    """A parameter bound as a PostgreSQL array of `column`'s type (its `value` given now, or
    at execution): with `unnest`, one row per element, so that one statement writes many
    rows (the ledger's postings, an event's notifications, bank lines)."""
    array = postgresql.ARRAY(column.type)
    if value is None:
        return bindparam(name, type_=array)
    return bindparam(name, list(value), type_=array)


def create_engine(settings: Settings, *, bounded: bool = True, **kwargs: Any) -> AsyncEngine:
    """The engine for `settings`; `bounded` (the default, for serving requests) caps every wait.

    A connection is waited for at most DPC_DB_WAIT_SECONDS, and so is a lock (PostgreSQL's
    lock_timeout, SQLite's busy timeout); a PostgreSQL statement runs at most
    DPC_DB_STATEMENT_TIMEOUT_SECONDS. Past either the request answers 503 `busy` (see
    `busy_error`). Migrations pass bounded=False: a schema change may wait and run longer.
    """
    url = settings.async_database_url
    wait = settings.db_wait_seconds if bounded else 30.0
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", settings.db_pool_size)
        kwargs.setdefault("max_overflow", settings.db_max_overflow)
        kwargs.setdefault("pool_timeout", wait)
    # Bound values (password hashes, names, e-mail addresses) never appear in error messages.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": wait}, **kwargs)
        configure_sqlite(engine, busy_timeout_ms=round(wait * 1000))
        return engine
    if bounded:
        kwargs.setdefault(
            "connect_args",
            {
                "server_settings": {
                    "lock_timeout": f"{round(wait * 1000)}ms",
                    "statement_timeout": (
                        f"{round(settings.db_statement_timeout_seconds * 1000)}ms"
                    ),
                }
            },
        )
    engine = create_async_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        ping_when_idle(engine, after_seconds=settings.db_ping_after_idle_seconds)
    return engine


def ping_when_idle(engine: AsyncEngine, *, after_seconds: float) -> None:
    """Ping a pooled connection before it is handed out only if it sat idle for longer than
    `after_seconds`: where a dropped connection is found (a restart of the server overnight,
    a firewall's idle timeout), it is replaced before any request sees it.

    SQLAlchemy's `pool_pre_ping` pings at every checkout, a round trip and some 270 µs of
    CPU on every request. A connection in steady use is handed out as it is: if the server
    dropped it since, the one request that finds out answers 503 `busy` (`is_busy`) and the
    pool discards every connection older than the failure.
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since <= after_seconds:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:
            # The pool takes this to mean "connect afresh", and tries again.
            raise DisconnectionError from exc


def configure_sqlite(engine: AsyncEngine, *, busy_timeout_ms: int = 30_000) -> None:
    """Foreign keys on, WAL, a busy timeout, and write-ready transactions.

    pysqlite's own transaction handling is switched off so that SQLAlchemy emits BEGIN
    (savepoints work). Every transaction starts IMMEDIATE: a deferred BEGIN that later
    writes fails with "database is locked" whatever the busy timeout, and SQLite has no
    row locks, so taking the write lock up front is what makes read-check-write safe.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")


# SQLSTATEs that mean "not now" rather than "wrong": a lock not had within lock_timeout, a
# statement cancelled by statement_timeout, and a server that has no connection slot left.
BUSY_SQLSTATES = frozenset({"55P03", "57014", "53300"})


def is_busy(exc: BaseException) -> bool:
    """The database could not serve this request in time (pool, lock or statement timeout)."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    original = exc.orig
    if exc.connection_invalidated:
        # The server dropped the connection (`ping_when_idle`): not now, rather than wrong.
        return True
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    if getattr(original, "pgcode", None) in BUSY_SQLSTATES:
        return True
    message = str(original).lower()
    return "database is locked" in message or "database table is locked" in message


def create_sessionmaker(
    engine: AsyncEngine, open_sets: OpenSets | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions for the service; `open_sets` (`app.workflows.registry.build()`) is carried by
    each, for the domains that call handlers declared above them."""
    info = open_sets.session_info() if open_sets is not None else {}
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False, info=info)


BeforeCommitHook = Callable[[AsyncSession], Awaitable[None]]
SETTINGS_KEY = "settings"


def settings_of(session: AsyncSession) -> Settings:
    """The settings of the app whose request opened this session; outside a request (the CLI,
    a data step), the environment's."""
    settings = session.info.get(SETTINGS_KEY)
    if isinstance(settings, Settings):
        return settings
    return get_settings()


def on_before_commit(session: AsyncSession, hook: BeforeCommitHook) -> None:
    """Run `hook` once, inside the transaction, just before this session's unit of work commits.

    The audit chain uses it so that its head is always the last lock a transaction takes.
    """
    hooks: list[BeforeCommitHook] = session.info.setdefault("before_commit", [])
    if hook not in hooks:
        hooks.append(hook)


AfterCommitJob = Callable[[], Awaitable[None]]
AFTER_COMMIT_KEY = "after_commit"
# Set on a request's session: where its after-commit jobs go (the response's background tasks,
# run once the answer has been sent).
DEFER_KEY = "defer_after_commit"


def after_commit(session: AsyncSession, job: AfterCommitJob) -> None:
    """Run `job` once this session's unit of work has committed, and never if it rolls back.

    For what must not happen unless the change holds, such as an e-mail about it. In a
    request the job runs after the answer is sent; elsewhere, right after the commit. A job
    handles its own failures: the change it follows has already been kept.
    """
    jobs: list[AfterCommitJob] = session.info.setdefault(AFTER_COMMIT_KEY, [])
    jobs.append(job)


async def commit_unit_of_work(session: AsyncSession) -> None:
    hooks: list[BeforeCommitHook] = session.info.pop("before_commit", [])
    for hook in hooks:
        await hook(session)
    await session.commit()
    jobs: list[AfterCommitJob] = session.info.pop(AFTER_COMMIT_KEY, [])
    defer: Callable[[AfterCommitJob], None] | None = session.info.get(DEFER_KEY)
    for job in jobs:
        if defer is not None:
            defer(job)
        else:
            await job()


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    defer: Callable[[AfterCommitJob], None] | None = None,
) -> AsyncIterator[AsyncSession]:
    """One session, one transaction: committed when the work succeeds, rolled back otherwise
    (and then what was to follow the commit is dropped). `defer` receives the after-commit
    jobs instead of running them here."""
    async with sessionmaker() as session:
        if defer is not None:
            session.info[DEFER_KEY] = defer
        try:
            yield session
            await commit_unit_of_work(session)
        except BaseException:
            session.info.pop(AFTER_COMMIT_KEY, None)
            await session.rollback()
            raise


def utcnow() -> datetime:
    return datetime.now(UTC)
