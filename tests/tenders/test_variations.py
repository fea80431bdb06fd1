"""Varying a contract's rate: applied at once or by the members' vote, never reaching back
into what was invoiced, and pricing invoices by the rate in force (SPEC sections 21, 25)."""

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.governance.models import Proposal
from app.tenders.models import ContractVariation
from tests.factories import Person, set_admin
from tests.helpers import ok, problem
from tests.tenders.conftest import World, travel
from tests.tenders.helpers import audit_entries, count
from tests.tenders.test_invoices import invoice_body, invoiceable, line, submit, submitted

SIGNED = 2135
# The clock stands at 2026-04-13 (INVOICING_DAY) once the contract is invoiceable.
TODAY = "2026-04-13"


async def vary(
    client: httpx.AsyncClient,
    contract_id: uuid.UUID,
    person: Person,
    rate: int,
    from_date: str,
    reason: str = "Agreed with the provider for the new wage rates",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/contracts/{contract_id}/variations",
        json={"hourly_rate_pence": rate, "from_date": from_date, "reason": reason},
        headers=person.headers,
    )


async def contract_of(
    client: httpx.AsyncClient, contract_id: uuid.UUID, person: Person
) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        await client.get(f"/api/v1/contracts/{contract_id}", headers=person.headers)
    ).json()
    return body


async def vote_all(client: httpx.AsyncClient, world: World, proposal_id: str, choice: str) -> None:
    for person in (world.admin, world.holder_a, world.holder_b, world.carer):
        ok(
            await client.post(
                f"/api/v1/proposals/{proposal_id}/votes",
                json={"choice": choice},
                headers=person.headers,
            )
        )


def amounts(invoice: dict[str, Any]) -> list[int]:
    return [item["amount_pence"] for item in invoice["lines"]]


