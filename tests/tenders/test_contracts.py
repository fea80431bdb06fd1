import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.ledger.models import LedgerAccount
from app.tenders.models import Contract
from tests.factories import grant_mandate, open_tender, register_person
from tests.helpers import problem
from tests.tenders.conftest import DEADLINE, World, travel
from tests.tenders.helpers import audit_entries, count
from tests.tenders.test_award import no_vote_needed
from tests.worlds import building


async def awarded(clock: FrozenClock, world: World) -> uuid.UUID:
    """Awarded (no vote) to provider 2 at 2135 pence an hour, with the holders' demand of 10
    and 6 hours a week; the standstill (10 days) ends on 2026-03-26 at noon."""
    await no_vote_needed(world)
    async with building(world.app) as b:
        tender_id = (await b.tender(world.coop_id, world.admin)).id
        await b.demand(tender_id, world.holder_a, 10)
        await b.demand(tender_id, world.holder_b, 6)
        first = await b.bid(tender_id, world.staff_1, hourly_rate_pence=1975)
        second = await b.bid(tender_id, world.staff_2, hourly_rate_pence=2135)
    await travel(clock, world, DEADLINE - clock.now())
    async with building(world.app) as b:
        await b.score(tender_id, world.admin, {first: 20, second: 95})
        await b.award_tender(tender_id, world.admin, second)
    return tender_id


async def contracted(clock: FrozenClock, world: World) -> tuple[uuid.UUID, uuid.UUID]:
    """(tender, contract): awarded as above and contracted once the standstill is over."""
    tender_id = await awarded(clock, world)
    await travel(clock, world, timedelta(days=10))
    async with building(world.app) as b:
        contract = await b.contract(tender_id, world.admin)
    return tender_id, contract.id


