"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

The schema is built by `alembic upgrade head` once per backend. Each test runs inside one
connection and one outer transaction that is rolled back at the end; the app's sessions join
it with savepoints, so the app's commits release a savepoint and nothing leaks between tests.
"""

import logging
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import settings as hypothesis_settings
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.core.clock import FrozenClock
from app.core.config import Settings
from app.core.db import create_engine
from app.core.logging import JsonFormatter
from app.main import create_app
from app.workflows import registry
from tests.contract import check_answer
from tests.factories import arrange_in_process
from tests.helpers import migrated_database_url, run_alembic
from tests.mail_server import (
    Mailbox,
    smtp_server,  # noqa: F401  (a fixture for every test package)
)
from tests.servers import Server, running_server

# The server the suite connects to (through this database, which it never changes). The suite
# works in databases of its own there, created by it and marked as its own (SUITE_MARK), which
# it drops and rebuilds: dpc_test_<worker>, or dpc_test_<database>_<worker> when the URL names
# another database than `postgres` (so two checkouts sharing a server keep apart).
POSTGRES_URL = os.environ.get(
    "DPC_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
SUITE_MARK = "created by the dpc test suite; dropped and rebuilt by it"


def suite_database_name(url: str, worker: str | None) -> str:
    base = make_url(url).database
    own = "dpc_test" if base in (None, "", "postgres") else f"dpc_test_{base}"
    return f"{own}_{worker or 'main'}"


# Examples are judged by what they assert, never by how long they took on a busy machine.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")

BACKENDS = [
    b.strip() for b in os.environ.get("TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_test_settings(database_url: str) -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        # Cheap hashing keeps the suite fast; production parameters are tested on their own.
        argon2_memory_kib=1024,
        argon2_time_cost=1,
        # Tests sign many people up from one address; the limit has a test of its own.
        registrations_per_address_per_hour=100_000,
        # Mail a test sends without an SMTP server goes here, never into the working tree.
        mail_dir=str(Path(tempfile.gettempdir()) / "dpc-test-mail"),
    )


async def postgres_problem(url: str) -> str | None:
    engine = create_engine(Settings(database_url=url))
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # any failure to connect means "not here"
        return f"{type(exc).__name__}: {exc}"
    finally:
        await engine.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends: list[Any] = list(BACKENDS)
        if metafunc.definition.get_closest_marker("postgresql_only"):
            backends = [b for b in BACKENDS if b == "postgresql"]
        if not backends:
            # Said as a skip with its reason: a parametrize over nothing fails at collection.
            not_asked = pytest.mark.skip(reason="runs on PostgreSQL only, not in TEST_BACKENDS")
            backends = [pytest.param("postgresql", marks=not_asked)]
        metafunc.parametrize("backend", backends, scope="session")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`@pytest.mark.postgresql_only` tests run on the PostgreSQL backend only."""
    callspec = getattr(item, "callspec", None)
    backend = callspec.params.get("backend") if callspec is not None else None
    if item.get_closest_marker("postgresql_only") is not None and backend != "postgresql":
        pytest.skip("runs on PostgreSQL only")


@dataclass(frozen=True)
class Database:
    backend: str
    settings: Settings
    engine: AsyncEngine


