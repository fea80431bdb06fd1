"""Money moved into a member's account by an administrator shows in that member's activity."""

import httpx

from tests.factories import contribute
from tests.ledger.conftest import Pool


async def activity(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, object]]:
    response = await client.get("/api/v1/me/activity", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


async def test_an_administrators_contribution_for_a_holder_is_in_the_holders_activity(
    client: httpx.AsyncClient, pool: Pool
) -> None:
    response = await contribute(
        client,
        pool.coop_id,
        pool.admin,
        amount_pence=4_200,
        member_id=pool.holder_member,
        reference="Bank transfer",
    )
    assert response.status_code == 201, response.text
    transaction_id = response.json()["id"]
    entries = [
        e
        for e in await activity(client, pool.holder.headers)
        if e["action"] == "ledger.contribution"
    ]
    assert [e["subject_id"] for e in entries] == [transaction_id]
    assert entries[0]["actor_user_id"] == str(pool.admin.id)
    # The other holder, whose money it is not, does not see it.
    others = await activity(client, pool.other.headers)
    assert transaction_id not in [e["subject_id"] for e in others]


async def test_a_holders_own_contribution_is_in_their_activity(
    client: httpx.AsyncClient, pool: Pool
) -> None:
    response = await contribute(client, pool.coop_id, pool.holder, amount_pence=1_000)
    assert response.status_code == 201, response.text
    entries = await activity(client, pool.holder.headers)
    assert response.json()["id"] in [e["subject_id"] for e in entries]
