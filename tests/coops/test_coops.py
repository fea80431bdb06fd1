import uuid

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.coops.models import Coop, Member
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    agree_rules,
    apply_to_coop,
    create_coop,
    grant_mandate,
    join_coop,
    register_person,
    set_admin,
)
from tests.helpers import problem


async def count(session: AsyncSession, model: type) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


def coop_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Cydweithfa Gofal",
        "description": "Care bought together.",
        "area_codes": [CARDIFF],
        "rules": {},
    }
    body.update(overrides)
    return body


class TestCreateCoop:
    async def test_the_founder_becomes_an_active_admin_service_user(
        self, client: httpx.AsyncClient
    ) -> None:
        founder = await register_person(client)
        response = await client.post("/api/v1/coops", json=coop_body(), headers=founder.headers)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["area_codes"] == [CARDIFF]
        assert body["rules"] == {
            "voting_mode": "one_member_one_vote",
            "class_weights": None,
            "quorum_percent": 25,
            "pass_percent": 50,
            "award_requires_vote": True,
            "refund_second_approval_pence": 50000,
            "variation_vote_percent": 5,
            "visit_confirm_hours": 48,
            "invoice_dispute_days": 2,
            "invoices_from_visits_only": False,
        }
        assert body["member_count"] == {"value": None, "suppressed": True}
        me = (await client.get("/api/v1/me", headers=founder.headers)).json()
        assert me["memberships"] == [
            {
                "id": me["memberships"][0]["id"],
                "coop_id": body["id"],
                "coop_name": body["name"],
                "member_class": "service_user",
                "is_admin": True,
                "status": "active",
                "balance_pence": 0,
            }
        ]

    async def test_founder_class_is_honoured(self, client: httpx.AsyncClient) -> None:
        founder = await register_person(client)
        coop_id = await create_coop(client, founder, founder_class="community_supporter")
        members = (
            await client.get(f"/api/v1/coops/{coop_id}/members", headers=founder.headers)
        ).json()
        assert members["items"][0]["member_class"] == "community_supporter"

    async def test_class_weighted_rules_are_kept(self, client: httpx.AsyncClient) -> None:
        founder = await register_person(client)
        rules = {
            "voting_mode": "class_weighted",
            "class_weights": {"service_user": 50, "worker": 20, "carer": 30},
            "quorum_percent": 40,
            "pass_percent": 66,
            "award_requires_vote": False,
            "refund_second_approval_pence": 0,
            "variation_vote_percent": 10,
            "visit_confirm_hours": 24,
            "invoice_dispute_days": 5,
            "invoices_from_visits_only": True,
        }
        response = await client.post(
            "/api/v1/coops", json=coop_body(rules=rules), headers=founder.headers
        )
        assert response.status_code == 201, response.text
        assert response.json()["rules"] == rules

    async def test_bad_rules_are_validation_errors_and_create_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        founder = await register_person(client)
        before = await count(session, Coop)
        for rules in (
            {"voting_mode": "class_weighted"},
            {"voting_mode": "class_weighted", "class_weights": {"service_user": 60, "carer": 30}},
            {"voting_mode": "class_weighted", "class_weights": {"landlord": 100}},
            {"class_weights": {"service_user": 100}},
            {"quorum_percent": 101},
            {"pass_percent": -1},
            {"refund_second_approval_pence": 10.5},
            {"refund_second_approval_pence": "100"},
            {"refund_second_approval_pence": -1},
            {"quorum_percent": True},
            {"voting_mode": "dictatorship"},
        ):
            response = await client.post(
                "/api/v1/coops", json=coop_body(rules=rules), headers=founder.headers
            )
            body = problem(response, 422, "validation_error")
            assert body["errors"][0]["loc"][:2] == ["body", "rules"], rules
        assert await count(session, Coop) == before

    async def test_an_unknown_area_is_a_validation_error(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        founder = await register_person(client)
        before = await count(session, Coop)
        response = await client.post(
            "/api/v1/coops", json=coop_body(area_codes=["W06999999"]), headers=founder.headers
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"][:2] == ["body", "area_codes"]
        problem(
            await client.post(
                "/api/v1/coops", json=coop_body(area_codes=[]), headers=founder.headers
            ),
            422,
            "validation_error",
        )
        assert await count(session, Coop) == before

    async def test_anonymous_is_refused(self, client: httpx.AsyncClient) -> None:
        problem(await client.post("/api/v1/coops", json=coop_body()), 401, "not_authenticated")

    async def test_a_representative_cannot_found_a_coop_for_a_holder(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        await grant_mandate(client, holder, rep, scopes=("view", "contribute", "vote", "refund"))
        before = await count(session, Coop)
        problem(
            await client.post("/api/v1/coops", json=coop_body(), headers=rep.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )
        assert await count(session, Coop) == before


class TestListCoops:
    async def test_is_public_with_a_disclosure_controlled_member_count(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client)
        small = await create_coop(client, admin, name="AAA small co-op")
        big = await create_coop(client, admin, name="AAB big co-op", area_codes=(SWANSEA,))
        for _ in range(8):
            await join_coop(client, big, await register_person(client), admin)
        await apply_to_coop(client, big, await register_person(client))  # pending: not counted
        response = await client.get("/api/v1/coops", params={"limit": 200})
        assert response.status_code == 200
        by_id = {item["id"]: item for item in response.json()["items"]}
        assert by_id[str(small)]["member_count"] == {"value": None, "suppressed": True}
        assert by_id[str(big)]["member_count"] == {"value": 10, "suppressed": False}
        assert by_id[str(big)]["area_codes"] == [SWANSEA]
        assert "rules" not in by_id[str(big)]

    async def test_filters_by_area_and_pages_in_name_order(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        ids = [
            await create_coop(client, admin, name=f"Zed {n}", area_codes=("W06000001",))
            for n in range(3)
        ]
        first = (
            await client.get("/api/v1/coops", params={"area_code": "W06000001", "limit": 2})
        ).json()
        assert [item["id"] for item in first["items"]] == [str(i) for i in ids[:2]]
        second = (
            await client.get(
                "/api/v1/coops",
                params={"area_code": "W06000001", "limit": 2, "cursor": first["next_cursor"]},
            )
        ).json()
        assert [item["id"] for item in second["items"]] == [str(ids[2])]
        assert second["next_cursor"] is None


class TestGetCoop:
    async def test_is_public_without_rules(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        response = await client.get(f"/api/v1/coops/{coop_id}")
        assert response.status_code == 200
        assert response.json()["rules"] is None
        outsider = await register_person(client)
        response = await client.get(f"/api/v1/coops/{coop_id}", headers=outsider.headers)
        assert response.json()["rules"] is None

    async def test_members_see_the_rules(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin, quorum_percent=30)
        member = await register_person(client)
        await join_coop(client, coop_id, member, admin, "carer")
        response = await client.get(f"/api/v1/coops/{coop_id}", headers=member.headers)
        assert response.json()["rules"]["quorum_percent"] == 30

    async def test_a_representative_sees_the_rules_only_with_view(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        viewer = await register_person(client)
        await grant_mandate(client, admin, viewer, scopes=("view",))
        voter = await register_person(client)
        await grant_mandate(client, admin, voter, scopes=("vote",))
        url = f"/api/v1/coops/{coop_id}"
        assert (await client.get(url, headers=viewer.on_behalf_of(admin))).json()["rules"]
        assert (await client.get(url, headers=voter.on_behalf_of(admin))).json()["rules"] is None

    async def test_an_unknown_coop_is_not_found(self, client: httpx.AsyncClient) -> None:
        problem(await client.get(f"/api/v1/coops/{uuid.uuid4()}"), 404, "not_found")

    async def test_a_bad_token_is_refused_even_on_a_public_read(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        problem(
            await client.get(
                f"/api/v1/coops/{coop_id}", headers={"Authorization": "Bearer nonsense"}
            ),
            401,
            "not_authenticated",
        )


class TestUpdateCoop:
    async def test_an_admin_changes_fields_and_merges_rules(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        response = await client.patch(
            f"/api/v1/coops/{coop_id}",
            json={
                "name": "New name",
                "area_codes": [SWANSEA, CARDIFF],
                "rules": {"quorum_percent": 40},
            },
            headers=admin.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["name"] == "New name"
        assert body["area_codes"] == sorted([SWANSEA, CARDIFF])
        assert body["rules"]["quorum_percent"] == 40
        assert body["rules"]["pass_percent"] == 50
        # A change of voting mode needs a second administrator (tests/coops/test_safeguards.py).
        second = await register_person(client)
        await join_coop(client, coop_id, second, admin, "carer")
        await set_admin(client, coop_id, second, admin, True)
        weights = {"service_user": 70, "carer": 30}
        await agree_rules(
            client,
            coop_id,
            admin,
            second,
            {"voting_mode": "class_weighted", "class_weights": weights},
        )
        after = (await client.get(f"/api/v1/coops/{coop_id}", headers=admin.headers)).json()
        assert after["rules"]["class_weights"] == weights
        assert after["rules"]["quorum_percent"] == 40
        await agree_rules(client, coop_id, second, admin, {"voting_mode": "one_member_one_vote"})
        back = await client.patch(
            f"/api/v1/coops/{coop_id}", json={"area_codes": [CARDIFF]}, headers=admin.headers
        )
        assert back.json()["rules"]["class_weights"] is None
        assert back.json()["area_codes"] == [CARDIFF]
        actions = (
            await session.scalars(select(AuditEntry.action).where(AuditEntry.coop_id == coop_id))
        ).all()
        assert actions.count("coop.updated") == 4

    async def test_rules_that_do_not_hold_together_change_nothing(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        response = await client.patch(
            f"/api/v1/coops/{coop_id}",
            json={"name": "Changed", "rules": {"voting_mode": "class_weighted"}},
            headers=admin.headers,
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"][:2] == ["body", "rules"]
        after = (await client.get(f"/api/v1/coops/{coop_id}", headers=admin.headers)).json()
        assert after["name"] != "Changed"
        assert after["rules"]["voting_mode"] == "one_member_one_vote"

    async def test_who_may_not(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        member = await register_person(client)
        await join_coop(client, coop_id, member, admin)
        outsider = await register_person(client)
        url = f"/api/v1/coops/{coop_id}"
        patch = {"name": "Hijacked"}
        problem(await client.patch(url, json=patch), 401, "not_authenticated")
        problem(await client.patch(url, json=patch, headers=outsider.headers), 404, "not_found")
        problem(await client.patch(url, json=patch, headers=member.headers), 403, "forbidden")
        rep = await register_person(client)
        await grant_mandate(client, admin, rep, scopes=("view", "vote", "contribute", "refund"))
        problem(
            await client.patch(url, json=patch, headers=rep.on_behalf_of(admin)),
            403,
            "outside_mandate",
        )
        assert (await client.get(url)).json()["name"] != "Hijacked"


class TestCoopAudit:
    async def test_admins_read_the_coops_entries_newest_first(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        other = await create_coop(client, admin, name="Another")
        await join_coop(client, coop_id, await register_person(client), admin)
        response = await client.get(f"/api/v1/coops/{coop_id}/audit", headers=admin.headers)
        assert response.status_code == 200
        items = response.json()["items"]
        assert [e["action"] for e in items] == [
            "member.approved",
            "member.applied",
            "member.founded",
            "coop.created",
        ]
        assert all(e["coop_id"] == str(coop_id) for e in items)
        assert str(other) not in response.text
        page = (
            await client.get(
                f"/api/v1/coops/{coop_id}/audit", params={"limit": 3}, headers=admin.headers
            )
        ).json()
        assert page["next_cursor"] is not None

    async def test_who_may_not(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        member = await register_person(client)
        await join_coop(client, coop_id, member, admin)
        applicant = await register_person(client)
        await apply_to_coop(client, coop_id, applicant)
        elsewhere = await register_person(client)
        await create_coop(client, elsewhere, name="Elsewhere")
        url = f"/api/v1/coops/{coop_id}/audit"
        problem(await client.get(url), 401, "not_authenticated")
        problem(await client.get(url, headers=elsewhere.headers), 404, "not_found")
        problem(await client.get(url, headers=applicant.headers), 404, "not_found")
        problem(await client.get(url, headers=member.headers), 403, "forbidden")


async def test_membership_rows_are_one_per_person_per_coop(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    founder: Person = await register_person(client)
    coop_id = await create_coop(client, founder)
    rows = await session.scalar(
        select(func.count()).select_from(Member).where(Member.coop_id == coop_id)
    )
    assert rows == 1
