"""Two first requests of a month at once: both are answered with the one edition stored.

On PostgreSQL, committing for real on a scratch database (SQLite runs one writer at a time, so
there the second request simply starts after the first and reads the stored edition).
"""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.audit.models import AuditEntry
from app.core.clock import local_date
from app.core.db import commit_unit_of_work, create_engine, create_sessionmaker
from app.stats import wales
from app.stats.models import WalesEdition
from tests.conftest import Database, make_test_settings
from tests.helpers import migrated_database_url

pytestmark = pytest.mark.postgresql_only

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def engine(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    url = await migrated_database_url(
        database.settings.async_database_url,
        suffix="wales_race",
        tmp_dir=tmp_path_factory.mktemp("wales"),
    )
    settings = make_test_settings(url)
    scratch = create_engine(settings)
    yield scratch
    await scratch.dispose()


async def waiting_on_a_lock(engine: AsyncEngine) -> None:
    """Until another backend of this database waits on a lock (at most 10 s)."""
    async with engine.connect() as connection:
        for _ in range(1000):
            waiting = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            await connection.rollback()
            if waiting:
                return
            await asyncio.sleep(0.01)
    raise AssertionError("the second request never waited for the first")


async def test_the_second_of_two_first_requests_serves_the_first_ones_edition(
    engine: AsyncEngine,
) -> None:
    sessions = create_sessionmaker(engine)
    today = local_date(NOW)
    async with sessions() as first, sessions() as second:
        made, made_here = await wales.edition(first, now=NOW, today=today)
        assert made_here
        # The second counts too, then waits on the month's primary key until the first
        # commits, and finds the first one's edition stored.
        racing = asyncio.create_task(wales.edition(second, now=NOW.replace(minute=1), today=today))
        await waiting_on_a_lock(engine)
        await commit_unit_of_work(first)
        served, served_here = await racing
        await commit_unit_of_work(second)
    assert not served_here
    assert served.edition.made_at == made.edition.made_at
    assert wales.table(served) == wales.table(made)
    async with sessions() as check:
        assert await check.scalar(select(func.count()).select_from(WalesEdition)) == 1
        published = await check.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "stats.wales_published")
        )
        assert published == 1
