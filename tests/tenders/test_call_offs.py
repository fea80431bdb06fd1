"""Ending a member's call-off: who may, what the provider may invoice afterwards, and
leaving the co-op once the last day has passed."""

import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.models import CallOff
from tests.factories import Person
from tests.helpers import problem
from tests.tenders.conftest import World, travel
from tests.tenders.helpers import audit_entries
from tests.tenders.test_invoices import fund, invoice_body, invoiceable, line, submit, submitted


async def end(
    client: httpx.AsyncClient,
    contract_id: uuid.UUID,
    member_id: uuid.UUID,
    person: Person,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/contracts/{contract_id}/call-offs/{member_id}/end",
        json=body or {},
        headers=person.headers,
    )


async def last_days(session: AsyncSession, contract_id: uuid.UUID) -> dict[uuid.UUID, Any]:
    session.expire_all()
    rows = await session.execute(
        CallOff.__table__.select().where(CallOff.contract_id == contract_id)
    )
    return {row.member_id: row.last_day for row in rows}


class TestEndCallOff:
    async def test_the_member_ends_their_own_call_off_from_today(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        today = clock.now().date().isoformat()
        response = await end(client, contract_id, world.holder_a_member_id, world.holder_a)
        assert response.status_code == 200, response.text
        # A member sees their own call-off only.
        assert response.json()["call_offs"] == [
            {"member_id": str(world.holder_a_member_id), "hours_per_week": 10, "last_day": today}
        ]
        admin_view = await client.get(
            f"/api/v1/contracts/{contract_id}", headers=world.admin.headers
        )
        by_member = {c["member_id"]: c["last_day"] for c in admin_view.json()["call_offs"]}
        assert by_member == {
            str(world.holder_a_member_id): today,
            str(world.holder_b_member_id): None,
        }
        [entry] = await audit_entries(session, prefix="contract.call_off_ended")
        assert entry.data == {"member_id": str(world.holder_a_member_id), "last_day": today}

    async def test_an_administrator_ends_one_on_a_later_day_and_only_once(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        later = (clock.now().date() + timedelta(days=14)).isoformat()
        response = await end(
            client, contract_id, world.holder_b_member_id, world.admin, {"last_day": later}
        )
        assert response.status_code == 200, response.text
        body = problem(
            await end(client, contract_id, world.holder_b_member_id, world.holder_b),
            409,
            "call_off_ended",
        )
        assert later in body["detail"]
        days = await last_days(session, contract_id)
        assert days[world.holder_b_member_id].isoformat() == later
        assert days[world.holder_a_member_id] is None

    async def test_nobody_else_may_end_it_and_nothing_changes(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        target = world.holder_a_member_id
        # Another member, and a member with no call-off, are told there is none.
        problem(await end(client, contract_id, target, world.holder_b), 404, "not_found")
        problem(await end(client, contract_id, target, world.carer), 404, "not_found")
        # The provider sees the call-off but does not end it for the member.
        problem(await end(client, contract_id, target, world.staff_2), 403, "forbidden")
        # Outsiders and other providers' staff are told there is no such contract.
        problem(await end(client, contract_id, target, world.outsider), 404, "not_found")
        problem(await end(client, contract_id, target, world.staff_1), 404, "not_found")
        problem(await end(client, contract_id, uuid.uuid4(), world.admin), 404, "not_found")
        assert set((await last_days(session, contract_id)).values()) == {None}
        assert await audit_entries(session, prefix="contract.call_off_ended") == []

    async def test_the_last_day_may_not_be_in_the_past(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        yesterday = (clock.now().date() - timedelta(days=1)).isoformat()
        body = problem(
            await end(
                client,
                contract_id,
                world.holder_a_member_id,
                world.holder_a,
                {"last_day": yesterday},
            ),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [["body", "last_day"]]
        assert set((await last_days(session, contract_id)).values()) == {None}


class TestInvoicingAfterTheEnd:
    async def test_care_after_the_last_day_is_refused_and_a_period_across_it_is_cut_short(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        last_day = clock.now().date()
        ended = await end(client, contract_id, world.holder_a_member_id, world.holder_a)
        assert ended.status_code == 200, ended.text
        await travel(clock, world, timedelta(days=7))
        week = (last_day.isoformat(), (last_day + timedelta(days=6)).isoformat())
        after = ((last_day + timedelta(days=1)).isoformat(), week[1])
        body = problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(line(world.holder_a_member_id, 30), period=after),
            ),
            422,
            "no_call_off",
        )
        assert body["members"] == [str(world.holder_a_member_id)]
        # Across the last day only that day counts: 10 hours a week is 85 minutes a day.
        problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(line(world.holder_a_member_id, 86), period=week),
            ),
            422,
            "beyond_call_off",
        )
        await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(
                line(world.holder_a_member_id, 85),
                line(world.holder_b_member_id, 360),
                period=week,
            ),
        )


class TestLeavingAfterTheEnd:
    async def test_a_member_leaves_once_the_last_day_has_passed_and_their_care_is_paid(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        await fund(client, world, world.holder_a, 10_000)
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 60))
        )
        ended = await end(client, contract_id, world.holder_a_member_id, world.holder_a)
        assert ended.status_code == 200, ended.text
        leave = f"/api/v1/coops/{world.coop_id}/members/{world.holder_a_member_id}/leave"

        # The last day is today (the provider may still invoice it) and a line is unpaid.
        body = problem(
            await client.post(leave, headers=world.holder_a.headers),
            409,
            "member_has_commitments",
        )
        assert len(body["commitments"]) == 2
        assert body["commitments"][0].startswith("call_off:")
        assert body["commitments"][1].startswith("invoice_line:")

        # The last day has passed, and so have the two days the holder had to dispute the line.
        await travel(clock, world, timedelta(days=2))
        for action in ("approve", "pay"):
            response = await client.post(
                f"/api/v1/invoices/{invoice['id']}/{action}",
                headers={**world.admin.headers, "Idempotency-Key": f"{action}-{invoice['id']}"},
            )
            assert response.status_code == 200, response.text
        left = await client.post(leave, headers=world.holder_a.headers)
        assert left.status_code == 200, left.text
        assert left.json()["status"] == "left"
