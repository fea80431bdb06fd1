import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.models import DemandLine
from tests.factories import (
    create_tender,
    declare_demand,
    grant_mandate,
    join_coop,
    open_tender,
    register_person,
    sign_in_again,
)
from tests.helpers import problem
from tests.tenders.conftest import DEADLINE, World
from tests.tenders.helpers import audit_entries, count

HIDDEN = {"value": None, "suppressed": True}
NOBODY = {"value": 0, "suppressed": False}


def demand_url(tender_id: uuid.UUID) -> str:
    return f"/api/v1/tenders/{tender_id}/demand"


class TestSetDemand:
    async def test_a_holder_declares_changes_and_withdraws(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        url = demand_url(tender_id) + "/me"
        response = await client.put(
            url, json={"hours_per_week": 12}, headers=world.holder_a.headers
        )
        assert response.status_code == 200, response.text
        # One member is a count of people from 1 to 7: suppressed, even to themselves.
        assert response.json() == {
            "total_hours_per_week": 12,
            "members": HIDDEN,
            "my_hours_per_week": 12,
            "lines": None,
        }
        changed = await client.put(url, json={"hours_per_week": 8}, headers=world.holder_a.headers)
        assert changed.json()["total_hours_per_week"] == 8
        withdrawn = await client.put(
            url, json={"hours_per_week": 0}, headers=world.holder_a.headers
        )
        assert withdrawn.json() == {
            "total_hours_per_week": 0,
            "members": NOBODY,
            "my_hours_per_week": None,
            "lines": None,
        }
        assert await count(session, DemandLine) == 0
        entries = await audit_entries(session, prefix="tender.demand", subject_id=tender_id)
        assert [(e.action, e.data["hours_per_week"]) for e in entries] == [
            ("tender.demand_set", 12),
            ("tender.demand_set", 8),
            ("tender.demand_withdrawn", 0),
        ]
        assert all(e.data["member_id"] == str(world.holder_a_member_id) for e in entries)

    async def test_withdrawing_without_demand_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        response = await client.put(
            demand_url(tender_id) + "/me",
            json={"hours_per_week": 0},
            headers=world.holder_a.headers,
        )
        assert response.status_code == 200, response.text
        assert await audit_entries(session, prefix="tender.demand") == []

    @pytest.mark.parametrize("hours", [-1, 169, 7.5, "10", True, None])
    async def test_hours_outside_a_week_are_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, hours: object
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        problem(
            await client.put(
                demand_url(tender_id) + "/me",
                json={"hours_per_week": hours},
                headers=world.holder_a.headers,
            ),
            422,
            "validation_error",
        )
        assert await count(session, DemandLine) == 0

    async def test_only_holders_declare_demand(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        problem(
            await client.put(
                demand_url(tender_id) + "/me",
                json={"hours_per_week": 5},
                headers=world.carer.headers,
            ),
            422,
            "not_a_holder",
        )
        problem(
            await client.put(
                demand_url(tender_id) + "/me",
                json={"hours_per_week": 5},
                headers=world.outsider.headers,
            ),
            403,
            "forbidden",
        )
        assert await count(session, DemandLine) == 0

    async def test_a_draft_does_not_exist_for_outsiders(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(
            await client.put(
                demand_url(tender_id) + "/me",
                json={"hours_per_week": 5},
                headers=world.outsider.headers,
            ),
            404,
            "not_found",
        )

    async def test_after_the_deadline_demand_is_frozen(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await declare_demand(client, tender_id, world.holder_a, 10)
        clock.set(DEADLINE)
        await sign_in_again(client, world.holder_a)
        problem(
            await client.put(
                demand_url(tender_id) + "/me",
                json={"hours_per_week": 20},
                headers=world.holder_a.headers,
            ),
            409,
            "invalid_transition",
        )
        line = await session.get(DemandLine, (tender_id, world.holder_a_member_id))
        assert line is not None
        assert line.hours_per_week == 10

    async def test_a_representative_needs_the_contribute_scope(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        viewer = await register_person(client)
        await grant_mandate(client, world.holder_a, viewer, scopes=("view",))
        url = demand_url(tender_id) + "/me"
        problem(
            await client.put(
                url, json={"hours_per_week": 4}, headers=viewer.on_behalf_of(world.holder_a)
            ),
            403,
            "outside_mandate",
        )
        contributor = await register_person(client)
        await grant_mandate(client, world.holder_a, contributor, scopes=("contribute",))
        response = await client.put(
            url, json={"hours_per_week": 4}, headers=contributor.on_behalf_of(world.holder_a)
        )
        assert response.status_code == 200, response.text
        [entry] = await audit_entries(session, prefix="tender.demand_set")
        assert entry.actor_user_id == contributor.id
        assert entry.on_behalf_of_user_id == world.holder_a.id


class TestGetDemand:
    async def test_everyone_sees_the_total_and_admins_the_lines(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await declare_demand(client, tender_id, world.holder_a, 10)
        await declare_demand(client, tender_id, world.holder_b, 6)
        public = await client.get(demand_url(tender_id))
        assert public.json() == {
            "total_hours_per_week": 16,
            "members": HIDDEN,
            "my_hours_per_week": None,
            "lines": None,
        }
        mine = await client.get(demand_url(tender_id), headers=world.holder_b.headers)
        assert mine.json()["my_hours_per_week"] == 6
        assert mine.json()["lines"] is None
        admin = await client.get(demand_url(tender_id), headers=world.admin.headers)
        # Administrators have the lines, and the count under the same rule as everyone.
        assert admin.json()["members"] == HIDDEN
        assert sorted(admin.json()["lines"], key=lambda line: line["hours_per_week"]) == [
            {"member_id": str(world.holder_b_member_id), "hours_per_week": 6},
            {"member_id": str(world.holder_a_member_id), "hours_per_week": 10},
        ]

    async def test_eight_or_more_members_are_counted_to_the_nearest_5(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        holders = [world.holder_a, world.holder_b]
        for _ in range(6):
            person = await register_person(client, full_name="Another Holder")
            await join_coop(client, world.coop_id, person, world.admin)
            holders.append(person)
        for person in holders:
            await declare_demand(client, tender_id, person, 2)
        public = (await client.get(demand_url(tender_id))).json()
        assert public["members"] == {"value": 10, "suppressed": False}
        assert public["total_hours_per_week"] == 16
        tender = (await client.get(f"/api/v1/tenders/{tender_id}")).json()
        assert tender["demand"] == {
            "total_hours_per_week": 16,
            "members": {"value": 10, "suppressed": False},
        }

    async def test_a_drafts_demand_is_for_members_only(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(await client.get(demand_url(tender_id)), 404, "not_found")
        assert (
            await client.get(demand_url(tender_id), headers=world.carer.headers)
        ).status_code == 200


class TestLeaving:
    async def test_a_member_who_leaves_takes_their_demand_from_gathering_tenders(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await declare_demand(client, tender_id, world.holder_b, 6)
        response = await client.post(
            f"/api/v1/coops/{world.coop_id}/members/{world.holder_b_member_id}/leave",
            headers=world.holder_b.headers,
        )
        assert response.status_code == 200, response.text
        assert await count(session, DemandLine) == 0
        demand = (await client.get(demand_url(tender_id))).json()
        assert (demand["total_hours_per_week"], demand["members"]) == (0, NOBODY)
