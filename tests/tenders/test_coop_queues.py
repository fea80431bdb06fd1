"""The treasurer's month end on the tenders side: the co-op's invoices by status, and the
co-op's tenders by status."""

from datetime import timedelta

import httpx

from app.core.clock import FrozenClock
from tests.factories import create_tender, open_tender, sign_in_again
from tests.helpers import ok, problem
from tests.tenders.conftest import World
from tests.tenders.test_invoices import fund, invoice_body, invoiceable, line, submitted


class TestCoopInvoices:
    async def test_the_queue_by_status_a_member_sees_their_own_lines(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        await fund(client, world, world.holder_a, 30_000)
        _, contract_id = await invoiceable(clock, world)
        first = await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 60), line(world.holder_b_member_id, 60)),
        )
        clock.advance(timedelta(minutes=1))
        second = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 30))
        )
        # The holder accepts her line, which lifts the dispute window (SPEC 15).
        accept = f"/api/v1/invoices/{second['id']}/lines/{second['lines'][0]['id']}/accept"
        ok(await client.post(accept, headers=world.holder_a.headers))
        ok(
            await client.post(
                f"/api/v1/invoices/{second['id']}/approve", headers=world.admin.headers
            )
        )
        url = f"/api/v1/coops/{world.coop_id}/invoices"
        everything = ok(await client.get(url, headers=world.admin.headers)).json()
        assert [i["id"] for i in everything["items"]] == [second["id"], first["id"]]
        assert [len(i["lines"]) for i in everything["items"]] == [1, 2]
        waiting = ok(
            await client.get(url, params={"status": "submitted"}, headers=world.admin.headers)
        ).json()
        assert [i["id"] for i in waiting["items"]] == [first["id"]]
        approved = ok(
            await client.get(url, params={"status": "approved"}, headers=world.admin.headers)
        ).json()
        assert [(i["id"], i["status"]) for i in approved["items"]] == [(second["id"], "approved")]
        hers = ok(await client.get(url, headers=world.holder_b.headers)).json()
        assert [i["id"] for i in hers["items"]] == [first["id"]]
        assert [ln["member_id"] for ln in hers["items"][0]["lines"]] == [
            str(world.holder_b_member_id)
        ]
        assert hers["items"][0]["total_pence"] == 2_135
        assert ok(await client.get(url, headers=world.carer.headers)).json()["items"] == []
        for person in (world.staff_2, world.outsider, world.platform_admin):
            problem(await client.get(url, headers=person.headers), 404, "not_found")
        bad = await client.get(url, params={"status": "unpaid"}, headers=world.admin.headers)
        problem(bad, 422, "validation_error")


class TestCoopTenders:
    async def test_by_status_drafts_included_and_settled_first(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        draft = await create_tender(client, world.coop_id, world.admin)
        soon = (clock.now() + timedelta(hours=1)).isoformat()
        closing = await open_tender(client, world.coop_id, world.admin, submission_deadline=soon)
        url = f"/api/v1/coops/{world.coop_id}/tenders"

        async def ids(status: str) -> list[str]:
            response = await client.get(url, params={"status": status}, headers=world.carer.headers)
            return [t["id"] for t in ok(response).json()["items"]]

        assert await ids("draft") == [str(draft)]
        assert await ids("open") == [str(closing)]
        clock.advance(timedelta(hours=2))
        await sign_in_again(client, world.carer)
        # Past its deadline with no bid, the tender is found as it reads: unsuccessful.
        assert await ids("open") == []
        assert await ids("unsuccessful") == [str(closing)]
