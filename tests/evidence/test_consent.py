"""Council access: granted by the holder (or a representative with `share`), one in force per
membership, to the council paying the award, for as long as the holder says."""

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.evidence.models import CouncilAccessGrant
from tests.evidence.conftest import Story, grant, ok_json, travel_story
from tests.factories import (
    CARDIFF,
    SWANSEA,
    confirm_award,
    create_coop,
    grant_mandate,
    join_coop,
    register_person,
    set_direct_payment,
)
from tests.helpers import problem

ACCESS = "/api/v1/me/council-access"


async def grants_in_table(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(CouncilAccessGrant)) or 0


class TestGrant:
    async def test_a_second_grant_while_one_is_in_force_is_a_conflict_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, story: Story
    ) -> None:
        first = await ok_json(await grant(client, story), 201)
        body = problem(await grant(client, story, until="2026-12-31"), 409, "already_granted")
        assert body["grant_id"] == first["id"]
        assert await grants_in_table(session) == 1

    async def test_until_is_inclusive_and_then_the_grant_lapses(
        self, client: httpx.AsyncClient, clock: FrozenClock, story: Story
    ) -> None:
        today = clock.now().date().isoformat()
        made = await ok_json(await grant(client, story, until=today), 201)
        assert made["until"] == today
        # Late in the last day, in Wales, the council still reads.
        await travel_story(client, clock, story, timedelta(hours=13, minutes=30))
        await ok_json(await client.get(story.url(), headers=story.cardiff_officer.headers))
        # The day after: gone, and a new grant may be given.
        await travel_story(client, clock, story, timedelta(hours=1))
        problem(
            await client.get(story.url(), headers=story.cardiff_officer.headers), 404, "not_found"
        )
        mine = await ok_json(await client.get(ACCESS, headers=story.holder.headers))
        assert [g["in_force"] for g in mine["items"]] == [False]
        assert mine["items"][0]["ended_at"] is None
        again = await ok_json(await grant(client, story), 201)
        assert again["id"] != made["id"]

    async def test_until_before_today_is_refused_naming_the_field(
        self, client: httpx.AsyncClient, session: AsyncSession, story: Story
    ) -> None:
        body = problem(await grant(client, story, until="2026-04-15"), 422, "validation_error")
        assert [e["loc"] for e in body["errors"]] == [["body", "until"]]
        assert await grants_in_table(session) == 0

    async def test_the_council_is_the_one_paying_the_award_in_force(
        self, client: httpx.AsyncClient, clock: FrozenClock, story: Story
    ) -> None:
        # From tomorrow Swansea pays the award: today's grant is still to Cardiff.
        moved = await set_direct_payment(
            client,
            story.holder,
            weekly_amount_pence=50_000,
            start_date=(clock.now() + timedelta(days=1)).date(),
            area_code=SWANSEA,
        )
        made = await ok_json(await grant(client, story), 201)
        assert made["area_code"] == CARDIFF
        await travel_story(client, clock, story, timedelta(days=1))
        assert moved["area_code"] == SWANSEA
        # The holder consented to Cardiff, not to whoever pays next.
        problem(
            await client.get(story.url(), headers=story.swansea_officer.headers), 404, "not_found"
        )
        await ok_json(await client.get(story.url(), headers=story.cardiff_officer.headers))

    async def test_without_an_award_or_a_holders_membership_there_is_nothing_to_share(
        self, client: httpx.AsyncClient, session: AsyncSession, story: Story
    ) -> None:
        world = story.world
        body = {"coop_id": str(world.coop_id)}
        # Holder B has no award; the carer is not a holder; the outsider is not a member.
        problem(
            await client.post(ACCESS, json=body, headers=world.holder_b.headers),
            422,
            "no_direct_payment",
        )
        problem(
            await client.post(ACCESS, json=body, headers=world.carer.headers),
            422,
            "not_a_holder",
        )
        problem(
            await client.post(ACCESS, json=body, headers=world.outsider.headers), 404, "not_found"
        )
        problem(
            await client.post(
                ACCESS, json={"coop_id": str(uuid.uuid4())}, headers=world.holder_a.headers
            ),
            404,
            "not_found",
        )
        problem(
            await client.post(ACCESS, json={}, headers=world.holder_a.headers),
            422,
            "validation_error",
        )
        assert await grants_in_table(session) == 0

    async def test_a_representative_with_share_grants_and_ends_one_without_it_may_not(
        self, client: httpx.AsyncClient, session: AsyncSession, story: Story
    ) -> None:
        holder = story.holder
        sharer = await register_person(client, full_name="Sam Sharer")
        await grant_mandate(client, holder, sharer, scopes=("share",))
        viewer = await register_person(client, full_name="Viv Viewer")
        await grant_mandate(client, holder, viewer, scopes=("view",))
        problem(
            await grant(client, story, headers=viewer.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )
        made = await ok_json(await grant(client, story, headers=sharer.on_behalf_of(holder)), 201)
        # Both read the list (view or share); only the sharer ends it.
        for person in (viewer, sharer):
            listed = await ok_json(await client.get(ACCESS, headers=person.on_behalf_of(holder)))
            assert [g["id"] for g in listed["items"]] == [made["id"]]
        problem(
            await client.delete(f"{ACCESS}/{made['id']}", headers=viewer.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )
        ended = await client.delete(f"{ACCESS}/{made['id']}", headers=sharer.on_behalf_of(holder))
        assert ended.status_code == 204, ended.text
        activity = await ok_json(
            await client.get("/api/v1/me/activity?limit=200", headers=holder.headers)
        )
        acts = {
            item["action"]: item
            for item in activity["items"]
            if item["action"].startswith("council_access.")
        }
        assert set(acts) == {"council_access.granted", "council_access.ended"}
        for item in acts.values():
            assert item["actor_user_id"] == str(sharer.id)
            assert item["on_behalf_of_user_id"] == str(holder.id)

    async def test_a_grant_in_another_co_op_is_a_grant_of_its_own(
        self, client: httpx.AsyncClient, story: Story
    ) -> None:
        other_admin = await register_person(client, full_name="Olwen Other")
        other = await create_coop(client, other_admin, name="Cydweithfa Arall")
        other_member = await join_coop(client, other, story.holder, other_admin)
        await ok_json(await grant(client, story), 201)
        elsewhere = await ok_json(
            await client.post(ACCESS, json={"coop_id": str(other)}, headers=story.holder.headers),
            201,
        )
        assert elsewhere["member_id"] == str(other_member)


class TestEnd:
    async def test_someone_elses_grant_does_not_exist_for_you(
        self, client: httpx.AsyncClient, session: AsyncSession, story: Story
    ) -> None:
        made = await ok_json(await grant(client, story), 201)
        for headers in (story.world.holder_b.headers, story.world.admin.headers):
            problem(
                await client.delete(f"{ACCESS}/{made['id']}", headers=headers), 404, "not_found"
            )
        problem(
            await client.delete(f"{ACCESS}/{uuid.uuid4()}", headers=story.holder.headers),
            404,
            "not_found",
        )
        found = await session.get(CouncilAccessGrant, uuid.UUID(made["id"]))
        assert found is not None
        assert found.ended_at is None

    async def test_ending_twice_keeps_the_first_end(
        self, client: httpx.AsyncClient, clock: FrozenClock, story: Story
    ) -> None:
        made = await ok_json(await grant(client, story), 201)
        first = await client.delete(f"{ACCESS}/{made['id']}", headers=story.holder.headers)
        assert first.status_code == 204
        ended_at = (await ok_json(await client.get(ACCESS, headers=story.holder.headers)))["items"][
            0
        ]["ended_at"]
        await travel_story(client, clock, story, timedelta(minutes=5))
        again = await client.delete(f"{ACCESS}/{made['id']}", headers=story.holder.headers)
        assert again.status_code == 204
        listed = await ok_json(await client.get(ACCESS, headers=story.holder.headers))
        assert listed["items"][0]["ended_at"] == ended_at


class TestHolders:
    async def test_the_council_lists_the_holders_sharing_with_it_and_each_sees_it(
        self, client: httpx.AsyncClient, story: Story
    ) -> None:
        officer = story.cardiff_officer
        url = f"/api/v1/la/areas/{CARDIFF}/holders"
        assert (await ok_json(await client.get(url, headers=officer.headers)))["items"] == []
        await confirm_award(client, officer, story.award_id, council_reference="CDF/7")
        made = await ok_json(await grant(client, story), 201)
        listed = await ok_json(await client.get(url, headers=officer.headers))
        assert listed == {
            "items": [
                {
                    "grant_id": made["id"],
                    "member_id": str(story.member_id),
                    "coop_id": str(story.world.coop_id),
                    "coop_name": "Cydweithfa Gofal Caerdydd",
                    "holder_name": "Huw Holder",
                    "council_reference": "CDF/7",
                    "granted_at": made["granted_at"],
                    "until": None,
                }
            ],
            "next_cursor": None,
        }
        activity = await ok_json(
            await client.get("/api/v1/me/activity", headers=story.holder.headers)
        )
        seen = [i for i in activity["items"] if i["action"] == "council_access.listed"]
        assert [i["actor_user_id"] for i in seen] == [str(officer.id)]
        # Swansea's list does not hold Cardiff's holders.
        swansea = f"/api/v1/la/areas/{SWANSEA}/holders"
        swansea_list = await ok_json(
            await client.get(swansea, headers=story.swansea_officer.headers)
        )
        assert swansea_list["items"] == []
        # Ended: off the list at once.
        ended = await client.delete(f"{ACCESS}/{made['id']}", headers=story.holder.headers)
        assert ended.status_code == 204, ended.text
        assert (await ok_json(await client.get(url, headers=officer.headers)))["items"] == []

    async def test_only_that_councils_officers_and_clients_may_list(
        self, client: httpx.AsyncClient, story: Story
    ) -> None:
        url = f"/api/v1/la/areas/{CARDIFF}/holders"
        problem(await client.get(url, headers=story.swansea_officer.headers), 403, "forbidden")
        for person in (story.world.platform_admin, story.holder, story.world.admin):
            problem(await client.get(url, headers=person.headers), 403, "forbidden")
        problem(await client.get(url), 401, "not_authenticated")
        problem(
            await client.get(
                "/api/v1/la/areas/W99999999/holders", headers=story.cardiff_officer.headers
            ),
            404,
            "area_not_found",
        )
