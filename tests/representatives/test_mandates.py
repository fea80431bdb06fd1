import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.representatives.models import Mandate
from tests.factories import grant_mandate, register_person, unique_email
from tests.helpers import ok, problem

URL = "/api/v1/me/representatives"


async def mandates(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Mandate)) or 0


class TestGrantMandate:
    async def test_grants_an_invitation_that_names_nobody_until_accepted(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client, full_name="Dafydd Rep")
        response = await client.post(
            URL,
            json={
                "email": rep.email.upper(),
                "scopes": ["vote", "view"],
                "limit_pence_per_cycle": 5_000,
            },
            headers=holder.headers,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["status"] == "invited"
        assert body["email"] == rep.email
        assert body["representative"] is None
        assert "Dafydd" not in response.text
        assert str(rep.id) not in response.text
        assert sorted(body["scopes"]) == ["view", "vote"]
        assert body["limit_pence_per_cycle"] == 5_000
        assert body["revoked_at"] is None
        activity = (await client.get("/api/v1/me/activity", headers=holder.headers)).json()
        assert activity["items"][0]["action"] == "mandate.granted"
        assert str(rep.id) not in str(activity)
        accepted = await client.post(
            f"/api/v1/me/representing/{body['id']}/accept", headers=rep.headers
        )
        assert accepted.status_code == 200, accepted.text
        listed = (await client.get(URL, headers=holder.headers)).json()["items"][0]
        assert listed["status"] == "active"
        assert listed["representative"] == {
            "id": str(rep.id),
            "full_name": "Dafydd Rep",
            "email": rep.email,
        }

    async def test_an_unknown_email_answers_exactly_as_a_known_one_and_creates_no_one(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        known = await register_person(client)
        users = await session.scalar(select(func.count()).select_from(User))
        answers = []
        for email in (known.email, unique_email()):
            response = await client.post(
                URL,
                json={"email": email, "scopes": ["view"], "limit_pence_per_cycle": 0},
                headers=holder.headers,
            )
            assert response.status_code == 201, response.text
            body = response.json()
            assert body["email"] == email
            answers.append(
                {k: v for k, v in body.items() if k not in ("id", "email")}
                | {"headers": sorted(k for k in response.headers if k != "content-length")}
            )
        assert answers[0] == answers[1]
        assert await session.scalar(select(func.count()).select_from(User)) == users

    async def test_you_cannot_represent_yourself(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        body = problem(
            await client.post(
                URL,
                json={"email": holder.email, "scopes": ["view"], "limit_pence_per_cycle": 0},
                headers=holder.headers,
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body", "email"]

    @pytest.mark.parametrize(
        "override",
        [
            {"scopes": []},
            {"scopes": ["view", "view"]},
            {"scopes": ["admin"]},
            {"limit_pence_per_cycle": -1},
            {"limit_pence_per_cycle": 10.5},
            {"limit_pence_per_cycle": "500"},
        ],
    )
    async def test_bad_scopes_or_limits_are_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, override: dict[str, object]
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        before = await mandates(session)
        body = {"email": rep.email, "scopes": ["view"], "limit_pence_per_cycle": 0, **override}
        problem(await client.post(URL, json=body, headers=holder.headers), 422, "validation_error")
        assert await mandates(session) == before

    async def test_a_second_live_mandate_is_a_conflict_until_revoked(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        first = await grant_mandate(client, holder, rep)
        before = await mandates(session)
        body = {"email": rep.email, "scopes": ["vote"], "limit_pence_per_cycle": 0}
        problem(await client.post(URL, json=body, headers=holder.headers), 409, "mandate_exists")
        assert await mandates(session) == before
        ok(await client.delete(f"{URL}/{first}", headers=holder.headers))
        assert (await client.post(URL, json=body, headers=holder.headers)).status_code == 201

    async def test_who_may_not(self, client: httpx.AsyncClient, session: AsyncSession) -> None:
        rep = await register_person(client)
        body = {"email": rep.email, "scopes": ["view"], "limit_pence_per_cycle": 0}
        problem(await client.post(URL, json=body), 401, "not_authenticated")
        holder = await register_person(client)
        await grant_mandate(client, holder, rep, scopes=("view", "contribute", "vote", "refund"))
        third = await register_person(client)
        before = await mandates(session)
        problem(
            await client.post(
                URL,
                json={"email": third.email, "scopes": ["view"], "limit_pence_per_cycle": 0},
                headers=rep.on_behalf_of(holder),
            ),
            403,
            "outside_mandate",
        )
        assert await mandates(session) == before


class TestListMandates:
    async def test_lists_what_i_granted_newest_first_with_revoked_ones(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        first = await grant_mandate(client, holder, await register_person(client))
        second = await grant_mandate(client, holder, await register_person(client))
        ok(await client.delete(f"{URL}/{first}", headers=holder.headers))
        someone = await register_person(client)
        await grant_mandate(client, someone, await register_person(client))
        response = await client.get(URL, headers=holder.headers)
        assert response.status_code == 200
        items = response.json()["items"]
        assert {i["id"] for i in items} == {str(first), str(second)}
        revoked = {i["id"]: i["revoked_at"] for i in items}
        assert revoked[str(first)] is not None
        assert revoked[str(second)] is None

    async def test_anonymous_is_refused(self, client: httpx.AsyncClient) -> None:
        problem(await client.get(URL), 401, "not_authenticated")


class TestRevokeMandate:
    async def test_revocation_is_immediate(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        mandate_id = await grant_mandate(client, holder, rep, scopes=("view",))
        me = await client.get("/api/v1/me", headers=rep.on_behalf_of(holder))
        problem(me, 403, "outside_mandate")  # GET /me is the caller's own, never on behalf
        assert (
            await client.get("/api/v1/me/direct-payment", headers=rep.on_behalf_of(holder))
        ).status_code == 404
        response = await client.delete(f"{URL}/{mandate_id}", headers=holder.headers)
        assert response.status_code == 204
        assert response.content == b""
        problem(
            await client.get("/api/v1/me/direct-payment", headers=rep.on_behalf_of(holder)),
            403,
            "no_mandate",
        )
        again = await client.delete(f"{URL}/{mandate_id}", headers=holder.headers)
        assert again.status_code == 204
        activity = (await client.get("/api/v1/me/activity", headers=holder.headers)).json()
        assert [e["action"] for e in activity["items"]].count("mandate.revoked") == 1

    async def test_another_holders_mandate_is_not_found_and_stays(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        mandate_id = await grant_mandate(client, holder, rep)
        problem(await client.delete(f"{URL}/{mandate_id}", headers=rep.headers), 404, "not_found")
        problem(
            await client.delete(f"{URL}/{uuid.uuid4()}", headers=holder.headers), 404, "not_found"
        )
        mandate = await session.get(Mandate, mandate_id)
        assert mandate is not None
        assert mandate.revoked_at is None

    async def test_who_may_not(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        mandate_id = await grant_mandate(client, holder, rep, scopes=("view", "refund"))
        problem(await client.delete(f"{URL}/{mandate_id}"), 401, "not_authenticated")
        problem(
            await client.delete(f"{URL}/{mandate_id}", headers=rep.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )


class TestMeShowsRepresentation:
    async def test_both_sides_see_the_live_mandate(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client, full_name="Holder Hughes")
        rep = await register_person(client, full_name="Rep Roberts")
        mandate_id = await grant_mandate(client, holder, rep, scopes=("vote", "view"))
        holder_me = (await client.get("/api/v1/me", headers=holder.headers)).json()
        rep_me = (await client.get("/api/v1/me", headers=rep.headers)).json()
        assert holder_me["represented_by"] == [
            {
                "user_id": str(rep.id),
                "full_name": "Rep Roberts",
                "scopes": ["view", "vote"],
                "mandate_id": str(mandate_id),
            }
        ]
        assert rep_me["representing"] == [
            {
                "user_id": str(holder.id),
                "full_name": "Holder Hughes",
                "scopes": ["view", "vote"],
                "mandate_id": str(mandate_id),
            }
        ]
        assert holder_me["representing"] == []
        ok(await client.delete(f"{URL}/{mandate_id}", headers=holder.headers))
        assert (await client.get("/api/v1/me", headers=rep.headers)).json()["representing"] == []
