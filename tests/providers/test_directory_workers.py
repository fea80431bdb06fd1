"""The directory cache against real commits: several workers, one database, no rollback."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.core.config import Settings
from app.core.db import create_engine
from app.main import create_app
from app.providers.directory import StampReader
from tests.conftest import make_test_settings as settings_for
from tests.factories import provider_fields, register_person
from tests.helpers import ok, run_alembic

LISTING = "/api/v1/areas/W06000015/providers"


@pytest.fixture
async def live_settings(tmp_path: Path) -> Settings:
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'live.sqlite3'}")
    engine = create_engine(settings)
    await run_alembic(engine, "upgrade", "head")
    await engine.dispose()
    return settings


async def shut_down(app: FastAPI) -> None:
    for close in app.state.on_shutdown:
        await close()
    await app.state.engine.dispose()


@pytest.fixture
async def workers(live_settings: Settings) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two application instances on one database, as two server processes would be."""
    apps = [create_app(live_settings), create_app(live_settings)]
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        for app in apps
    ]
    yield clients
    for client, app in zip(clients, apps, strict=True):
        await client.aclose()
        await shut_down(app)


async def test_a_change_committed_through_one_worker_shows_on_the_next_request_to_another(
    workers: list[httpx.AsyncClient], live_settings: Settings
) -> None:
    one, two = workers
    staff = await register_person(one)
    admin = await register_person(one)
    engine = create_engine(live_settings)
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE user_account SET is_platform_admin = :yes WHERE email = :email"),
            {"yes": True, "email": admin.email},
        )
    await engine.dispose()

    created = await one.post(
        "/api/v1/providers", json=provider_fields(name="Gofal Un"), headers=staff.headers
    )
    provider_id = ok(created).json()["id"]
    assert ok(await two.get(LISTING)).json()["items"] == []
    ok(await one.post(f"/api/v1/providers/{provider_id}/verify", headers=admin.headers))
    listed = await two.get(LISTING)
    assert [p["name"] for p in listed.json()["items"]] == ["Gofal Un"]
    assert (
        await two.get(LISTING, headers={"If-None-Match": listed.headers["etag"]})
    ).status_code == 304

    ok(
        await one.patch(
            f"/api/v1/providers/{provider_id}", json={"name": "Gofal Dau"}, headers=admin.headers
        )
    )
    renamed = await two.get(LISTING, headers={"If-None-Match": listed.headers["etag"]})
    assert renamed.status_code == 200
    assert [p["name"] for p in renamed.json()["items"]] == ["Gofal Dau"]
    coverage = (await two.get("/api/v1/areas/W06000015/coverage")).json()
    assert (
        next(r for r in coverage["items"] if r["service_type"] == "domiciliary_support")[
            "provider_count"
        ]
        == 1
    )


async def test_the_stamp_reader_reconnects_when_its_connection_is_lost(
    live_settings: Settings,
) -> None:
    engine = create_engine(live_settings)
    reader = StampReader(engine)
    try:
        stamp = await reader.read()
        assert stamp is not None
        held = reader._connection  # the kept-open connection, dropped under its feet below
        assert held is not None
        driver = (await held.get_raw_connection()).driver_connection
        assert driver is not None
        await driver.close()
        assert await reader.read() == stamp
        assert reader._connection is not held
    finally:
        await reader.close()
        await engine.dispose()
