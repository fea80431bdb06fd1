"""A request that cannot have a connection or a lock in time answers 503 `busy`, never 500.

These tests commit for real (a scratch database of the test's backend): the lock is held, and
the pool drained, on connections of their own, outside the app's transaction.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.db import create_engine, is_busy
from app.ledger.models import LedgerTransaction, TransactionKind
from app.main import create_app
from tests.conftest import Database, make_test_settings, scratch_server
from tests.contract import CHECKED
from tests.helpers import migrated_database_url, problem
from tests.ledger.test_concurrency import person

WAIT = 1.0


@dataclass
class Pool:
    """A co-op with one approved holder and an award, made through the API."""

    coop: str
    member: str
    holder: dict[str, str]


async def make_pool(client: httpx.AsyncClient) -> Pool:
    admin = await person(client, "Admin")
    holder = await person(client, "Holder")
    created = await client.post(
        "/api/v1/coops",
        json={"name": "Cydweithfa Brysur", "description": "Busy.", "area_codes": ["W06000015"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    coop = created.json()["id"]
    applied = await client.post(
        f"/api/v1/coops/{coop}/applications",
        json={"member_class": "service_user"},
        headers=holder,
    )
    assert applied.status_code == 201, applied.text
    member = applied.json()["id"]
    approved = await client.post(f"/api/v1/coops/{coop}/members/{member}/approve", headers=admin)
    assert approved.status_code == 200, approved.text
    award = await client.put(
        "/api/v1/me/direct-payment",
        json={
            "area_code": "W06000015",
            "weekly_amount_pence": 10_000_000,
            "start_date": "2026-01-05",
        },
        headers=holder,
    )
    assert award.status_code == 200, award.text
    return Pool(coop=coop, member=member, holder=holder)


async def contributions(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        found = await connection.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(LedgerTransaction.kind == TransactionKind.contribution)
        )
    return int(found or 0)


@pytest.fixture
async def scratch(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("busy")
    url = await migrated_database_url(
        database.settings.async_database_url, suffix="busy", tmp_dir=tmp
    )
    settings = make_test_settings(url).model_copy(update={"db_wait_seconds": WAIT})
    return settings


@pytest.fixture
async def live(scratch: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app on its own engine (real commits), in process."""
    app = create_app(scratch)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.10", 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", event_hooks=CHECKED
    ) as client:
        yield app, client
    await app.state.engine.dispose()


async def test_a_contribution_behind_a_held_lock_answers_busy_and_changes_nothing(
    live: tuple[FastAPI, httpx.AsyncClient], scratch: Settings, database: Database
) -> None:
    app, client = live
    pool = await make_pool(client)
    path = f"/api/v1/coops/{pool.coop}/pool/contributions"
    body = {"amount_pence": 1_000, "reference": "held"}
    headers = {**pool.holder, "Idempotency-Key": "held-1"}
    outsider = create_engine(scratch, bounded=False)
    before = await contributions(outsider)
    try:
        async with outsider.connect() as holder:
            await holder.begin()
            if database.backend == "postgresql":
                # Another transaction sits on the pool's deposits account, as a slow posting would.
                locked = await holder.scalar(
                    text(
                        "SELECT id FROM ledger_account WHERE coop_id = :coop"
                        " AND code = 'external:deposits' FOR UPDATE"
                    ),
                    {"coop": uuid.UUID(pool.coop)},
                )
                assert locked is not None
            # On SQLite the outsider's BEGIN IMMEDIATE already holds the database's write lock.
            started = time.monotonic()
            refused = await client.post(path, json=body, headers=headers)
            waited = time.monotonic() - started
            await holder.rollback()
        problem(refused, 503, "busy")
        assert int(refused.headers["retry-after"]) >= 1
        assert WAIT * 0.8 <= waited < WAIT + 3, waited
        assert await contributions(outsider) == before
        # Nothing of the refused request was kept: the same key now simply works.
        retried = await client.post(path, json=body, headers=headers)
        assert retried.status_code == 201, retried.text
        assert await contributions(outsider) == before + 1
    finally:
        await outsider.dispose()
    del app


async def test_an_exhausted_pool_answers_busy_not_500(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = database.settings.model_copy(
        update={"db_wait_seconds": WAIT, "db_pool_size": 1, "db_max_overflow": 0}
    )
    app = create_app(settings)
    engine: AsyncEngine = app.state.engine
    transport = httpx.ASGITransport(app=app, client=("203.0.113.10", 50000))
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", event_hooks=CHECKED
        ) as client:
            async with engine.connect() as held:  # the only connection the pool may give
                await held.execute(text("SELECT 1"))
                started = time.monotonic()
                refused = await client.get("/api/v1/areas")
                waited = time.monotonic() - started
            problem(refused, 503, "busy")
            assert int(refused.headers["retry-after"]) >= 1
            assert waited < WAIT + 3, waited
            served = await client.get("/api/v1/areas")
            assert served.status_code == 200, served.text
    finally:
        await engine.dispose()