class TestVariationWithinTheRule:
    async def test_it_applies_at_once_and_invoices_are_priced_either_side_of_the_day(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        response = await vary(client, contract_id, world.admin, 2200, "2026-04-06")
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {
            "id": body["id"],
            "hourly_rate_pence": 2200,
            "from_date": "2026-04-06",
            "status": "applied",
            "proposal_id": None,
            "reason": "Agreed with the provider for the new wage rates",
            "created_at": "2026-04-13T09:00:00Z",
            "decided_at": "2026-04-13T09:00:00Z",
        }
        # 45 minutes: (2135 x 45 + 30) // 60 = 1601 before; (2200 x 45 + 30) // 60 = 1650 from.
        before = await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 45), period=("2026-03-30", "2026-04-05")),
        )
        from_it = await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 45), period=("2026-04-06", "2026-04-12")),
        )
        assert (amounts(before), amounts(from_it)) == ([1601], [1650])
        contract = await contract_of(client, contract_id, world.holder_b)
        assert contract["hourly_rate_pence"] == SIGNED
        assert [(v["hourly_rate_pence"], v["status"]) for v in contract["variations"]] == [
            (2200, "applied")
        ]
        actions = [e.action for e in await audit_entries(session, prefix="contract.variation")]
        assert actions == ["contract.variation_proposed", "contract.variation_applied"]

    async def test_a_hand_typed_period_may_not_span_the_day_the_rate_changes(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        ok(await vary(client, contract_id, world.admin, 2200, "2026-04-06"))
        body = problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(
                    line(world.holder_a_member_id, 45), period=("2026-04-01", "2026-04-06")
                ),
            ),
            422,
            "period_spans_variation",
        )
        assert body["from_dates"] == ["2026-04-06"]
        assert "2026-04-06" in body["detail"]
        assert await audit_entries(session, prefix="invoice.submitted") == []

    async def test_lowering_the_rate_never_needs_a_vote(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        response = ok(await vary(client, contract_id, world.admin, 1800, TODAY))
        assert response.json()["status"] == "applied"
        assert await count(session, Proposal) == 0


class TestVariationReachingBack:
    async def test_a_new_rate_may_not_start_within_or_before_an_invoiced_period(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 60), period=("2026-03-30", "2026-04-05")),
        )
        for day in ("2026-03-28", "2026-04-01", "2026-04-05"):
            body = problem(
                await vary(client, contract_id, world.admin, 2200, day), 422, "invoiced_period"
            )
            assert "2026-04-06" in body["detail"]
        assert await count(session, ContractVariation) == 0
        ok(await vary(client, contract_id, world.admin, 2200, "2026-04-06"))

    async def test_a_new_rate_may_not_start_before_the_contract(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        body = problem(
            await vary(client, contract_id, world.admin, 2200, "2026-03-25"),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [["body", "from_date"]]
        assert await count(session, ContractVariation) == 0

    async def test_only_the_coops_administrators_vary_it(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        for person in (world.holder_a, world.staff_2):
            problem(await vary(client, contract_id, person, 2200, TODAY), 403, "forbidden")
        for person in (world.outsider, world.staff_1, world.platform_admin):
            problem(await vary(client, contract_id, person, 2200, TODAY), 404, "not_found")
        assert await count(session, ContractVariation) == 0


class TestVariationByVote:
    async def test_a_rise_beyond_the_rule_waits_for_the_vote_and_applies_when_it_passes(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        # 5% over 2135 is 2241.75: 2242 is beyond the co-op's default rule.
        body = ok(await vary(client, contract_id, world.admin, 2242, TODAY)).json()
        assert (body["status"], body["decided_at"]) == ("pending_vote", None)
        proposal = ok(
            await client.get(
                f"/api/v1/proposals/{body['proposal_id']}", headers=world.carer.headers
            )
        ).json()
        assert (proposal["kind"], proposal["subject_id"], proposal["status"]) == (
            "contract_variation",
            str(contract_id),
            "open",
        )
        assert proposal["closes_at"] == "2026-04-20T09:00:00Z"
        assert "£22.42" in proposal["body"]
        assert "£21.35" in proposal["body"]

        # Until the vote closes, care from its first day is not invoiced, nor is another
        # variation made.
        today = invoice_body(line(world.holder_a_member_id, 60), period=(TODAY, TODAY))
        problem(await submit(client, contract_id, world.staff_2, today), 409, "variation_pending")
        problem(await vary(client, contract_id, world.admin, 2000, TODAY), 409, "variation_pending")
        # Days before it are invoiced as ever.
        earlier = invoice_body(
            line(world.holder_a_member_id, 60), period=("2026-04-06", "2026-04-12")
        )
        assert amounts(await submitted(client, contract_id, world.staff_2, earlier)) == [SIGNED]

        await travel(clock, world, timedelta(hours=1))
        await vote_all(client, world, body["proposal_id"], "yes")
        [variation] = (await contract_of(client, contract_id, world.admin))["variations"]
        assert (variation["status"], variation["decided_at"]) == (
            "applied",
            "2026-04-13T10:00:00Z",
        )
        assert amounts(await submitted(client, contract_id, world.staff_2, today)) == [2242]
        [applied] = await audit_entries(session, prefix="contract.variation_applied")
        assert applied.actor_user_id is not None
        assert applied.data["proposal_id"] == body["proposal_id"]

    async def test_a_rise_the_members_reject_never_applies(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        body = ok(await vary(client, contract_id, world.admin, 2500, TODAY)).json()
        await vote_all(client, world, body["proposal_id"], "no")
        [variation] = (await contract_of(client, contract_id, world.holder_a))["variations"]
        assert variation["status"] == "rejected"
        today = invoice_body(line(world.holder_a_member_id, 60), period=(TODAY, TODAY))
        assert amounts(await submitted(client, contract_id, world.staff_2, today)) == [SIGNED]
        [rejected] = await audit_entries(session, prefix="contract.variation_rejected")
        assert rejected.data["vote"] == "rejected"
        # Another may be asked for once the vote is over.
        assert (
            ok(await vary(client, contract_id, world.admin, 2240, "2026-04-14")).json()["status"]
            == "applied"
        )

    async def test_a_vote_closing_by_time_is_settled_when_the_contract_is_read(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        body = ok(await vary(client, contract_id, world.admin, 2400, "2026-04-20")).json()
        ok(
            await client.post(
                f"/api/v1/proposals/{body['proposal_id']}/votes",
                json={"choice": "yes"},
                headers=world.holder_a.headers,
            )
        )
        await travel(clock, world, timedelta(days=7))
        [variation] = (await contract_of(client, contract_id, world.staff_2))["variations"]
        assert (variation["status"], variation["decided_at"]) == (
            "applied",
            "2026-04-20T09:00:00Z",
        )

    async def test_small_rises_add_up_measured_from_the_rate_at_signing(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        first = ok(await vary(client, contract_id, world.admin, 2241, "2026-04-06")).json()
        assert first["status"] == "applied"
        # Less than 1% over the rate now in force, but more than 5% over the rate signed.
        second = ok(await vary(client, contract_id, world.admin, 2250, TODAY)).json()
        assert second["status"] == "pending_vote"

    async def test_raising_the_rule_takes_two_administrators_then_more_applies_at_once(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        asked = await client.patch(
            f"/api/v1/coops/{world.coop_id}",
            json={"rules": {"variation_vote_percent": 10}},
            headers=world.admin.headers,
        )
        assert asked.status_code == 202, asked.text
        coop = ok(await client.get(f"/api/v1/coops/{world.coop_id}", headers=world.admin.headers))
        assert coop.json()["rules"]["variation_vote_percent"] == 5
        await set_admin(client, world.coop_id, world.carer, world.admin, True)
        ok(
            await client.post(
                f"/api/v1/coops/{world.coop_id}/rule-changes/{asked.json()['rule_change_id']}"
                "/approve",
                headers=world.carer.headers,
            )
        )
        # 2300 is 7.7% over 2135: within the new rule.
        assert (
            ok(await vary(client, contract_id, world.admin, 2300, TODAY)).json()["status"]
            == "applied"
        )
