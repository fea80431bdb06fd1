"""Small helpers shared by the tests (no fixtures here)."""

import asyncio
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.cli import migrate
from app.core.config import Settings
from app.core.db import create_engine
from app.core.open_sets import OpenSets
from app.core.ops import PROJECT_ROOT
from app.workflows import registry


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def run_alembic(engine: AsyncEngine, verb: str, target: str) -> None:
    def run(connection: Connection) -> None:
        getattr(command, verb)(alembic_config(connection), target)

    async with engine.begin() as connection:
        await connection.run_sync(run)


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert a problem+json answer with this status and code, and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"]
    return body


async def scratch_database_url(base_url: str, *, suffix: str, tmp_dir: Path) -> str:
    """An empty database of the same backend as `base_url`, for tests that commit for real."""
    if base_url.startswith("sqlite"):
        return f"sqlite+aiosqlite:///{tmp_dir / f'{suffix}.sqlite3'}"
    from tests.conftest import ensure_database

    url = await ensure_database(base_url, f"{make_url(base_url).database}_{suffix}")
    scratch = create_engine(Settings(database_url=url))
    async with scratch.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await scratch.dispose()
    return url


# The SQLite database the copies are made from (see `migrated_database_url`), by the base URL
# it was made beside: migrated once a process.
_MIGRATED_TEMPLATES: dict[str, Path] = {}


async def migrated_database_url(base_url: str, *, suffix: str, tmp_dir: Path) -> str:
    """A database of the same backend as `base_url` at the schema's head, for tests that
    commit for real. On SQLite a copy of one migrated once a process (running the 40
    migrations took some 1.5 s each time; the copy, hundredths). On PostgreSQL the scratch
    database migrated (some 0.9 s): copies made there with `CREATE DATABASE ... TEMPLATE` had
    to drop the previous copy first, and each DROP DATABASE forces an immediate checkpoint
    (17 in a run instead of 2), which every other test writing to PostgreSQL then waits on;
    the whole suite was not faster for them. The migrations themselves are tested from
    empty, step by step, in tests/test_migrations.py."""
    if not base_url.startswith("sqlite"):
        url = await scratch_database_url(base_url, suffix=suffix, tmp_dir=tmp_dir)
        await asyncio.to_thread(migrate, Settings(database_url=url))
        return url
    template = _MIGRATED_TEMPLATES.get(base_url)
    if template is None:
        template = tmp_dir / "migrated-template.sqlite3"
        await asyncio.to_thread(migrate, Settings(database_url=f"sqlite+aiosqlite:///{template}"))
        _MIGRATED_TEMPLATES[base_url] = template
    path = tmp_dir / f"{suffix}.sqlite3"
    path.unlink(missing_ok=True)
    # SQLite's own copy (the backup API): consistent whatever journal the template kept.
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return f"sqlite+aiosqlite:///{path}"


def ok(response: Any) -> Any:
    """Assert an arranging call succeeded (a 2xx answer), and return the response."""
    assert 200 <= response.status_code < 300, f"{response.status_code}: {response.text}"
    return response


def what_entries_say(activity: Mapping[str, Any]) -> list[str]:
    """What each entry of an activity page says (its data and description), without its ids
    and hashes: a hex hash or a UUID may hold any run of digits (26000, say) by chance."""
    return [f"{entry['data']} {entry['description']}" for entry in activity["items"]]


def declare_open_set(
    sessionmaker: async_sessionmaker[AsyncSession], name: str, handlers: Mapping[Any, Any]
) -> None:
    """Sessions opened from now on carry `handlers` as the open set `name` (a test's own
    stand-in for what `app.workflows.registry.build()` declares)."""
    sets = registry.build()
    replaced = OpenSets(keyed={**sets.keyed, name: handlers}, ordered=sets.ordered)
    sessionmaker.configure(info=replaced.session_info())
