"""Invoices built from visits, lines naming visits, the co-op's visits-only rule, and what an
upheld dispute does to the visits it covered."""

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.invoices.pricing import line_amount
from app.tenders.models import Invoice
from tests.factories import agree_rules, set_admin
from tests.helpers import ok, problem
from tests.tenders.conftest import World, travel
from tests.tenders.helpers import count
from tests.tenders.test_invoices import line, submit, submitted
from tests.tenders.test_variations import vary
from tests.tenders.visiting import act, recorded, stored, visit_body, visiting

RATE = 2135
PERIOD = ("2026-03-26", "2026-03-29")


def from_visits(period: tuple[str, str] = PERIOD) -> dict[str, Any]:
    return {"period_start": period[0], "period_end": period[1], "from_visits": True}


def typed(*lines: dict[str, Any], period: tuple[str, str] = PERIOD) -> dict[str, Any]:
    return {"period_start": period[0], "period_end": period[1], "lines": list(lines)}


async def confirmed_visit(
    client: httpx.AsyncClient, contract_id: uuid.UUID, world: World, **body: Any
) -> dict[str, Any]:
    """A visit recorded by provider 2 and confirmed by its member (holder A by default)."""
    member = body.pop("member_id", world.holder_a_member_id)
    holder = world.holder_a if member == world.holder_a_member_id else world.holder_b
    visit = await recorded(client, contract_id, world, visit_body(member, **body))
    return dict(ok(await act(client, visit["id"], "confirm", holder.headers)).json())


