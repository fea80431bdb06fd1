"""Stamps per area against real commits: two workers on one database of each backend, the
directory's own connections (the stamp reader's, the renders'), no rolled-back transaction."""

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.core.config import Settings
from app.core.db import create_engine
from app.main import create_app
from app.providers import area_listing
from app.providers.dependencies import directory
from app.providers.directory import StampReader
from app.providers.directory_reads import Reader, SqliteOnLoop, sqlite_file
from tests.conftest import Database, make_test_settings
from tests.factories import Person, provider_fields, register_person
from tests.helpers import migrated_database_url, ok

CARDIFF = "W06000015"
GWYNEDD = "W06000002"


def listing(code: str) -> str:
    return f"/api/v1/areas/{code}/providers"


@pytest.fixture
async def live_settings(database: Database, tmp_path: Path) -> Settings:
    url = await migrated_database_url(
        database.settings.async_database_url, suffix="directory_live", tmp_dir=tmp_path
    )
    settings = make_test_settings(url)
    return settings


@pytest.fixture
def apps(live_settings: Settings) -> list[FastAPI]:
    """Two application instances on one database, as two server processes would be."""
    return [create_app(live_settings), create_app(live_settings)]


@pytest.fixture
async def workers(apps: list[FastAPI]) -> AsyncIterator[list[httpx.AsyncClient]]:
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        for app in apps
    ]
    yield clients
    for client, app in zip(clients, apps, strict=True):
        await client.aclose()
        for close in app.state.on_shutdown:
            await close()
        await app.state.engine.dispose()


async def make_admin(settings: Settings, person: Person) -> None:
    engine = create_engine(settings)
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE user_account SET is_platform_admin = :yes WHERE email = :email"),
            {"yes": True, "email": person.email},
        )
    await engine.dispose()


async def verified(client: httpx.AsyncClient, admin: Person, **fields: Any) -> str:
    created = await client.post(
        "/api/v1/providers", json=provider_fields(**fields), headers=admin.headers
    )
    provider_id: str = ok(created).json()["id"]
    ok(await client.post(f"/api/v1/providers/{provider_id}/verify", headers=admin.headers))
    return provider_id


async def test_a_write_through_one_worker_leaves_the_other_workers_other_areas_cached(
    apps: list[FastAPI],
    workers: list[httpx.AsyncClient],
    live_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one, two = workers
    admin = await register_person(one)
    await make_admin(live_settings, admin)
    await verified(one, admin, name="Gofal Caerdydd")
    eryri = await verified(one, admin, name="Gofal Eryri", area_codes=[GWYNEDD])

    renders: Counter[str] = Counter()
    render_listing = area_listing.render_listing

    async def counting(reader: Reader, code: str, query: Any) -> bytes:
        renders[code] += 1
        return await render_listing(reader, code, query)

    monkeypatch.setattr(area_listing, "render_listing", counting)
    cardiff = ok(await two.get(listing(CARDIFF)))
    ok(await two.get(listing(GWYNEDD)))
    ok(
        await one.patch(
            f"/api/v1/providers/{eryri}", json={"hourly_rate_pence": 3300}, headers=admin.headers
        )
    )
    again = await two.get(listing(CARDIFF), headers={"If-None-Match": cardiff.headers["etag"]})
    assert again.status_code == 304
    eryri_now = ok(await two.get(listing(GWYNEDD))).json()["items"]
    assert [p["hourly_rate_pence"] for p in eryri_now] == [3300]
    assert renders == Counter({CARDIFF: 1, GWYNEDD: 2})
    kept = directory(apps[1]).connections
    if live_settings.async_database_url.startswith("sqlite"):
        assert kept._idle == []  # read on the loop: no connection of aiosqlite's was opened
    else:
        assert len(kept._idle) == 1  # one render at a time: one kept connection, reused


class TestStampsReadOnTheLoop:
    """On SQLite the stamps are read with the standard library's driver, on the loop."""

    @pytest.fixture
    def sqlite_settings(self, live_settings: Settings) -> Settings:
        if not live_settings.async_database_url.startswith("sqlite"):
            pytest.skip("the stamps are read on the loop on SQLite only")
        return live_settings

    async def test_are_the_stamps_the_async_driver_reads_and_follow_every_commit(
        self, sqlite_settings: Settings
    ) -> None:
        engine = create_engine(sqlite_settings)
        file = sqlite_file(engine)
        assert file is not None
        on_loop = SqliteOnLoop(file)
        loop_reader, through_driver = StampReader(engine, on_loop=on_loop), StampReader(engine)
        try:
            stamps = await loop_reader.read()
            assert len(stamps) == 23
            assert stamps == await through_driver.read()
            assert loop_reader._connection is None  # nothing went through aiosqlite
            async with engine.begin() as connection:
                await connection.execute(
                    text("UPDATE provider_area_stamp SET stamp = :s WHERE area_code = :a"),
                    {"s": "0" * 32, "a": GWYNEDD},
                )
            changed = await loop_reader.read()
            assert changed[GWYNEDD] == "0" * 32
            assert {k: v for k, v in changed.items() if k != GWYNEDD} == {
                k: v for k, v in stamps.items() if k != GWYNEDD
            }
            assert changed == await through_driver.read()
        finally:
            on_loop.close()
            await loop_reader.close()
            await through_driver.close()
            await engine.dispose()

    async def test_a_read_that_fails_there_is_made_through_the_async_driver(
        self, sqlite_settings: Settings, tmp_path: Path
    ) -> None:
        engine = create_engine(sqlite_settings)
        not_a_database = tmp_path / "not-a-database"
        not_a_database.write_text("plain text")
        on_loop = SqliteOnLoop(str(not_a_database))  # every read there fails, as a busy one would
        reader = StampReader(engine, on_loop=on_loop)
        try:
            assert len(await reader.read()) == 23
            assert reader._connection is not None
        finally:
            on_loop.close()
            await reader.close()
            await engine.dispose()
