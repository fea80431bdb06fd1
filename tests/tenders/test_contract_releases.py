"""A contract's changes reach open data as they happen: a variation in force writes its
`contractAmendment`, the day after the last day writes the `contractTermination`, and every
release names the provider as it was when the contract was signed (SPEC sections 19-21)."""

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.providers.models import Provider
from tests.helpers import ok
from tests.tenders.conftest import World, travel
from tests.tenders.test_contract_end import end
from tests.tenders.test_invoices import invoiceable
from tests.tenders.test_variations import vary


async def releases(client: httpx.AsyncClient, tender_id: object) -> list[dict[str, Any]]:
    body = ok(await client.get(f"/api/v1/tenders/{tender_id}/ocds")).json()
    found: list[dict[str, Any]] = body["releases"]
    return found


async def test_a_variation_and_the_end_are_published_once_with_the_name_as_signed(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
) -> None:
    tender_id, contract_id = await invoiceable(clock, world)
    contract = ok(
        await client.get(f"/api/v1/contracts/{contract_id}", headers=world.admin.headers)
    ).json()
    signed_name = contract["provider_name"]
    before = await releases(client, tender_id)

    ok(
        await vary(
            client, contract_id, world.admin, contract["hourly_rate_pence"] - 50, "2026-04-20"
        )
    )
    after_variation = await releases(client, tender_id)
    [amendment] = [r for r in after_variation if "contractAmendment" in r["tag"]]
    assert after_variation[: len(before)] == before  # what was published stays as it was
    assert amendment["contracts"][0]["id"] == str(contract_id)

    # The provider renames itself; an admin applies it. Open data keeps the signed name.
    await session.execute(
        update(Provider)
        .where(Provider.id == uuid.UUID(contract["provider_id"]))
        .values(name="A Different Name Ltd", name_search="a different name ltd")
    )
    ok(await end(client, contract_id, world.admin, "2026-04-15"))
    await travel(clock, world, timedelta(days=3))
    ok(await client.get(f"/api/v1/contracts/{contract_id}", headers=world.admin.headers))
    final = await releases(client, tender_id)
    terminations = [r for r in final if "contractTermination" in r["tag"]]
    assert len(terminations) == 1
    assert final[: len(after_variation)] == after_variation
    suppliers = {
        party["name"]
        for release in final
        for party in release.get("parties", [])
        if "supplier" in party.get("roles", [])
    }
    assert suppliers == {signed_name}
    assert signed_name != "A Different Name Ltd"
    # Read again: nothing is written twice.
    assert await releases(client, tender_id) == final
