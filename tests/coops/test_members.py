import uuid
from datetime import date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops.models import Member, MemberStatus
from app.core.clock import FrozenClock
from app.tenders import commitments as tender_commitments
from tests.factories import (
    Person,
    apply_to_coop,
    create_coop,
    grant_mandate,
    join_coop,
    member_id_of,
    register_person,
)
from tests.helpers import ok, problem


async def status_of(session: AsyncSession, member_id: uuid.UUID) -> MemberStatus:
    member = await session.get(Member, member_id, populate_existing=True)
    assert member is not None
    return member.status


async def members_in(session: AsyncSession, coop_id: uuid.UUID) -> int:
    return (
        await session.scalar(
            select(func.count()).select_from(Member).where(Member.coop_id == coop_id)
        )
        or 0
    )


async def coop_with_admin(client: httpx.AsyncClient) -> tuple[uuid.UUID, Person]:
    admin = await register_person(client, full_name="Ada Admin")
    return await create_coop(client, admin), admin


class TestApply:
    async def test_creates_a_pending_membership(self, client: httpx.AsyncClient) -> None:
        coop_id, _ = await coop_with_admin(client)
        person = await register_person(client, full_name="Gwen Jones")
        response = await client.post(
            f"/api/v1/coops/{coop_id}/applications",
            json={"member_class": "carer"},
            headers=person.headers,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["status"] == "pending"
        assert body["member_class"] == "carer"
        assert body["full_name"] == "Gwen Jones"
        assert body["user_id"] == str(person.id)
        assert body["is_admin"] is False
        assert body["approved_at"] is None
        me = (await client.get("/api/v1/me", headers=person.headers)).json()
        assert [(m["id"], m["status"]) for m in me["memberships"]] == [(body["id"], "pending")]

    async def test_a_second_application_is_already_member_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        await apply_to_coop(client, coop_id, person)
        before = await members_in(session, coop_id)
        for who in (person, admin):
            problem(
                await client.post(
                    f"/api/v1/coops/{coop_id}/applications",
                    json={"member_class": "worker"},
                    headers=who.headers,
                ),
                409,
                "already_member",
            )
        assert await members_in(session, coop_id) == before

    async def test_someone_who_left_may_apply_again_as_a_new_membership(
        self, client: httpx.AsyncClient
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        first = await join_coop(client, coop_id, person, admin)
        left = await client.post(
            f"/api/v1/coops/{coop_id}/members/{first}/leave", headers=person.headers
        )
        assert left.status_code == 200
        again = await apply_to_coop(client, coop_id, person, member_class="carer")
        assert again != first

    async def test_a_bad_class_is_a_validation_error(self, client: httpx.AsyncClient) -> None:
        coop_id, _ = await coop_with_admin(client)
        person = await register_person(client)
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/applications",
                json={"member_class": "landlord"},
                headers=person.headers,
            ),
            422,
            "validation_error",
        )

    async def test_who_may_not(self, client: httpx.AsyncClient) -> None:
        coop_id, _ = await coop_with_admin(client)
        url = f"/api/v1/coops/{coop_id}/applications"
        body = {"member_class": "carer"}
        problem(await client.post(url, json=body), 401, "not_authenticated")
        person = await register_person(client)
        problem(
            await client.post(
                f"/api/v1/coops/{uuid.uuid4()}/applications", json=body, headers=person.headers
            ),
            404,
            "not_found",
        )
        holder = await register_person(client)
        rep = await register_person(client)
        await grant_mandate(client, holder, rep, scopes=("view", "contribute", "vote", "refund"))
        problem(
            await client.post(url, json=body, headers=rep.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )


class TestListMembers:
    async def test_members_see_the_active_members(self, client: httpx.AsyncClient) -> None:
        coop_id, admin = await coop_with_admin(client)
        member = await register_person(client, full_name="Bryn")
        member_id = await join_coop(client, coop_id, member, admin, "worker")
        await apply_to_coop(client, coop_id, await register_person(client))
        response = await client.get(f"/api/v1/coops/{coop_id}/members", headers=member.headers)
        assert response.status_code == 200
        items = sorted(response.json()["items"], key=lambda i: str(i["full_name"]))
        assert [i["full_name"] for i in items] == ["Ada Admin", "Bryn"]
        assert items[1] == {
            "id": str(member_id),
            "coop_id": str(coop_id),
            "user_id": str(member.id),
            "full_name": "Bryn",
            "member_class": "worker",
            "is_admin": False,
            "status": "active",
            "joined_at": items[1]["joined_at"],
            "approved_at": items[1]["approved_at"],
            "safeguarding_lead": False,
            "lacks_capacity": False,
            "approver_mandate_id": None,
        }
        assert items[1]["approved_at"] is not None
        # Whether another member lacks capacity is for administrators only.
        assert (items[0]["lacks_capacity"], items[0]["approver_mandate_id"]) == (None, None)

    async def test_admins_also_see_applicants_and_may_filter(
        self, client: httpx.AsyncClient
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        applicant_id = await apply_to_coop(client, coop_id, await register_person(client))
        everyone = (
            await client.get(f"/api/v1/coops/{coop_id}/members", headers=admin.headers)
        ).json()
        assert len(everyone["items"]) == 2
        pending = (
            await client.get(
                f"/api/v1/coops/{coop_id}/members",
                params={"status": "pending"},
                headers=admin.headers,
            )
        ).json()
        assert [i["id"] for i in pending["items"]] == [str(applicant_id)]

    async def test_who_may_not(self, client: httpx.AsyncClient) -> None:
        coop_id, admin = await coop_with_admin(client)
        url = f"/api/v1/coops/{coop_id}/members"
        problem(await client.get(url), 401, "not_authenticated")
        outsider = await register_person(client)
        problem(await client.get(url, headers=outsider.headers), 404, "not_found")
        elsewhere = await register_person(client)
        await create_coop(client, elsewhere, name="Elsewhere")
        problem(await client.get(url, headers=elsewhere.headers), 404, "not_found")
        applicant = await register_person(client)
        await apply_to_coop(client, coop_id, applicant)
        problem(await client.get(url, headers=applicant.headers), 404, "not_found")
        suspended = await register_person(client)
        suspended_id = await join_coop(client, coop_id, suspended, admin)
        ok(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{suspended_id}/suspend", headers=admin.headers
            )
        )
        problem(await client.get(url, headers=suspended.headers), 404, "not_found")

    async def test_a_representative_reads_with_view_and_not_without(
        self, client: httpx.AsyncClient
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        holder = await register_person(client)
        await join_coop(client, coop_id, holder, admin)
        url = f"/api/v1/coops/{coop_id}/members"
        viewer = await register_person(client)
        mandate_id = await grant_mandate(client, holder, viewer, scopes=("view",))
        assert (await client.get(url, headers=viewer.on_behalf_of(holder))).status_code == 200
        voter = await register_person(client)
        await grant_mandate(client, holder, voter, scopes=("vote",))
        problem(await client.get(url, headers=voter.on_behalf_of(holder)), 403, "outside_mandate")
        stranger = await register_person(client)
        problem(await client.get(url, headers=stranger.on_behalf_of(holder)), 403, "no_mandate")
        revoke = await client.delete(
            f"/api/v1/me/representatives/{mandate_id}", headers=holder.headers
        )
        assert revoke.status_code == 204
        problem(await client.get(url, headers=viewer.on_behalf_of(holder)), 403, "no_mandate")


class TestApprove:
    async def test_admits_an_applicant_and_records_the_time(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await apply_to_coop(client, coop_id, person)
        clock.advance(timedelta(minutes=5))
        response = await client.post(
            f"/api/v1/coops/{coop_id}/members/{member_id}/approve", headers=admin.headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "active"
        assert datetime.fromisoformat(response.json()["approved_at"]) == clock.now()
        activity = (await client.get("/api/v1/me/activity", headers=person.headers)).json()
        assert "member.approved" in [e["action"] for e in activity["items"]]

    async def test_approving_an_active_member_is_a_conflict_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        member_id = await join_coop(client, coop_id, await register_person(client), admin)
        before = await session.get(Member, member_id)
        assert before is not None
        approved_at = before.approved_at
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{member_id}/approve", headers=admin.headers
            ),
            409,
            "invalid_transition",
        )
        after = await session.get(Member, member_id, populate_existing=True)
        assert after is not None
        assert (after.status, after.approved_at) == (MemberStatus.active, approved_at)

    async def test_reinstating_a_suspended_member_keeps_the_first_approval_time(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        member_id = await join_coop(client, coop_id, await register_person(client), admin)
        first = clock.now()
        ok(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{member_id}/suspend", headers=admin.headers
            )
        )
        clock.advance(timedelta(minutes=7))
        response = await client.post(
            f"/api/v1/coops/{coop_id}/members/{member_id}/approve", headers=admin.headers
        )
        assert response.json()["status"] == "active"
        assert datetime.fromisoformat(response.json()["approved_at"]) == first

    async def test_who_may_not(self, client: httpx.AsyncClient, session: AsyncSession) -> None:
        coop_id, admin = await coop_with_admin(client)
        applicant_id = await apply_to_coop(client, coop_id, await register_person(client))
        url = f"/api/v1/coops/{coop_id}/members/{applicant_id}/approve"
        problem(await client.post(url), 401, "not_authenticated")
        outsider = await register_person(client)
        problem(await client.post(url, headers=outsider.headers), 404, "not_found")
        member = await register_person(client)
        await join_coop(client, coop_id, member, admin)
        problem(await client.post(url, headers=member.headers), 403, "forbidden")
        rep = await register_person(client)
        await grant_mandate(client, admin, rep, scopes=("view", "contribute", "vote", "refund"))
        problem(await client.post(url, headers=rep.on_behalf_of(admin)), 403, "outside_mandate")
        other_coop = await create_coop(client, admin, name="Other")
        problem(
            await client.post(
                f"/api/v1/coops/{other_coop}/members/{applicant_id}/approve",
                headers=admin.headers,
            ),
            404,
            "not_found",
        )
        assert await status_of(session, applicant_id) == MemberStatus.pending


class TestSuspend:
    async def test_a_suspended_member_loses_access(self, client: httpx.AsyncClient) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await join_coop(client, coop_id, person, admin)
        response = await client.post(
            f"/api/v1/coops/{coop_id}/members/{member_id}/suspend", headers=admin.headers
        )
        assert response.status_code == 200
        assert response.json()["status"] == "suspended"
        problem(
            await client.get(f"/api/v1/coops/{coop_id}/members", headers=person.headers),
            404,
            "not_found",
        )

    async def test_the_last_admin_cannot_be_suspended(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        admin_member = await member_id_of(client, coop_id, admin)
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{admin_member}/suspend", headers=admin.headers
            ),
            409,
            "last_admin",
        )
        assert await status_of(session, admin_member) == MemberStatus.active

    async def test_only_active_members_can_be_suspended(self, client: httpx.AsyncClient) -> None:
        coop_id, admin = await coop_with_admin(client)
        applicant_id = await apply_to_coop(client, coop_id, await register_person(client))
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{applicant_id}/suspend", headers=admin.headers
            ),
            409,
            "invalid_transition",
        )

    async def test_who_may_not(self, client: httpx.AsyncClient, session: AsyncSession) -> None:
        coop_id, admin = await coop_with_admin(client)
        member = await register_person(client)
        member_id = await join_coop(client, coop_id, member, admin)
        url = f"/api/v1/coops/{coop_id}/members/{member_id}/suspend"
        problem(await client.post(url), 401, "not_authenticated")
        problem(
            await client.post(url, headers=(await register_person(client)).headers),
            404,
            "not_found",
        )
        problem(await client.post(url, headers=member.headers), 403, "forbidden")
        assert await status_of(session, member_id) == MemberStatus.active


