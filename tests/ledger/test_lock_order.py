"""Every posting that touches a member account takes the membership's lock before the
accounts', in the order a leave takes them (membership, co-op, accounts), so a posting and a
leave never wait for each other in a circle and no posting slips past a leave.

The real race is run through a real server in test_leaving_race; here each path's locks are
read off the statements it sends (row locks exist on PostgreSQL only).
"""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.factories import contribute, create_support_service, request_refund
from tests.ledger.conftest import THRESHOLD, Pool
from tests.lock_order import watching_locks

pytestmark = pytest.mark.postgresql_only


async def test_a_contribution_locks_the_membership_first(
    client: httpx.AsyncClient, pool: Pool, connection: AsyncConnection
) -> None:
    with watching_locks(connection) as locks:
        response = await contribute(
            client, pool.coop_id, pool.admin, amount_pence=1_000, member_id=pool.holder_member
        )
    assert response.status_code == 201, response.text
    locks.assert_memberships_before_accounts(pool.holder_member)


async def test_a_refund_locks_the_membership_first_when_asked_and_when_approved(
    client: httpx.AsyncClient, pool: Pool, connection: AsyncConnection
) -> None:
    paid = await contribute(client, pool.coop_id, pool.holder, amount_pence=THRESHOLD + 5_000)
    assert paid.status_code == 201, paid.text
    with watching_locks(connection) as locks:
        response = await request_refund(
            client, pool.coop_id, pool.holder, member_id=pool.holder_member, amount_pence=1_000
        )
    assert response.status_code == 201, response.text
    locks.assert_memberships_before_accounts(pool.holder_member)

    waiting = await request_refund(
        client, pool.coop_id, pool.admin, member_id=pool.holder_member, amount_pence=THRESHOLD + 1
    )
    assert waiting.json()["status"] == "pending_second_approval", waiting.text
    with watching_locks(connection) as locks:
        approved = await client.post(
            pool.url(f"/pool/refunds/{waiting.json()['id']}/approve"),
            headers=pool.second_admin.headers,
        )
    assert approved.status_code == 200, approved.text
    locks.assert_memberships_before_accounts(pool.holder_member)
    # The refund is decided under the member's lock too, never before it.
    assert locks.first("coop_member") < locks.first("refund")


async def test_a_leave_locks_the_membership_then_the_coop_then_the_accounts(
    client: httpx.AsyncClient, pool: Pool, connection: AsyncConnection
) -> None:
    paid = await contribute(client, pool.coop_id, pool.holder, amount_pence=2_000)
    assert paid.status_code == 201, paid.text
    with watching_locks(connection) as locks:
        left = await client.post(
            pool.url(f"/members/{pool.holder_member}/leave"), headers=pool.holder.headers
        )
    assert left.status_code == 200, left.text
    locks.assert_memberships_before_accounts(pool.holder_member)
    assert locks.first("coop_member") < locks.first("coop") < locks.first("ledger_account")


async def test_a_support_charge_locks_every_charged_membership_first(
    client: httpx.AsyncClient, pool: Pool, connection: AsyncConnection
) -> None:
    service_id = await create_support_service(client, pool.coop_id, pool.admin)
    for person in (pool.holder, pool.other):
        paid = await contribute(client, pool.coop_id, person, amount_pence=20_000)
        assert paid.status_code == 201, paid.text
        subscribed = await client.post(
            pool.url(f"/support/services/{service_id}/subscription"), headers=person.headers
        )
        assert subscribed.status_code in (200, 201), subscribed.text
    with watching_locks(connection) as locks:
        charged = await client.post(
            pool.url(f"/support/services/{service_id}/charges"),
            json={"period": "2026-03"},
            headers={**pool.admin.headers, "Idempotency-Key": "march"},
        )
    assert charged.status_code == 201, charged.text
    locks.assert_memberships_before_accounts(pool.holder_member, pool.other_member)
