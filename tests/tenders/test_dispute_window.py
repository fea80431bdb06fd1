"""The dispute window: an invoice waits `invoice_dispute_days` after submission before it may
be approved, unless its members agreed everything on it (accepted lines, or visits they
confirmed themselves)."""

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.ledger.models import LedgerTransaction
from app.tenders.invoices import checking
from tests.factories import grant_mandate
from tests.helpers import ok, problem
from tests.tenders.conftest import World, travel
from tests.tenders.helpers import audit_entries, count
from tests.tenders.test_invoice_visits import confirmed_visit, from_visits, typed
from tests.tenders.test_invoices import fund, line
from tests.tenders.visiting import act, recorded, visit_body, visiting


async def invoice_of(
    client: httpx.AsyncClient, contract_id: Any, world: World, body: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/contracts/{contract_id}/invoices", json=body, headers=world.staff_2.headers
    )
    assert response.status_code == 201, response.text
    invoice: dict[str, Any] = response.json()
    return invoice


async def approve(
    client: httpx.AsyncClient, invoice: dict[str, Any], world: World
) -> httpx.Response:
    return await client.post(
        f"/api/v1/invoices/{invoice['id']}/approve", headers=world.admin.headers
    )


async def accept(
    client: httpx.AsyncClient, invoice: dict[str, Any], index: int, headers: dict[str, str]
) -> httpx.Response:
    line_id = invoice["lines"][index]["id"]
    return await client.post(
        f"/api/v1/invoices/{invoice['id']}/lines/{line_id}/accept", headers=headers
    )


async def to_check(session: AsyncSession, world: World) -> tuple[int, int]:
    """How many invoices holder A and holder B each have to check (their home pages say)."""
    found = await checking.to_check(session, [world.holder_a_member_id, world.holder_b_member_id])
    return found.get(world.holder_a_member_id, 0), found.get(world.holder_b_member_id, 0)


async def funded(client: httpx.AsyncClient, clock: FrozenClock, world: World) -> Any:
    for holder in (world.holder_a, world.holder_b):
        await fund(client, world, holder, 20_000)
    return await visiting(client, clock, world)