class TestSetAdmin:
    async def test_an_appointed_admin_can_administer_and_stand_down(
        self, client: httpx.AsyncClient
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        second = await register_person(client)
        second_id = await join_coop(client, coop_id, second, admin)
        response = await client.post(
            f"/api/v1/coops/{coop_id}/members/{second_id}/admin",
            json={"is_admin": True},
            headers=admin.headers,
        )
        assert response.status_code == 200
        assert response.json()["is_admin"] is True
        applicant_id = await apply_to_coop(client, coop_id, await register_person(client))
        assert (
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{applicant_id}/approve", headers=second.headers
            )
        ).status_code == 200
        down = await client.post(
            f"/api/v1/coops/{coop_id}/members/{second_id}/admin",
            json={"is_admin": False},
            headers=second.headers,
        )
        assert down.json()["is_admin"] is False

    async def test_the_last_admin_cannot_stand_down(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        admin_member = await member_id_of(client, coop_id, admin)
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{admin_member}/admin",
                json={"is_admin": False},
                headers=admin.headers,
            ),
            409,
            "last_admin",
        )
        row = await session.get(Member, admin_member, populate_existing=True)
        assert row is not None
        assert row.is_admin

    async def test_an_applicant_cannot_be_made_admin(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        applicant_id = await apply_to_coop(client, coop_id, await register_person(client))
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{applicant_id}/admin",
                json={"is_admin": True},
                headers=admin.headers,
            ),
            409,
            "invalid_transition",
        )
        row = await session.get(Member, applicant_id)
        assert row is not None
        assert not row.is_admin

    async def test_is_admin_must_be_a_boolean(self, client: httpx.AsyncClient) -> None:
        coop_id, admin = await coop_with_admin(client)
        member_id = await join_coop(client, coop_id, await register_person(client), admin)
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{member_id}/admin",
                json={"is_admin": "yes"},
                headers=admin.headers,
            ),
            422,
            "validation_error",
        )

    async def test_who_may_not(self, client: httpx.AsyncClient, session: AsyncSession) -> None:
        coop_id, admin = await coop_with_admin(client)
        member = await register_person(client)
        member_id = await join_coop(client, coop_id, member, admin)
        url = f"/api/v1/coops/{coop_id}/members/{member_id}/admin"
        body = {"is_admin": True}
        problem(await client.post(url, json=body), 401, "not_authenticated")
        problem(
            await client.post(url, json=body, headers=(await register_person(client)).headers),
            404,
            "not_found",
        )
        problem(await client.post(url, json=body, headers=member.headers), 403, "forbidden")
        row = await session.get(Member, member_id)
        assert row is not None
        assert not row.is_admin


