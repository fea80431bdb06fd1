"""The suite drops and rebuilds only PostgreSQL databases it created itself."""

import os
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.db import create_engine
from tests.conftest import (
    BACKENDS,
    POSTGRES_URL,
    ensure_database,
    postgres_problem,
    suite_database_name,
)


def test_the_default_url_names_the_server_not_a_database_to_rebuild() -> None:
    if "DPC_TEST_POSTGRES_URL" not in os.environ:
        assert make_url(POSTGRES_URL).database == "postgres"
    for url in (POSTGRES_URL, "postgresql+asyncpg://p@h/postgres", "postgresql+asyncpg://p@h/dpc"):
        for worker in (None, "gw0", "gw1"):
            name = suite_database_name(url, worker)
            assert name != make_url(url).database
            assert name.startswith("dpc_test_")
    names = {suite_database_name(POSTGRES_URL, w) for w in (None, "gw0", "gw1")}
    assert len(names) == 3


async def _admin_run(*statements: str) -> None:
    admin = create_engine(Settings(database_url=POSTGRES_URL)).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await admin.dispose()


async def test_a_database_the_suite_did_not_create_is_left_alone() -> None:
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL tests not asked for")
    if await postgres_problem(POSTGRES_URL) is not None:
        pytest.skip("PostgreSQL unreachable")
    name = f"someone_elses_{uuid.uuid4().hex[:8]}"
    await _admin_run(f'CREATE DATABASE "{name}"')
    try:
        theirs = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        engine = create_engine(Settings(database_url=theirs))
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE precious (n int)"))
        with pytest.raises(pytest.fail.Exception, match="not created by the test suite"):
            await ensure_database(POSTGRES_URL, name)
        async with engine.connect() as connection:  # still there
            assert await connection.scalar(text("SELECT count(*) FROM precious")) == 0
        await engine.dispose()

        own = f"dpc_test_probe_{uuid.uuid4().hex[:8]}"
        await ensure_database(POSTGRES_URL, own)
        await ensure_database(POSTGRES_URL, own)  # its own: used again
        await _admin_run(f'DROP DATABASE "{own}"')
    finally:
        await _admin_run(f'DROP DATABASE IF EXISTS "{name}"')