class TestFromVisits:
    async def test_one_line_per_member_from_their_confirmed_visits_not_yet_invoiced(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        a, b = world.holder_a_member_id, world.holder_b_member_id
        a_later = await confirmed_visit(client, contract_id, world, day="2026-03-28")
        a_first = await confirmed_visit(client, contract_id, world, day="2026-03-27", end="09:45")
        b_visit = await confirmed_visit(
            client, contract_id, world, member_id=b, start="11:00", end="11:30"
        )
        # Left out: one still to confirm, one queried, and one outside the period.
        await recorded(client, contract_id, world, visit_body(a, "2026-03-29"))
        queried = await recorded(client, contract_id, world, visit_body(b, "2026-03-28"))
        ok(await act(client, queried["id"], "query", world.holder_b.headers, {"reason": "No"}))
        await confirmed_visit(
            client, contract_id, world, day="2026-03-30", start="07:00", end="08:00"
        )

        invoice = await submitted(client, contract_id, world.staff_2, from_visits())
        assert [
            (ln["member_id"], ln["minutes"], ln["visit_ids"], ln["amount_pence"])
            for ln in invoice["lines"]
        ] == [
            (str(a), 45 + 60, [a_first["id"], a_later["id"]], line_amount(RATE, 105)),
            (str(b), 30, [b_visit["id"]], line_amount(RATE, 30)),
        ]
        assert invoice["lines"][0]["description"].startswith("Visits 2026-03-26..2026-03-29")
        for visit in (a_first, a_later, b_visit):
            read = ok(
                await client.get(f"/api/v1/visits/{visit['id']}", headers=world.admin.headers)
            )
            assert read.json()["invoice_id"] == invoice["id"]

        # Nothing is left to invoice for the period: a visit is invoiced once.
        problem(await submit(client, contract_id, world.staff_2, from_visits()), 422, "no_visits")
        assert await count(session, Invoice) == 1

    async def test_visits_due_for_automatic_confirmation_are_invoiced(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        visit = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
        problem(await submit(client, contract_id, world.staff_2, from_visits()), 422, "no_visits")
        await travel(clock, world, timedelta(hours=48))
        invoice = await submitted(client, contract_id, world.staff_2, from_visits())
        assert invoice["lines"][0]["visit_ids"] == [visit["id"]]
        assert (await stored(session, visit["id"])).confirmed_by == "auto"

    async def test_the_call_off_still_limits_what_visits_may_be_invoiced(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        # Holder B buys 6 hours a week: a day's allowance is 6 x 60 / 7, about 51 minutes.
        await confirmed_visit(client, contract_id, world, member_id=world.holder_b_member_id)
        body = problem(
            await submit(
                client, contract_id, world.staff_2, from_visits(("2026-03-27", "2026-03-27"))
            ),
            422,
            "beyond_call_off",
        )
        assert body["members"] == [str(world.holder_b_member_id)]
        assert await count(session, Invoice) == 0

    async def test_visits_are_priced_at_the_rate_of_their_own_day(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        ok(await vary(client, contract_id, world.admin, 2000, "2026-03-28"))
        before = await confirmed_visit(client, contract_id, world, day="2026-03-27")
        after = await confirmed_visit(client, contract_id, world, day="2026-03-28")
        invoice = await submitted(client, contract_id, world.staff_2, from_visits())
        [billed] = invoice["lines"]
        assert billed["visit_ids"] == [before["id"], after["id"]]
        assert billed["amount_pence"] == line_amount(RATE, 60) + line_amount(2000, 60)
        # A line typed by hand states no days: its period may not span the change.
        problem(
            await submit(
                client, contract_id, world.staff_2, typed(line(world.holder_a_member_id, 30))
            ),
            422,
            "period_spans_variation",
        )


class TestTypedLinesNamingVisits:
    async def test_a_line_bills_the_visits_it_names_and_their_minutes(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        a = world.holder_a_member_id
        one = await confirmed_visit(client, contract_id, world, day="2026-03-27")
        two = await confirmed_visit(client, contract_id, world, day="2026-03-28", end="09:30")
        named = {
            "member_id": str(a),
            "description": "Personal care",
            "visit_ids": [two["id"], one["id"]],
        }
        invoice = await submitted(
            client, contract_id, world.staff_2, typed(named, line(a, 15, "Phone call"))
        )
        first, second = invoice["lines"]
        assert (first["minutes"], first["visit_ids"], first["amount_pence"]) == (
            90,
            [one["id"], two["id"]],
            line_amount(RATE, 90),
        )
        assert (second["minutes"], second["visit_ids"]) == (15, [])

    async def test_what_a_line_may_not_name(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        a, b = world.holder_a_member_id, world.holder_b_member_id
        mine = await confirmed_visit(client, contract_id, world)
        theirs = await confirmed_visit(client, contract_id, world, member_id=b, start="11:00")
        outside = await confirmed_visit(
            client, contract_id, world, day="2026-03-30", start="07:00", end="08:00"
        )
        unconfirmed = await recorded(client, contract_id, world, visit_body(a, "2026-03-28"))

        def naming(*ids: str, minutes: int | None = None) -> dict[str, Any]:
            body: dict[str, Any] = {
                "member_id": str(a),
                "description": "Care",
                "visit_ids": list(ids),
            }
            if minutes is not None:
                body["minutes"] = minutes
            return body

        for bad_line, field in (
            (naming(mine["id"], minutes=90), "minutes"),
            (naming(theirs["id"]), "visit_ids"),
            (naming(outside["id"]), "visit_ids"),
            (naming(str(uuid.uuid4())), "visit_ids"),
            ({"member_id": str(a), "description": "Care"}, "minutes"),
        ):
            refused = problem(
                await submit(client, contract_id, world.staff_2, typed(bad_line)),
                422,
                "validation_error",
            )
            assert [e["loc"] for e in refused["errors"]] == [["body", "lines", 0, field]], bad_line
        twice = problem(
            await submit(
                client, contract_id, world.staff_2, typed(naming(mine["id"]), naming(mine["id"]))
            ),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in twice["errors"]] == [["body", "lines", 1, "visit_ids"]]
        not_yet = problem(
            await submit(client, contract_id, world.staff_2, typed(naming(unconfirmed["id"]))),
            409,
            "visit_not_confirmed",
        )
        assert not_yet["visit_ids"] == [unconfirmed["id"]]
        assert await count(session, Invoice) == 0

        await submitted(client, contract_id, world.staff_2, typed(naming(mine["id"])))
        taken = problem(
            await submit(client, contract_id, world.staff_2, typed(naming(mine["id"]))),
            409,
            "visit_invoiced",
        )
        assert taken["visit_ids"] == [mine["id"]]
        assert await count(session, Invoice) == 1

    async def test_lines_or_from_visits_exactly_one(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        both = {**from_visits(), "lines": [line(world.holder_a_member_id, 30)]}
        neither = {"period_start": PERIOD[0], "period_end": PERIOD[1]}
        for body in (both, neither):
            refused = problem(
                await submit(client, contract_id, world.staff_2, body), 422, "validation_error"
            )
            assert [e["loc"] for e in refused["errors"]] == [["body", "lines"]]
        assert await count(session, Invoice) == 0


class TestVisitsOnlyRule:
    async def test_under_the_rule_every_line_names_its_visits(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        coop = f"/api/v1/coops/{world.coop_id}"
        # Turning it on guards the holders: it applies at once.
        turned_on = await client.patch(
            coop, json={"rules": {"invoices_from_visits_only": True}}, headers=world.admin.headers
        )
        assert turned_on.status_code == 200, turned_on.text
        assert turned_on.json()["rules"]["invoices_from_visits_only"] is True
        visit = await confirmed_visit(client, contract_id, world)
        named = {
            "member_id": str(world.holder_a_member_id),
            "description": "Care",
            "visit_ids": [visit["id"]],
        }
        body = problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                typed(named, line(world.holder_a_member_id, 20)),
            ),
            422,
            "visits_required",
        )
        assert body["lines"] == [1]
        assert await count(session, Invoice) == 0
        await submitted(client, contract_id, world.staff_2, typed(named))
        # Turning it off again weakens the safeguard: it waits for a second administrator.
        turned_off = await client.patch(
            coop, json={"rules": {"invoices_from_visits_only": False}}, headers=world.admin.headers
        )
        assert turned_off.status_code == 202, turned_off.text
        await set_admin(client, world.coop_id, world.carer, world.admin, True)
        await agree_rules(
            client, world.coop_id, world.admin, world.carer, {"invoices_from_visits_only": False}
        )
        await submitted(
            client,
            contract_id,
            world.staff_2,
            typed(line(world.holder_a_member_id, 20), period=("2026-03-30", "2026-03-30")),
        )


class TestDisputedVisits:
    async def test_an_upheld_dispute_rejects_the_lines_visits_for_good(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        disputed = await confirmed_visit(client, contract_id, world)
        kept = await confirmed_visit(client, contract_id, world, member_id=world.holder_b_member_id)
        invoice = await submitted(client, contract_id, world.staff_2, from_visits())
        # One line per member, in whatever order the invoice lists them.
        by_member = {line["member_id"]: line for line in invoice["lines"]}
        line_a = by_member[str(world.holder_a_member_id)]
        line_b = by_member[str(world.holder_b_member_id)]
        base = f"/api/v1/invoices/{invoice['id']}/lines"
        for line_id, holder in ((line_a["id"], world.holder_a), (line_b["id"], world.holder_b)):
            ok(
                await client.post(
                    f"{base}/{line_id}/dispute",
                    json={"reason": "The carer did not stay"},
                    headers=holder.headers,
                )
            )
        ok(
            await client.post(
                f"{base}/{line_a['id']}/resolve",
                json={"outcome": "upheld", "note": "The rota shows a missed visit"},
                headers=world.admin.headers,
            )
        )
        ok(
            await client.post(
                f"{base}/{line_b['id']}/resolve",
                json={"outcome": "rejected", "note": "The visit took place"},
                headers=world.admin.headers,
            )
        )
        rejected = await stored(session, disputed["id"])
        assert (rejected.status, rejected.resolution_note) == (
            "rejected",
            "The rota shows a missed visit",
        )
        assert (await stored(session, kept["id"])).status == "confirmed"
        read = ok(
            await client.get(f"/api/v1/visits/{disputed['id']}", headers=world.holder_a.headers)
        )
        assert (read.json()["status"], read.json()["invoice_id"]) == ("rejected", invoice["id"])
        # On a voided line, the visit is not free again: it was rejected with it.
        problem(await submit(client, contract_id, world.staff_2, from_visits()), 422, "no_visits")
        named = {
            "member_id": str(world.holder_a_member_id),
            "description": "Again",
            "visit_ids": [disputed["id"]],
        }
        problem(
            await submit(client, contract_id, world.staff_2, typed(named)),
            409,
            "visit_not_confirmed",
        )
        problem(
            await act(client, disputed["id"], "confirm", world.holder_a.headers),
            409,
            "invalid_transition",
        )