class TestLeave:
    async def test_a_member_leaves_and_loses_access(self, client: httpx.AsyncClient) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await join_coop(client, coop_id, person, admin)
        response = await client.post(
            f"/api/v1/coops/{coop_id}/members/{member_id}/leave", headers=person.headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "left"
        problem(
            await client.get(f"/api/v1/coops/{coop_id}/members", headers=person.headers),
            404,
            "not_found",
        )
        me = (await client.get("/api/v1/me", headers=person.headers)).json()
        assert me["memberships"] == []

    async def test_an_applicant_withdraws(self, client: httpx.AsyncClient) -> None:
        coop_id, _ = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await apply_to_coop(client, coop_id, person)
        response = await client.post(
            f"/api/v1/coops/{coop_id}/members/{member_id}/leave", headers=person.headers
        )
        assert response.json()["status"] == "left"

    async def test_an_admin_removes_a_member(self, client: httpx.AsyncClient) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await join_coop(client, coop_id, person, admin)
        response = await client.post(
            f"/api/v1/coops/{coop_id}/members/{member_id}/leave", headers=admin.headers
        )
        assert response.json()["status"] == "left"
        activity = (await client.get("/api/v1/me/activity", headers=person.headers)).json()
        assert "member.left" in [e["action"] for e in activity["items"]]

    async def test_leaving_twice_is_a_conflict(self, client: httpx.AsyncClient) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await join_coop(client, coop_id, person, admin)
        url = f"/api/v1/coops/{coop_id}/members/{member_id}/leave"
        ok(await client.post(url, headers=person.headers))
        problem(await client.post(url, headers=person.headers), 409, "invalid_transition")

    async def test_the_last_admin_cannot_leave(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        admin_member = await member_id_of(client, coop_id, admin)
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{admin_member}/leave", headers=admin.headers
            ),
            409,
            "last_admin",
        )
        assert await status_of(session, admin_member) == MemberStatus.active

    async def test_commitments_are_asked_while_the_membership_is_held_and_refuse_the_leave(
        self, client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        seen: list[tuple[uuid.UUID, MemberStatus]] = []
        committed = {"refuse": True}

        async def commitments(session: AsyncSession, *, member: Member, today: date) -> list[str]:
            seen.append((member.id, member.status))
            return [f"call_off:{member.id}"] if committed["refuse"] else []

        monkeypatch.setattr(tender_commitments, "commitments", commitments)
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await join_coop(client, coop_id, person, admin)
        url = f"/api/v1/coops/{coop_id}/members/{member_id}/leave"
        problem(await client.post(url, headers=person.headers), 409, "member_has_commitments")
        assert await status_of(session, member_id) == MemberStatus.active
        committed["refuse"] = False
        assert (await client.post(url, headers=person.headers)).status_code == 200
        assert seen == [(member_id, MemberStatus.active), (member_id, MemberStatus.active)]

    async def test_an_idempotency_key_replays_the_first_answer(
        self, client: httpx.AsyncClient
    ) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await join_coop(client, coop_id, person, admin)
        url = f"/api/v1/coops/{coop_id}/members/{member_id}/leave"
        headers = {**person.headers, "Idempotency-Key": "leave-once"}
        first = await client.post(url, headers=headers)
        second = await client.post(url, headers=headers)
        assert first.status_code == second.status_code == 200
        assert first.content == second.content

    async def test_who_may_not(self, client: httpx.AsyncClient, session: AsyncSession) -> None:
        coop_id, admin = await coop_with_admin(client)
        person = await register_person(client)
        member_id = await join_coop(client, coop_id, person, admin)
        url = f"/api/v1/coops/{coop_id}/members/{member_id}/leave"
        problem(await client.post(url), 401, "not_authenticated")
        problem(
            await client.post(url, headers=(await register_person(client)).headers),
            404,
            "not_found",
        )
        other = await register_person(client)
        await join_coop(client, coop_id, other, admin)
        problem(await client.post(url, headers=other.headers), 403, "forbidden")
        rep = await register_person(client)
        await grant_mandate(client, person, rep, scopes=("view", "contribute", "vote", "refund"))
        problem(await client.post(url, headers=rep.on_behalf_of(person)), 403, "outside_mandate")
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/members/{uuid.uuid4()}/leave", headers=other.headers
            ),
            404,
            "not_found",
        )
        assert await status_of(session, member_id) == MemberStatus.active