class TestCreateContract:
    async def test_after_the_standstill_the_demand_becomes_call_offs(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await awarded(clock, world)
        await travel(clock, world, timedelta(days=10))
        response = await client.post(
            f"/api/v1/tenders/{tender_id}/contract", headers=world.admin.headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        provider_name = body["provider_name"]
        assert body == {
            "id": body["id"],
            "tender_id": str(tender_id),
            "coop_id": str(world.coop_id),
            "provider_id": str(world.provider_2),
            "provider_name": provider_name,
            "hourly_rate_pence": 2135,
            "call_offs": sorted(
                [
                    {
                        "member_id": str(world.holder_a_member_id),
                        "hours_per_week": 10,
                        "last_day": None,
                    },
                    {
                        "member_id": str(world.holder_b_member_id),
                        "hours_per_week": 6,
                        "last_day": None,
                    },
                ],
                key=lambda c: str(c["member_id"]),
            ),
            "variations": [],
            "status": "active",
            "start_date": "2026-03-26",
            "end_date": None,
            "created_at": "2026-03-26T12:00:00Z",
        }
        listed = await client.get(f"/api/v1/providers/{world.provider_2}")
        assert listed.json()["name"] == provider_name
        tender = await client.get(f"/api/v1/tenders/{tender_id}")
        assert tender.json()["status"] == "contracted"
        assert tender.json()["contract_id"] == body["id"]
        account = await session.scalar(
            select(LedgerAccount).where(
                LedgerAccount.coop_id == world.coop_id,
                LedgerAccount.code == f"provider:{world.provider_2}",
            )
        )
        assert account is not None
        assert account.balance_pence == 0
        [entry] = await audit_entries(session, prefix="contract.created")
        assert entry.data["hourly_rate_pence"] == 2135
        assert entry.data["provider_name"] == provider_name

    async def test_a_contract_before_the_standstill_ends_is_refused(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await awarded(clock, world)
        await travel(clock, world, timedelta(days=10) - timedelta(seconds=1))
        body = problem(
            await client.post(f"/api/v1/tenders/{tender_id}/contract", headers=world.admin.headers),
            409,
            "standstill_not_over",
        )
        assert "2026-03-26T12:00:00" in body["detail"]
        assert await count(session, Contract) == 0
        assert await count(session, LedgerAccount, code=f"provider:{world.provider_2}") == 0
        tender = await client.get(f"/api/v1/tenders/{tender_id}")
        assert tender.json()["status"] == "awarded"

    async def test_a_tender_not_awarded_cannot_be_contracted(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        problem(
            await client.post(f"/api/v1/tenders/{tender_id}/contract", headers=world.admin.headers),
            409,
            "invalid_transition",
        )

    async def test_contracting_twice_is_an_invalid_transition(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        tender_id, _ = await contracted(clock, world)
        problem(
            await client.post(f"/api/v1/tenders/{tender_id}/contract", headers=world.admin.headers),
            409,
            "invalid_transition",
        )
        assert await count(session, Contract) == 1

    async def test_a_contracted_tender_cannot_be_cancelled(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, _ = await contracted(clock, world)
        problem(
            await client.post(
                f"/api/v1/tenders/{tender_id}/cancel",
                json={"reason": "Too late"},
                headers=world.admin.headers,
            ),
            409,
            "invalid_transition",
        )

    async def test_only_admins_contract(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await awarded(clock, world)
        await travel(clock, world, timedelta(days=11))
        for person in (world.holder_a, world.staff_2, world.platform_admin):
            problem(
                await client.post(f"/api/v1/tenders/{tender_id}/contract", headers=person.headers),
                403,
                "forbidden",
            )


class TestGetContract:
    async def test_admins_and_the_providers_staff_see_every_call_off(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await contracted(clock, world)
        for person in (world.admin, world.staff_2):
            response = await client.get(f"/api/v1/contracts/{contract_id}", headers=person.headers)
            assert response.status_code == 200, response.text
            assert len(response.json()["call_offs"]) == 2

    async def test_a_member_sees_their_own_call_off_only(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await contracted(clock, world)
        response = await client.get(
            f"/api/v1/contracts/{contract_id}", headers=world.holder_b.headers
        )
        assert response.json()["call_offs"] == [
            {"member_id": str(world.holder_b_member_id), "hours_per_week": 6, "last_day": None}
        ]
        carer = await client.get(f"/api/v1/contracts/{contract_id}", headers=world.carer.headers)
        assert carer.json()["call_offs"] == []
        representative = await register_person(client)
        await grant_mandate(client, world.holder_a, representative, scopes=("view",))
        as_rep = await client.get(
            f"/api/v1/contracts/{contract_id}",
            headers=representative.on_behalf_of(world.holder_a),
        )
        assert as_rep.json()["call_offs"] == [
            {"member_id": str(world.holder_a_member_id), "hours_per_week": 10, "last_day": None}
        ]

    async def test_anyone_else_is_told_there_is_no_such_contract(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await contracted(clock, world)
        for person in (world.outsider, world.staff_1, world.platform_admin):
            problem(
                await client.get(f"/api/v1/contracts/{contract_id}", headers=person.headers),
                404,
                "not_found",
            )
        problem(await client.get(f"/api/v1/contracts/{contract_id}"), 401, "not_authenticated")


class TestLeavingWithACallOff:
    async def test_a_member_with_an_open_call_off_cannot_leave(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        await contracted(clock, world)
        body = problem(
            await client.post(
                f"/api/v1/coops/{world.coop_id}/members/{world.holder_a_member_id}/leave",
                headers=world.holder_a.headers,
            ),
            409,
            "member_has_commitments",
        )
        assert any(c.startswith("call_off:") for c in body["commitments"])
        assert await audit_entries(session, prefix="member.left") == []
        carer_id = (await client.get("/api/v1/me", headers=world.carer.headers)).json()[
            "memberships"
        ][0]["id"]
        left = await client.post(
            f"/api/v1/coops/{world.coop_id}/members/{carer_id}/leave",
            headers=world.carer.headers,
        )
        assert left.status_code == 200, left.text