async def _drop_the_pooled_connection(app: FastAPI, database: Database) -> None:
    """The server ends the one connection the app's pool holds, as a restart would."""
    engine: AsyncEngine = app.state.engine
    async with engine.connect() as pooled:
        pid = await pooled.scalar(text("SELECT pg_backend_pid()"))
    outsider = create_engine(database.settings, bounded=False)
    try:
        async with outsider.connect() as connection:
            ended = await connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            assert ended is True
    finally:
        await outsider.dispose()


@pytest.mark.postgresql_only
@pytest.mark.parametrize("idle_seconds", [3600.0, 0.0])
async def test_a_connection_the_server_dropped_is_replaced(
    database: Database, idle_seconds: float
) -> None:
    """Idle for longer than DPC_DB_PING_AFTER_IDLE_SECONDS, a pooled connection is pinged and
    replaced before a request uses it; in steady use it is not pinged, so the one request
    that finds it dropped answers 503 `busy` (never 500), and the next is served afresh."""
    settings = database.settings.model_copy(
        update={"db_pool_size": 1, "db_max_overflow": 0, "db_ping_after_idle_seconds": idle_seconds}
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.10", 50000))
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", event_hooks=CHECKED
        ) as client:
            assert (await client.get("/api/v1/areas")).status_code == 200
            await _drop_the_pooled_connection(app, database)
            first = await client.get("/api/v1/areas")
            if idle_seconds == 0:
                assert first.status_code == 200, first.text
            else:
                problem(first, 503, "busy")
            served = await client.get("/api/v1/areas")
            assert served.status_code == 200, served.text
    finally:
        await app.state.engine.dispose()


async def test_the_wait_is_a_documented_busy_answer(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    contribution = schema["paths"]["/api/v1/coops/{coop_id}/pool/contributions"]["post"]
    assert "`busy`" in contribution["responses"]["503"]["description"]


BURST = 100
WRITES = 20  # one holder's contributions, all queued on the same account; the rest read


@pytest.mark.postgresql_only
async def test_a_burst_of_a_hundred_parallel_requests_is_served(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The default wait is bounded, yet an ordinary burst through a real server all succeeds
    (a server of its own: the shared one waits longer)."""
    async with scratch_server(database, tmp_path_factory.mktemp("burst")) as server:
        limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=BURST)
        async with httpx.AsyncClient(
            base_url=server.url, timeout=60, limits=limits, event_hooks=CHECKED
        ) as client:
            pool = await make_pool(client)
            path = f"/api/v1/coops/{pool.coop}/pool/contributions"

            async def contribute(n: int) -> httpx.Response:
                return await client.post(
                    path,
                    json={"amount_pence": 100, "reference": f"b{n}"},
                    headers={**pool.holder, "Idempotency-Key": f"b{n}"},
                )

            async def read() -> httpx.Response:
                return await client.get(f"/api/v1/coops/{pool.coop}/pool", headers=pool.holder)

            answers = await asyncio.gather(
                *(contribute(n) for n in range(WRITES)),
                *(read() for _ in range(BURST - WRITES)),
            )
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200] * (BURST - WRITES) + [201] * WRITES, (
            [a.text for a in answers if a.status_code >= 300][:3],
            await asyncio.to_thread(server.log.read_text),
        )
        assert await contributions(server.engine) == WRITES


@pytest.mark.postgresql_only
async def test_every_connection_carries_the_lock_and_statement_timeouts(
    database: Database,
) -> None:
    if database.backend != "postgresql":
        pytest.skip("PostgreSQL settings")
    settings = database.settings.model_copy(
        update={"db_wait_seconds": 2.5, "db_statement_timeout_seconds": 0.5}
    )
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("SHOW lock_timeout")) == "2500ms"
            assert await connection.scalar(text("SHOW statement_timeout")) == "500ms"
            started = time.monotonic()
            with pytest.raises(DBAPIError) as raised:
                await connection.execute(text("SELECT pg_sleep(5)"))
            assert time.monotonic() - started < 3
            assert is_busy(raised.value)  # query_canceled: answered 503 `busy`, not 500
        # Migrations are not bound: a schema change may wait and run longer.
        unbounded = create_engine(settings, bounded=False)
        async with unbounded.connect() as connection:
            assert await connection.scalar(text("SHOW statement_timeout")) == "0"
        await unbounded.dispose()
    finally:
        await engine.dispose()