class TestWindow:
    async def test_approval_waits_two_days_from_submission(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await funded(client, clock, world)
        invoice = await invoice_of(
            client, contract_id, world, typed(line(world.holder_a_member_id, 60))
        )
        body = problem(await approve(client, invoice, world), 409, "dispute_window_open")
        assert body["opens_at"] == "2026-04-01T09:00:00+00:00"
        await travel(clock, world, timedelta(days=2) - timedelta(seconds=1))
        problem(await approve(client, invoice, world), 409, "dispute_window_open")
        assert await count(session, LedgerTransaction, kind="invoice_approval") == 0
        await travel(clock, world, timedelta(seconds=1))
        assert ok(await approve(client, invoice, world)).json()["status"] == "approved"

    async def test_the_window_follows_the_coops_rule(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await funded(client, clock, world)
        # More days to dispute guards the holders: it applies at once; fewer takes two.
        longer = await client.patch(
            f"/api/v1/coops/{world.coop_id}",
            json={"rules": {"invoice_dispute_days": 5}},
            headers=world.admin.headers,
        )
        assert longer.status_code == 200, longer.text
        shorter = await client.patch(
            f"/api/v1/coops/{world.coop_id}",
            json={"rules": {"invoice_dispute_days": 1}},
            headers=world.admin.headers,
        )
        assert shorter.status_code == 202, shorter.text
        invoice = await invoice_of(
            client, contract_id, world, typed(line(world.holder_a_member_id, 60))
        )
        await travel(clock, world, timedelta(days=4))
        body = problem(await approve(client, invoice, world), 409, "dispute_window_open")
        assert body["opens_at"] == "2026-04-04T09:00:00+00:00"
        await travel(clock, world, timedelta(days=1))
        ok(await approve(client, invoice, world))


class TestAcceptedLines:
    async def test_every_line_accepted_opens_approval_at_once(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        await grant_mandate(client, world.holder_b, world.carer, scopes=("view",))
        contract_id = await funded(client, clock, world)
        invoice = await invoice_of(
            client,
            contract_id,
            world,
            typed(line(world.holder_a_member_id, 60), line(world.holder_b_member_id, 30)),
        )
        assert await to_check(session, world) == (1, 1)
        accepted = ok(await accept(client, invoice, 0, world.holder_a.headers)).json()
        [own] = accepted["lines"]
        assert own["accepted_at"] == "2026-03-30T09:00:00Z"
        # One line of two agreed: the other member may still dispute theirs.
        assert await to_check(session, world) == (0, 1)
        problem(await approve(client, invoice, world), 409, "dispute_window_open")
        ok(await accept(client, invoice, 1, world.carer.on_behalf_of(world.holder_b)))
        assert await to_check(session, world) == (0, 0)
        assert ok(await approve(client, invoice, world)).json()["status"] == "approved"
        entries = await audit_entries(session, prefix="invoice.line_accepted")
        assert [e.on_behalf_of_user_id for e in entries] == [None, world.holder_b.id]

    async def test_an_accepted_line_is_not_disputed_and_is_accepted_once(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await funded(client, clock, world)
        invoice = await invoice_of(
            client,
            contract_id,
            world,
            typed(line(world.holder_a_member_id, 60), line(world.holder_a_member_id, 30)),
        )
        ok(await accept(client, invoice, 0, world.holder_a.headers))
        problem(await accept(client, invoice, 0, world.holder_a.headers), 409, "invalid_transition")
        base = f"/api/v1/invoices/{invoice['id']}/lines"
        problem(
            await client.post(
                f"{base}/{invoice['lines'][0]['id']}/dispute",
                json={"reason": "Changed my mind"},
                headers=world.holder_a.headers,
            ),
            409,
            "invalid_transition",
        )
        ok(
            await client.post(
                f"{base}/{invoice['lines'][1]['id']}/dispute",
                json={"reason": "Only 20 minutes"},
                headers=world.holder_a.headers,
            )
        )
        problem(await accept(client, invoice, 1, world.holder_a.headers), 409, "invalid_transition")

    async def test_only_the_member_accepts_and_never_a_representative_for_their_own_work(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        await grant_mandate(client, world.holder_a, world.staff_2, scopes=("view",))
        await grant_mandate(client, world.holder_a, world.carer, scopes=("contribute",))
        contract_id = await funded(client, clock, world)
        invoice = await invoice_of(
            client, contract_id, world, typed(line(world.holder_a_member_id, 60))
        )
        for person in (world.admin, world.staff_2):
            problem(await accept(client, invoice, 0, person.headers), 403, "forbidden")
        problem(await accept(client, invoice, 0, world.holder_b.headers), 404, "not_found")
        problem(
            await accept(client, invoice, 0, world.staff_2.on_behalf_of(world.holder_a)),
            403,
            "conflict_of_interest",
        )
        problem(
            await accept(client, invoice, 0, world.carer.on_behalf_of(world.holder_a)),
            403,
            "outside_mandate",
        )
        problem(await approve(client, invoice, world), 409, "dispute_window_open")


class TestConfirmedVisits:
    async def test_visits_each_confirmed_by_the_member_or_a_representative_open_approval(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        await grant_mandate(client, world.holder_b, world.carer, scopes=("view",))
        contract_id = await funded(client, clock, world)
        await confirmed_visit(client, contract_id, world)
        theirs = await recorded(
            client,
            contract_id,
            world,
            visit_body(world.holder_b_member_id, start="11:00", end="11:30"),
        )
        ok(await act(client, theirs["id"], "confirm", world.carer.on_behalf_of(world.holder_b)))
        invoice = await invoice_of(client, contract_id, world, from_visits())
        assert await to_check(session, world) == (0, 0)  # agreed visit by visit
        assert ok(await approve(client, invoice, world)).json()["status"] == "approved"

    async def test_visits_the_member_did_not_confirm_keep_the_window_open(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await funded(client, clock, world)
        a = world.holder_a_member_id
        await confirmed_visit(client, contract_id, world)
        # One settled by an administrator after a query, one confirmed when its hours ran out.
        settled = await recorded(client, contract_id, world, visit_body(a, "2026-03-28"))
        ok(await act(client, settled["id"], "query", world.holder_a.headers, {"reason": "Late"}))
        ok(
            await act(
                client,
                settled["id"],
                "resolve",
                world.admin.headers,
                {"outcome": "confirmed", "note": "Ten minutes late is on time"},
            )
        )
        invoice = await invoice_of(client, contract_id, world, from_visits())
        problem(await approve(client, invoice, world), 409, "dispute_window_open")
        assert await to_check(session, world) == (1, 0)
        # Accepting the line agrees it all the same.
        ok(await accept(client, invoice, 0, world.holder_a.headers))
        assert await to_check(session, world) == (0, 0)
        ok(await approve(client, invoice, world))

        await recorded(client, contract_id, world, visit_body(a, "2026-03-30", "07:00", "08:00"))
        await travel(clock, world, timedelta(hours=48))
        automatic = await invoice_of(
            client, contract_id, world, from_visits(("2026-03-30", "2026-03-30"))
        )
        assert automatic["lines"][0]["minutes"] == 60
        problem(await approve(client, automatic, world), 409, "dispute_window_open")
        assert await to_check(session, world) == (1, 0)  # confirmed when its hours ran out
