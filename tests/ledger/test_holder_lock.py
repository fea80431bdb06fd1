"""A holder's award history, the council's decisions on it and their capped contributions
all take the holder's lock (their `user_account` row) before reading the award, so none of
them slips between another's check and its write (row locks exist on PostgreSQL only)."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.factories import (
    CARDIFF,
    appoint_officer,
    platform_admin,
    set_direct_payment,
)
from tests.ledger.conftest import Pool
from tests.lock_order import Locks, watching_locks

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
