"""A subject access request includes the care bought together: a holder's demand, call-off
and invoice lines, and what provider staff wrote (bids, invoices) — and nobody else's."""

from typing import Any

import httpx

from app.core.clock import FrozenClock
from tests.factories import Person
from tests.tenders.conftest import World
from tests.tenders.test_invoices import invoice_body, invoiceable, line, submitted


async def export_of(client: httpx.AsyncClient, person: Person) -> dict[str, Any]:
    response = await client.get("/api/v1/me/export", headers=person.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_export_holds_the_care_bought_and_what_staff_wrote(
    client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> None:
    _, contract_id = await invoiceable(clock, world)
    invoice = await submitted(
        client,
        contract_id,
        world.staff_2,
        invoice_body(
            line(world.holder_a_member_id, 60, "Morning calls"),
            line(world.holder_b_member_id, 30, "Shopping"),
        ),
    )

    mine = await export_of(client, world.holder_a)
    assert [d["hours_per_week"] for d in mine["tender_demand"]] == [10]
    assert [(c["hours_per_week"], c["last_day"]) for c in mine["call_offs"]] == [(10, None)]
    assert [(i["description"], i["minutes"]) for i in mine["invoice_lines"]] == [
        ("Morning calls", 60)
    ]
    assert "Shopping" not in str(mine)
    assert mine["bids_submitted"] == mine["invoices_submitted"] == []

    staff = await export_of(client, world.staff_2)
    assert [b["provider_id"] for b in staff["bids_submitted"]] == [str(world.provider_2)]
    assert [i["id"] for i in staff["invoices_submitted"]] == [invoice["id"]]
    assert staff["invoice_lines"] == staff["call_offs"] == staff["tender_demand"] == []
