"""A holder's award history, the council's decisions on it and their capped contributions
all take the holder's lock (their `user_account` row) before reading the award, so none of
them slips between another's check and its write (row locks exist on PostgreSQL only)."""

import asyncio
import time

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.contract import CHECKED
from tests.core.test_busy import make_pool
from tests.factories import (
    CARDIFF,
    appoint_officer,
    platform_admin,
    set_direct_payment,
)
from tests.ledger.conftest import Pool
from tests.lock_order import Locks, watching_locks
from tests.servers import Server

pytestmark = pytest.mark.postgresql_only


def holder_locks(locks: Locks, user_id: object) -> list[int]:
    return [
        n
        for n, lock in enumerate(locks.taken)
        if lock.table == "user_account" and str(user_id) in lock.parameters
    ]


@pytest.mark.parametrize("source", ["direct_payment", "top_up"])
async def test_a_contribution_holds_the_holder_after_the_membership_and_before_the_accounts(
    client: httpx.AsyncClient, pool: Pool, connection: AsyncConnection, source: str
) -> None:
    body = {"amount_pence": 1_000, "reference": "Taliad", "source": source}
    with watching_locks(connection) as locks:
        response = await client.post(
            pool.url("/pool/contributions"),
            json=body,
            headers={**pool.holder.headers, "Idempotency-Key": f"lock-{source}"},
        )
    assert response.status_code == 201, response.text
    held = holder_locks(locks, pool.holder.id)
    assert held, locks.taken
    assert locks.first("coop_member") < held[0] < locks.first("ledger_account")
    assert all(locks.taken[n].mode == "NO KEY UPDATE" for n in held)


async def test_a_new_version_and_a_councils_decision_hold_the_holder_first(
    client: httpx.AsyncClient, session: AsyncSession, pool: Pool, connection: AsyncConnection
) -> None:
    with watching_locks(connection) as locks:
        award = await set_direct_payment(client, pool.other, weekly_amount_pence=30_000)
    assert holder_locks(locks, pool.other.id), locks.taken

    admin = await platform_admin(client, session)
    officer = await appoint_officer(client, admin, CARDIFF)
    with watching_locks(connection) as locks:
        response = await client.post(
            f"/api/v1/la/awards/{award['id']}/confirm", json={}, headers=officer.headers
        )
    assert response.status_code == 200, response.text
    assert holder_locks(locks, pool.other.id), locks.taken


async def test_waiting_for_the_holder_a_contribution_already_holds_the_membership(
    server: Server,
) -> None:
    """The membership and the holder are locked in one statement; PostgreSQL takes them in the
    order its `OF` list names them, so a contribution waiting for a holder held elsewhere has
    the membership in hand already: the house's order (membership, then holder), for real."""
    async with httpx.AsyncClient(base_url=server.url, timeout=60, event_hooks=CHECKED) as client:
        pool = await make_pool(client)
        me = await client.get("/api/v1/me", headers=pool.holder)
        holder_id = me.json()["id"]
        async with server.engine.connect() as holding, server.engine.connect() as probing:
            await holding.begin()
            await holding.execute(
                text("SELECT id FROM user_account WHERE id = :id FOR NO KEY UPDATE"),
                {"id": holder_id},
            )
            posting = asyncio.create_task(
                client.post(
                    f"/api/v1/coops/{pool.coop}/pool/contributions",
                    json={"amount_pence": 1_000, "reference": "Aros"},
                    headers={**pool.holder, "Idempotency-Key": "waits-for-the-holder"},
                )
            )
            deadline = time.monotonic() + 20
            while not await waiting_for_a_lock(probing):
                assert time.monotonic() < deadline, "the contribution never waited"
                assert not posting.done(), (await posting).text
                await asyncio.sleep(0.05)
            await probing.begin()
            with pytest.raises(DBAPIError) as refused:
                await probing.execute(
                    text("SELECT id FROM coop_member WHERE id = :id FOR NO KEY UPDATE NOWAIT"),
                    {"id": pool.member},
                )
            assert getattr(refused.value.orig, "sqlstate", None) == "55P03"  # lock_not_available
            await probing.rollback()
            await holding.rollback()
            answer = await posting
    assert answer.status_code == 201, answer.text


async def waiting_for_a_lock(connection: AsyncConnection) -> bool:
    found = await connection.scalar(
        text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    )
    await connection.commit()
    return bool(found)