@pytest.fixture(scope="session")
async def database(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
    elif backend == "postgresql":
        url = POSTGRES_URL
        problem = await postgres_problem(url)
        if problem is None:
            # Parallel workers each get a database of their own.
            name = suite_database_name(url, os.environ.get("PYTEST_XDIST_WORKER"))
            url = await ensure_database(url, name)
        if problem is not None:
            if IN_CI:
                pytest.fail(f"PostgreSQL is required in CI but unreachable at {url}: {problem}")
            pytest.skip(f"PostgreSQL unreachable at {url} ({problem}); PostgreSQL tests skipped")
        await reset_postgres_schema(url)
    else:
        raise ValueError(f"unknown backend {backend}")
    settings = make_test_settings(url)
    engine = create_engine(settings)
    await run_alembic(engine, "upgrade", "head")
    yield Database(backend=backend, settings=settings, engine=engine)
    await engine.dispose()


# One server for the whole run (per worker): starting one costs two processes importing the
# app, seconds on a busy machine. The tests sharing it each work in co-ops of their own, and
# count only what is theirs.
@asynccontextmanager
async def scratch_server(
    database: Database, tmp: Path, *, env: dict[str, str] | None = None
) -> AsyncIterator[Server]:
    """uvicorn with two workers over a fresh scratch database of `database`'s backend
    (migrated), its output in `tmp`; `env` on top of the test settings."""
    url = await migrated_database_url(
        database.settings.async_database_url, suffix=tmp.name, tmp_dir=tmp
    )
    settings = make_test_settings(url)
    log = tmp / "server.log"
    engine = create_engine(settings)
    try:
        async with running_server(settings, log=log, env=env) as base:
            yield Server(url=base, engine=engine, log=log)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def server(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Server]:
    """uvicorn with two workers over a scratch database of `database`'s backend, for the
    tests of real parallel requests (on PostgreSQL: SQLite writers would simply serialise).

    Up to 120 postings queue on one member's account at once: these tests are about exact
    outcomes under contention, so waits may be long; the bounded default wait (503 `busy`)
    has tests, and a server, of its own in tests/core/test_busy.py. Every test sharing the
    server signs people up from one address: the limit on that has a test (and a server) of
    its own."""
    env = {"DPC_DB_WAIT_SECONDS": "30", "DPC_REGISTRATIONS_PER_ADDRESS_PER_HOUR": "100000"}
    async with scratch_server(database, tmp_path_factory.mktemp("parallel"), env=env) as found:
        yield found


async def ensure_database(url: str, name: str) -> str:
    """The URL of database `name` on the server of `url`, created (and marked as the suite's)
    if it is missing. A database of that name the suite did not create is never used: its
    schema would be dropped."""
    admin = create_engine(Settings(database_url=url)).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as connection:
            found = await connection.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :n"
                ),
                {"n": name},
            )
            row = found.first()
            if row is None:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
                mark = SUITE_MARK.replace("'", "''")
                await connection.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'"))
            elif row[0] != SUITE_MARK:
                pytest.fail(
                    f"PostgreSQL database {name!r} exists and was not created by the test suite; "
                    "it is left alone (drop it, or point DPC_TEST_POSTGRES_URL elsewhere)"
                )
    finally:
        await admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def reset_postgres_schema(url: str) -> None:
    engine = create_engine(Settings(database_url=url))
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture
async def connection(database: Database) -> AsyncIterator[AsyncConnection]:
    async with database.engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        if transaction.is_active:
            await transaction.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        autoflush=False,
        info=registry.build().session_info(),
    )


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session for arranging and checking data directly in the test's transaction."""
    async with sessionmaker() as session:
        yield session


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


class RecordingSleeper:
    """Stands in for asyncio.sleep: keeps each wait asked for, and waits for none of them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeper() -> RecordingSleeper:
    return RecordingSleeper()


@dataclass(frozen=True)
class SharedApp:
    application: FastAPI
    initial_state: dict[str, Any]


@pytest.fixture(scope="session")
def shared_app(database: Database) -> SharedApp:
    """One app per backend for the whole run. FastAPI analyses each route's dependencies on
    its first call, per app: building a fresh app for every test repeated that work for every
    route a test touched, a large share of the suite's time."""
    application = create_app(database.settings, engine=database.engine)
    return SharedApp(application, dict(application.state._state))


@pytest.fixture
def app(
    request: pytest.FixtureRequest,
    database: Database,
    shared_app: SharedApp,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    sleeper: RecordingSleeper,
) -> Iterator[FastAPI]:
    """The shared app, with every test starting from the state it was created with (caches a
    request filled in are gone; a test's changes to settings or passwords do not carry over),
    the test's own transaction, clock and sleeper. A test marked `own_app` (it adds routes)
    gets an app of its own."""
    if request.node.get_closest_marker("own_app") is not None:
        own = create_app(database.settings, engine=database.engine, clock=clock, sleeper=sleeper)
        own.state.sessionmaker = sessionmaker
        yield own
        return
    application = shared_app.application
    state = application.state._state
    state.clear()
    state.update(shared_app.initial_state)
    state.update(sessionmaker=sessionmaker, clock=clock, sleeper=sleeper, on_shutdown=[])
    routes = len(application.routes)
    yield application
    if len(application.routes) != routes:
        pytest.fail("the test added routes to the shared app: mark it @pytest.mark.own_app")


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    """Every log record of the test, as the service writes it (one JSON object a line), at
    the service's own level (INFO: a request's line among them). Outside such a test the
    suite logs warnings only: formatting a line for every request of the suite is time."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(JsonFormatter().format(record))

    handler = Collect()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


CLIENT_ADDRESS = "203.0.113.10"


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The test's client of the app; the builders in tests.factories given it arrange their
    world through the app's services (tests.factories.arrange_in_process). Every answer it
    receives is checked against the OpenAPI (tests.contract)."""
    transport = httpx.ASGITransport(app=app, client=(CLIENT_ADDRESS, 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", event_hooks={"response": [check_answer]}
    ) as client:
        arrange_in_process(client, app, client_address=CLIENT_ADDRESS)
        yield client


@pytest.fixture
def mailbox(app: FastAPI, smtp_server: tuple[str, Mailbox]) -> Mailbox:  # noqa: F811
    """The app sends its mail to a real SMTP server; what arrives is in the mailbox."""
    url, box = smtp_server
    app.state.settings = app.state.settings.model_copy(update={"smtp_url": SecretStr(url)})
    return box
