"""Ending a contract, the co-op's list of contracts, and the provider's name as signed
(SPEC sections 19, 21 and 25)."""

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.providers.models import Provider
from app.tenders.models import Contract
from tests.factories import Person, create_coop, register_person
from tests.helpers import ok, problem
from tests.tenders.conftest import World, travel
from tests.tenders.helpers import audit_entries
from tests.tenders.test_call_offs import end as end_call_off
from tests.tenders.test_call_offs import last_days
from tests.tenders.test_invoices import (
    fund,
    invoice_body,
    invoiceable,
    line,
    past_the_dispute_window,
    submit,
    submitted,
)
from tests.tenders.test_variations import contract_of, vary

TODAY = "2026-04-13"


async def end(
    client: httpx.AsyncClient,
    contract_id: uuid.UUID,
    person: Person,
    last_day: str,
    reason: str = "The provider is closing its Cardiff branch",
) -> httpx.Response:
    return await client.post(
        f"/api/v1/contracts/{contract_id}/end",
        json={"last_day": last_day, "reason": reason},
        headers=person.headers,
    )


class TestEndContract:
    async def test_every_call_off_ends_on_the_day_and_the_contract_reads_ended_after_it(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        response = await end(client, contract_id, world.admin, "2026-04-15")
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["status"], body["start_date"], body["end_date"]) == (
            "active",
            "2026-03-26",
            "2026-04-15",
        )
        assert {c["last_day"] for c in body["call_offs"]} == {"2026-04-15"}
        [set_entry] = await audit_entries(session, prefix="contract.end_set")
        assert set_entry.data["last_day"] == "2026-04-15"

        # Still running on its last day.
        await travel(clock, world, timedelta(days=2))
        assert (await contract_of(client, contract_id, world.holder_a))["status"] == "active"
        assert await audit_entries(session, prefix="contract.ended") == []

        # The day after, it reads ended, for everyone, once.
        await travel(clock, world, timedelta(days=1))
        for person in (world.holder_a, world.admin, world.staff_2):
            assert (await contract_of(client, contract_id, person))["status"] == "ended"
        [ended] = await audit_entries(session, prefix="contract.ended")
        assert ended.actor_user_id is None
        # The start of 16 April in Wales (BST).
        assert ended.data["ended_at"].startswith("2026-04-15T23:00:00")

        # Care up to the last day is still invoiced; none after it.
        await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 60), period=(TODAY, "2026-04-15")),
        )
        problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(
                    line(world.holder_a_member_id, 60), period=("2026-04-16", "2026-04-16")
                ),
            ),
            422,
            "no_call_off",
        )

    async def test_a_call_off_ending_earlier_keeps_its_day_and_none_ends_again(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        ok(await end_call_off(client, contract_id, world.holder_a_member_id, world.holder_a))
        ok(await end(client, contract_id, world.admin, "2026-04-30"))
        days = await last_days(session, contract_id)
        assert {k: v.isoformat() for k, v in days.items()} == {
            world.holder_a_member_id: TODAY,
            world.holder_b_member_id: "2026-04-30",
        }
        problem(
            await end_call_off(client, contract_id, world.holder_b_member_id, world.holder_b),
            409,
            "call_off_ended",
        )
        [entry] = await audit_entries(session, prefix="contract.end_set")
        assert entry.data["call_offs_ended"] == [str(world.holder_b_member_id)]

    async def test_it_is_ended_once_by_an_administrator_from_today_on(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        body = problem(
            await end(client, contract_id, world.admin, "2026-04-12"), 422, "validation_error"
        )
        assert [e["loc"] for e in body["errors"]] == [["body", "last_day"]]
        for person in (world.holder_a, world.staff_2):
            problem(await end(client, contract_id, person, TODAY), 403, "forbidden")
        for person in (world.outsider, world.staff_1, world.platform_admin):
            problem(await end(client, contract_id, person, TODAY), 404, "not_found")
        assert set((await last_days(session, contract_id)).values()) == {None}
        assert await audit_entries(session, prefix="contract.end_set") == []

        ok(await end(client, contract_id, world.admin, TODAY))
        body = problem(
            await end(client, contract_id, world.admin, "2026-05-01"), 409, "contract_ended"
        )
        assert TODAY in body["detail"]
        contract = await session.get(Contract, contract_id, populate_existing=True)
        assert contract is not None
        assert contract.end_date is not None
        assert contract.end_date.isoformat() == TODAY

    async def test_no_variation_starts_after_the_last_day(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        ok(await end(client, contract_id, world.admin, "2026-04-20"))
        problem(
            await vary(client, contract_id, world.admin, 2000, "2026-04-21"), 409, "contract_ended"
        )
        ok(await vary(client, contract_id, world.admin, 2000, "2026-04-20"))


async def listed(
    client: httpx.AsyncClient, world: World, person: Person, **params: str
) -> httpx.Response:
    return await client.get(
        f"/api/v1/coops/{world.coop_id}/contracts", params=params, headers=person.headers
    )


class TestListCoopContracts:
    async def test_members_list_the_contracts_seeing_their_own_call_offs(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        admin_view = ok(await listed(client, world, world.admin)).json()
        assert [c["id"] for c in admin_view["items"]] == [str(contract_id)]
        assert admin_view["next_cursor"] is None
        assert len(admin_view["items"][0]["call_offs"]) == 2
        own = ok(await listed(client, world, world.holder_b)).json()["items"][0]
        assert [c["member_id"] for c in own["call_offs"]] == [str(world.holder_b_member_id)]
        assert ok(await listed(client, world, world.carer)).json()["items"][0]["call_offs"] == []
        assert (own["provider_name"], own["status"], own["end_date"]) == (
            admin_view["items"][0]["provider_name"],
            "active",
            None,
        )

    async def test_it_filters_by_status_and_an_ended_contract_reads_ended(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        ok(await end(client, contract_id, world.admin, TODAY))
        assert ok(await listed(client, world, world.holder_a, status="ended")).json()["items"] == []
        await travel(clock, world, timedelta(days=1))
        ended = ok(await listed(client, world, world.holder_a, status="ended")).json()["items"]
        assert [(c["id"], c["status"]) for c in ended] == [(str(contract_id), "ended")]
        assert (
            ok(await listed(client, world, world.holder_a, status="active")).json()["items"] == []
        )

    async def test_nobody_outside_the_coop_sees_the_list(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        await invoiceable(clock, world)
        elsewhere = await register_person(client, full_name="Another Co-op's Admin")
        await create_coop(client, elsewhere, name="Cwmni Arall")
        for person in (elsewhere, world.outsider, world.staff_2, world.platform_admin):
            problem(await listed(client, world, person), 404, "not_found")
        problem(
            await client.get(f"/api/v1/coops/{world.coop_id}/contracts"), 401, "not_authenticated"
        )


class TestProviderNameAsSigned:
    async def test_invoices_statements_and_returns_keep_the_name_signed_under(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        signed_as = (await contract_of(client, contract_id, world.admin))["provider_name"]
        await session.execute(
            update(Provider).where(Provider.id == world.provider_2).values(name="Enw Newydd Cyf")
        )
        await session.commit()
        assert (await contract_of(client, contract_id, world.admin))["provider_name"] == signed_as

        await fund(client, world, world.holder_a, 10_000)
        invoice = await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 60), period=("2026-04-06", "2026-04-12")),
        )
        assert invoice["provider_name"] == signed_as
        await past_the_dispute_window(client, clock, world)
        ok(
            await client.post(
                f"/api/v1/invoices/{invoice['id']}/approve", headers=world.admin.headers
            )
        )

        statement: dict[str, Any] = ok(
            await client.get(
                f"/api/v1/coops/{world.coop_id}/members/{world.holder_a_member_id}/statement",
                headers=world.holder_a.headers,
            )
        ).json()
        memos = [m["memo"] for m in statement["movements"]]
        assert any(signed_as in (memo or "") for memo in memos), memos
        assert not any("Enw Newydd" in (memo or "") for memo in memos)

        dp_return = ok(
            await client.get(
                f"/api/v1/coops/{world.coop_id}/members/{world.holder_a_member_id}/dp-return",
                params={"period": "2026-Q2"},
                headers=world.holder_a.headers,
            )
        ).json()
        assert [(c["provider_id"], c["provider_name"]) for c in dp_return["care_bought"]] == [
            (str(world.provider_2), signed_as)
        ]
