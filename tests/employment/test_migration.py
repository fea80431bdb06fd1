"""Revision 0033: the ledger takes `payroll` transactions, keeps every older one as it was,
and refuses to go back while it holds one."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.db import create_engine
from tests.conftest import Database
from tests.helpers import run_alembic, scratch_database_url

WHEN = datetime(2026, 3, 2, 9, tzinfo=UTC)
INSERT = text(
    "INSERT INTO ledger_transaction (id, coop_id, kind, memo, created_at) "
    "VALUES (:id, :coop, :kind, 'memo', :at)"
)


@pytest.fixture
async def scratch_engine(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    url = await scratch_database_url(
        database.settings.async_database_url,
        suffix="payroll_migration",
        tmp_dir=tmp_path_factory.mktemp("payroll-migration"),
    )
    engine = create_engine(Settings(database_url=url))
    yield engine
    await engine.dispose()


async def add_coop(engine: AsyncEngine) -> uuid.UUID:
    coop = uuid.uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO coop (id, name, description, created_at, voting_mode, "
                "quorum_percent, pass_percent, award_requires_vote, refund_second_approval_pence) "
                "VALUES (:id, 'Co-op', '', :at, 'one_member_one_vote', 25, 50, true, 50000)"
            ),
            {"id": coop if engine.dialect.name == "postgresql" else coop.hex, "at": WHEN},
        )
    return coop


def ident(engine: AsyncEngine, value: uuid.UUID) -> object:
    return value if engine.dialect.name == "postgresql" else value.hex


async def test_payroll_is_a_kind_after_the_revision_and_keeps_older_rows(
    scratch_engine: AsyncEngine,
) -> None:
    await run_alembic(scratch_engine, "upgrade", "0028")
    coop = await add_coop(scratch_engine)
    older = uuid.uuid4()
    params = {"coop": ident(scratch_engine, coop), "at": WHEN}
    async with scratch_engine.begin() as connection:
        await connection.execute(
            INSERT, {**params, "id": ident(scratch_engine, older), "kind": "refund"}
        )
    with pytest.raises((IntegrityError, DBAPIError)):
        async with scratch_engine.begin() as connection:
            await connection.execute(
                INSERT, {**params, "id": ident(scratch_engine, uuid.uuid4()), "kind": "payroll"}
            )
    await run_alembic(scratch_engine, "upgrade", "0033")
    async with scratch_engine.begin() as connection:
        kinds = (await connection.execute(text("SELECT kind FROM ledger_transaction"))).all()
        assert [k for (k,) in kinds] == ["refund"]
        await connection.execute(
            INSERT, {**params, "id": ident(scratch_engine, uuid.uuid4()), "kind": "payroll"}
        )
    # The rebuilt ledger is still append-only.
    with pytest.raises((IntegrityError, DBAPIError)):
        async with scratch_engine.begin() as connection:
            await connection.execute(text("DELETE FROM ledger_transaction"))
    with pytest.raises(RuntimeError, match="payroll transactions"):
        await run_alembic(scratch_engine, "downgrade", "0028")
