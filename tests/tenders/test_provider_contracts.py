"""A provider may not stop offering what a running contract is for (SPEC 19, 25): at the
PATCH, at the verification that would apply such a change, and in a CSV import."""

from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from tests.factories import CARDIFF, SWANSEA
from tests.helpers import ok, problem
from tests.tenders.conftest import World, travel
from tests.tenders.test_contracts import contracted


async def test_an_area_or_service_type_under_a_running_contract_is_kept(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
) -> None:
    url = f"/api/v1/providers/{world.provider_2}"
    staff, platform = world.staff_2, world.platform_admin
    # Asked for while the provider was only bidding: it waits, as every such change does.
    ok(await client.patch(url, json={"area_codes": [SWANSEA]}, headers=staff.headers))
    _, contract_id = await contracted(clock, world)  # Cardiff, domiciliary support
    staff, platform = world.staff_2, world.platform_admin  # signed in again

    refused = problem(
        await client.post(f"{url}/verify", headers=platform.headers), 409, "provider_has_contracts"
    )
    assert refused["contract_ids"] == [str(contract_id)]
    for person, body in (
        (staff, {"area_codes": [SWANSEA]}),
        (staff, {"service_types": ["respite"]}),
        (platform, {"area_codes": [SWANSEA], "name": "Gofal Arall"}),
    ):
        problem(
            await client.patch(url, json=body, headers=person.headers),
            409,
            "provider_has_contracts",
        )
    seen = (await client.get(url, headers=staff.headers)).json()
    assert (seen["area_codes"], seen["service_types"], seen["pending_changes"]) == (
        [CARDIFF],
        ["domiciliary_support"],
        {"area_codes": [SWANSEA]},
    )
    # Another provider, bidding on the same tender but holding no contract, is free to move.
    moved = ok(
        await client.patch(
            f"/api/v1/providers/{world.provider_1}",
            json={"area_codes": [SWANSEA]},
            headers=platform.headers,
        )
    ).json()
    assert moved["area_codes"] == [SWANSEA]
    # Offering more is no trouble, and it replaces what waited.
    more = ok(
        await client.patch(url, json={"area_codes": [CARDIFF, SWANSEA]}, headers=staff.headers)
    ).json()
    assert more["pending_changes"] == {"area_codes": [SWANSEA, CARDIFF]}

    text = (
        "name,service_types,area_codes,hourly_rate_pence,capacity_hours_per_week,"
        f"welsh_language,contact_email\n{seen['name']},domiciliary_support,{SWANSEA},2000,10,"
        f"full,{seen['contact_email']}\n"
    )
    imported = await client.post(
        "/api/v1/providers/import",
        content=text.encode(),
        headers={**platform.headers, "Content-Type": "text/csv"},
    )
    refused = problem(imported, 422, "validation_error")
    assert [e["loc"] for e in refused["errors"]] == [["body", 2, "area_codes"]]

    # Once every call-off has ended and its last day is past, nothing binds the provider.
    for member_id in (world.holder_a_member_id, world.holder_b_member_id):
        ok(
            await client.post(
                f"/api/v1/contracts/{contract_id}/call-offs/{member_id}/end",
                json={},
                headers=world.admin.headers,
            )
        )
    await travel(clock, world, timedelta(days=1))
    dropped = ok(
        await client.patch(
            url, json={"area_codes": [SWANSEA]}, headers=world.platform_admin.headers
        )
    ).json()
    assert dropped["area_codes"] == [SWANSEA]
