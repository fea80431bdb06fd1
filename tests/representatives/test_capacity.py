"""A holder who cannot approve: two administrators mark it, and what waits for the holder
then waits for the approver they name, or for two administrators."""

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.coops.models import Member
from app.representatives.models import CapacityChange, CapacityChangeStatus
from tests.factories import register_person
from tests.helpers import ok, problem
from tests.representatives.family import (
    Family,
    daughter_asks_for_refund,
    family,
    grant,
    mark_lacking,
    notified,
    waiting_for,
)


async def mother_as_admins_see_her(client: httpx.AsyncClient, world: Family) -> dict[str, object]:
    members = ok(
        await client.get(f"/api/v1/coops/{world.coop_id}/members", headers=world.admin.headers)
    ).json()["items"]
    found: dict[str, object] = next(m for m in members if m["id"] == str(world.mother_member_id))
    return found


class TestMarkingCapacity:
    async def test_one_administrator_leaves_it_pending_and_a_second_puts_it_in_force(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await family(client)
        body = {"lacks_capacity": True, "approver_mandate_id": str(world.son_mandate)}
        first = await client.post(world.capacity_url(), json=body, headers=world.admin.headers)
        assert first.status_code == 202, first.text
        assert first.json()["status"] == "pending"
        # The same administrator again changes nothing.
        again = await client.post(world.capacity_url(), json=body, headers=world.admin.headers)
        assert again.status_code == 202
        assert again.json()["id"] == first.json()["id"]
        seen = await mother_as_admins_see_her(client, world)
        assert (seen["lacks_capacity"], seen["approver_mandate_id"]) == (False, None)
        second = await client.post(
            world.capacity_url(), json=body, headers=world.second_admin.headers
        )
        assert second.status_code == 200, second.text
        assert second.json()["status"] == "applied"
        assert second.json()["decided_by_user_id"] == str(world.second_admin.id)
        seen = await mother_as_admins_see_her(client, world)
        assert (seen["lacks_capacity"], seen["approver_mandate_id"]) == (
            True,
            str(world.son_mandate),
        )
        # The member reads it too; another member does not.
        own = ok(
            await client.get(f"/api/v1/coops/{world.coop_id}/members", headers=world.mother.headers)
        ).json()["items"]
        mine = next(m for m in own if m["id"] == str(world.mother_member_id))
        assert (mine["lacks_capacity"], mine["approver_mandate_id"]) == (
            True,
            str(world.son_mandate),
        )
        others = ok(
            await client.get(
                f"/api/v1/coops/{world.coop_id}/members", headers=world.second_admin.headers
            )
        ).json()["items"]
        assert next(m for m in others if m["id"] == str(world.mother_member_id))["lacks_capacity"]
        # Ids only in the chain: whether she lacks capacity is about her health.
        entries = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action.like("capacity.%"))
                .order_by(AuditEntry.seq)
            )
        ).all()
        assert [e.action for e in entries] == [
            "capacity.change_requested",
            "capacity.change_applied",
        ]
        assert all("lacks_capacity" not in e.data for e in entries)
        assert {e.about_user_id for e in entries} == {world.mother.id}

    async def test_a_different_request_replaces_the_one_that_waits(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await family(client)
        first = await client.post(
            world.capacity_url(),
            json={"lacks_capacity": True, "approver_mandate_id": str(world.son_mandate)},
            headers=world.admin.headers,
        )
        other = await client.post(
            world.capacity_url(),
            json={"lacks_capacity": True},
            headers=world.second_admin.headers,
        )
        assert other.status_code == 202, other.text
        replaced = await session.get(CapacityChange, uuid.UUID(first.json()["id"]))
        assert replaced is not None
        await session.refresh(replaced)
        assert replaced.status == CapacityChangeStatus.superseded
        # The first administrator now agrees with the second's request: it applies.
        agreed = await client.post(
            world.capacity_url(), json={"lacks_capacity": True}, headers=world.admin.headers
        )
        assert agreed.status_code == 200, agreed.text
        listed = ok(await client.get(world.capacity_url(), headers=world.admin.headers)).json()
        # Both asked in the same instant here: their order is their ids'.
        assert sorted(c["status"] for c in listed["items"]) == ["applied", "superseded"]

    async def test_the_approver_must_be_an_active_mandate_of_hers_with_standing_in_law(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await family(client)
        helper = await grant(client, world.mother, await register_person(client))
        stranger = await register_person(client)
        someone_elses = await grant(client, stranger, world.son, role="deputy")
        invited = ok(
            await client.post(
                "/api/v1/me/representatives",
                json={
                    "email": (await register_person(client)).email,
                    "scopes": ["view"],
                    "limit_pence_per_cycle": 0,
                    "role": "parent",
                },
                headers=world.mother.headers,
            )
        ).json()["id"]
        for approver in (helper, someone_elses, invited, uuid.uuid4()):
            refused = await client.post(
                world.capacity_url(),
                json={"lacks_capacity": True, "approver_mandate_id": str(approver)},
                headers=world.admin.headers,
            )
            body = problem(refused, 422, "validation_error")
            assert body["errors"][0]["loc"] == ["body", "approver_mandate_id"]
        body = problem(
            await client.post(
                world.capacity_url(),
                json={"lacks_capacity": False, "approver_mandate_id": str(world.son_mandate)},
                headers=world.admin.headers,
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body", "approver_mandate_id"]
        assert (await session.scalars(select(CapacityChange))).all() == []

    async def test_only_administrators_in_person_may_ask(self, client: httpx.AsyncClient) -> None:
        world = await family(client)
        body = {"lacks_capacity": True}
        problem(
            await client.post(world.capacity_url(), json=body, headers=world.mother.headers),
            403,
            "forbidden",
        )
        problem(
            await client.post(
                world.capacity_url(), json=body, headers=world.son.on_behalf_of(world.mother)
            ),
            403,
            "outside_mandate",
        )
        problem(
            await client.post(
                world.capacity_url(), json=body, headers=(await register_person(client)).headers
            ),
            404,
            "not_found",
        )

    async def test_lifting_the_mark_takes_two_administrators_too(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        world = await family(client)
        await mark_lacking(client, world, approver=world.son_mandate)
        lift = {"lacks_capacity": False}
        first = await client.post(
            world.capacity_url(), json=lift, headers=world.second_admin.headers
        )
        assert first.status_code == 202
        member = await session.get(Member, world.mother_member_id)
        assert member is not None
        await session.refresh(member)
        assert member.lacks_capacity
        second = await client.post(world.capacity_url(), json=lift, headers=world.admin.headers)
        assert second.status_code == 200, second.text
        await session.refresh(member)
        assert (member.lacks_capacity, member.approver_mandate_id) == (False, None)


class TestTheDaughtersRefund:
    """The mother lacks capacity; her daughter, her suitable person, asks for a refund."""

    async def test_it_waits_for_the_named_approver_her_brother_not_for_her(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await family(client)
        await mark_lacking(client, world, approver=world.son_mandate)
        refund = await daughter_asks_for_refund(client, world)
        for_son = await waiting_for(client, world.son)
        assert [(a["subject_id"], a["holder"]["id"]) for a in for_son] == [
            (refund["id"], str(world.mother.id))
        ]
        assert await waiting_for(client, world.daughter) == []
        assert await waiting_for(client, world.mother) == []
        # Told to the brother only: never the daughter who asked, nor the mother.
        assert len(await notified(client, world.son, "approval.waiting")) == 1
        assert await notified(client, world.daughter, "approval.waiting") == []
        assert await notified(client, world.mother, "approval.waiting") == []
        approval_id = for_son[0]["id"]
        # The mother cannot be made to approve it; the daughter cannot approve her own request.
        problem(
            await client.post(
                f"/api/v1/me/approvals/{approval_id}/approve", headers=world.mother.headers
            ),
            403,
            "forbidden",
        )
        problem(
            await client.post(
                f"/api/v1/me/approvals/{approval_id}/approve", headers=world.daughter.headers
            ),
            404,
            "not_found",
        )
        problem(
            await client.post(
                f"/api/v1/coops/{world.coop_id}/approvals/{approval_id}/approve",
                headers=world.admin.headers,
            ),
            404,
            "not_found",
        )
        approved = await client.post(
            f"/api/v1/me/approvals/{approval_id}/approve", headers=world.son.headers
        )
        assert approved.status_code == 200, approved.text
        assert approved.json()["decided_by_user_id"] == str(world.son.id)
        posted = ok(
            await client.get(
                f"/api/v1/coops/{world.coop_id}/pool/refunds/{refund['id']}",
                headers=world.admin.headers,
            )
        ).json()
        assert posted["status"] == "posted"

    async def test_when_she_is_the_only_approver_two_administrators_decide(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await family(client)
        await mark_lacking(client, world, approver=world.daughter_mandate)
        refund = await daughter_asks_for_refund(client, world)
        assert await waiting_for(client, world.daughter) == []
        assert await notified(client, world.daughter, "approval.waiting") == []
        assert len(await notified(client, world.admin, "approval.waiting")) == 1
        assert len(await notified(client, world.second_admin, "approval.waiting")) == 1
        listed = ok(
            await client.get(
                f"/api/v1/coops/{world.coop_id}/approvals", headers=world.admin.headers
            )
        ).json()["items"]
        assert [a["subject_id"] for a in listed] == [refund["id"]]
        url = f"/api/v1/coops/{world.coop_id}/approvals/{listed[0]['id']}/approve"
        first = await client.post(url, headers=world.admin.headers)
        assert first.status_code == 202, first.text
        assert first.json()["status"] == "pending"
        # One administrator alone, however often, leaves it waiting.
        again = await client.post(url, headers=world.admin.headers)
        assert again.status_code == 202
        refund_url = f"/api/v1/coops/{world.coop_id}/pool/refunds/{refund['id']}"
        waiting = ok(await client.get(refund_url, headers=world.admin.headers)).json()
        assert waiting["status"] == "pending_holder_approval"
        second = await client.post(url, headers=world.second_admin.headers)
        assert second.status_code == 200, second.text
        assert second.json()["status"] == "approved"
        assert (
            ok(await client.get(refund_url, headers=world.admin.headers)).json()["status"]
            == "posted"
        )

    async def test_without_any_approver_two_administrators_decide_and_one_may_refuse(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await family(client)
        await mark_lacking(client, world, approver=None)
        refund = await daughter_asks_for_refund(client, world)
        assert await waiting_for(client, world.son) == []
        listed = ok(
            await client.get(
                f"/api/v1/coops/{world.coop_id}/approvals", headers=world.second_admin.headers
            )
        ).json()["items"]
        refused = await client.post(
            f"/api/v1/coops/{world.coop_id}/approvals/{listed[0]['id']}/refuse",
            headers=world.second_admin.headers,
        )
        assert refused.status_code == 200, refused.text
        assert refused.json()["status"] == "refused"
        assert (
            ok(
                await client.get(
                    f"/api/v1/coops/{world.coop_id}/pool/refunds/{refund['id']}",
                    headers=world.admin.headers,
                )
            ).json()["status"]
            == "refused"
        )

    async def test_an_administrator_who_asked_does_not_count_as_one_of_the_two(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await family(client)
        # The second administrator is also the mother's representative and asks herself.
        await grant(
            client, world.mother, world.second_admin, scopes=["view", "refund"], role="deputy"
        )
        await mark_lacking(client, world, approver=None)
        asked = await client.post(
            f"/api/v1/coops/{world.coop_id}/pool/refunds",
            json={
                "member_id": str(world.mother_member_id),
                "amount_pence": 10_000,
                "reason": "Equipment",
            },
            headers={
                **world.second_admin.on_behalf_of(world.mother),
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )
        assert asked.status_code == 201, asked.text
        listed = ok(
            await client.get(
                f"/api/v1/coops/{world.coop_id}/approvals", headers=world.admin.headers
            )
        ).json()["items"]
        url = f"/api/v1/coops/{world.coop_id}/approvals/{listed[0]['id']}/approve"
        problem(
            await client.post(url, headers=world.second_admin.headers),
            403,
            "second_admin_required",
        )
        assert await notified(client, world.second_admin, "approval.waiting") == []

    async def test_capacity_marked_after_the_request_moves_what_already_waits(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await family(client)
        refund = await daughter_asks_for_refund(client, world)
        assert [a["subject_id"] for a in await waiting_for(client, world.mother)] == [refund["id"]]
        await mark_lacking(client, world, approver=world.son_mandate)
        assert await waiting_for(client, world.mother) == []
        assert [a["subject_id"] for a in await waiting_for(client, world.son)] == [refund["id"]]

    async def test_a_revoked_approver_hands_the_decision_to_two_administrators(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await family(client)
        await mark_lacking(client, world, approver=world.son_mandate)
        refund = await daughter_asks_for_refund(client, world)
        ok(
            await client.delete(
                f"/api/v1/me/representatives/{world.son_mandate}", headers=world.mother.headers
            )
        )
        assert await waiting_for(client, world.son) == []
        listed = ok(
            await client.get(
                f"/api/v1/coops/{world.coop_id}/approvals", headers=world.admin.headers
            )
        ).json()["items"]
        assert [a["subject_id"] for a in listed] == [refund["id"]]
