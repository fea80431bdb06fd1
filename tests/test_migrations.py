"""Models and migrations never drift, and every migration downgrades."""

from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.db import alembic_render_item, create_engine
from app.models import Base
from tests.conftest import Database
from tests.helpers import run_alembic, scratch_database_url


@pytest.fixture
async def scratch_engine(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """An empty database of the same backend, so migrations can run both ways."""
    url = await scratch_database_url(
        database.settings.async_database_url,
        suffix="migrations",
        tmp_dir=tmp_path_factory.mktemp("mig"),
    )
    engine = create_engine(Settings(database_url=url))
    yield engine
    await engine.dispose()


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": True,
            "render_item": alembic_render_item,
        },
    )
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


class TestMigrations:
    async def test_upgrade_downgrade_upgrade_and_no_drift(
        self, scratch_engine: AsyncEngine
    ) -> None:
        await run_alembic(scratch_engine, "upgrade", "head")
        async with scratch_engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
            assert await connection.scalar(text("SELECT count(*) FROM area")) == 22
        await run_alembic(scratch_engine, "downgrade", "base")
        async with scratch_engine.connect() as connection:
            assert await connection.run_sync(_tables) <= {"alembic_version"}
        await run_alembic(scratch_engine, "upgrade", "head")
        async with scratch_engine.connect() as connection:
            assert await connection.run_sync(_diff) == []

    async def test_each_step_downgrades_one_at_a_time(self, scratch_engine: AsyncEngine) -> None:
        await run_alembic(scratch_engine, "upgrade", "head")
        async with scratch_engine.connect() as connection:
            steps = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        assert steps
        while True:
            async with scratch_engine.connect() as connection:
                current = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            if current is None:
                break
            await run_alembic(scratch_engine, "downgrade", "-1")
        async with scratch_engine.connect() as connection:
            assert await connection.run_sync(_tables) <= {"alembic_version"}
