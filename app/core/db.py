"""Engine, declarative base and the per-request unit of work."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, String, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from app.core.config import Settings
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
    kwargs.setdefault("pool_pre_ping", True)
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
    return create_async_engine(url, **kwargs)


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


def on_before_commit(session: AsyncSession, hook: BeforeCommitHook) -> None:
    """Run `hook` once, inside the transaction, just before this session's unit of work commits.

    The audit chain uses it so that its head is always the last lock a transaction takes.
    """
    hooks: list[BeforeCommitHook] = session.info.setdefault("before_commit", [])
    if hook not in hooks:
        hooks.append(hook)


async def commit_unit_of_work(session: AsyncSession) -> None:
    hooks: list[BeforeCommitHook] = session.info.pop("before_commit", [])
    for hook in hooks:
        await hook(session)
    await session.commit()


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One session, one transaction: committed when the work succeeds, rolled back otherwise."""
    async with sessionmaker() as session:
        try:
            yield session
            await commit_unit_of_work(session)
        except BaseException:
            await session.rollback()
            raise


def utcnow() -> datetime:
    return datetime.now(UTC)
