"""A person's logins: listed, ended one at a time or by logging out, and ending by themselves
30 days after their last use and 90 days after they began."""

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock
from tests.factories import Person, login, register_person
from tests.helpers import ok, problem


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def second_login(client: httpx.AsyncClient, person: Person, agent: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token",
        data={"username": person.email, "password": person.password},
        headers={"User-Agent": agent},
    )
    return dict(ok(response).json())


async def sessions_of(client: httpx.AsyncClient, token: str) -> list[dict[str, Any]]:
    return list(ok(await client.get("/api/v1/me/sessions", headers=bearer(token))).json()["items"])


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})


class TestListSessions:
    async def test_lists_my_live_logins_newest_first_marking_this_one(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        someone_else = await register_person(client)
        clock.advance(timedelta(minutes=1))
        phone = await second_login(client, person, " Phone\tAndroid  ")
        items = await sessions_of(client, person.token)
        assert len(items) == 2
        [theirs] = await sessions_of(client, someone_else.token)
        assert theirs["id"] not in {i["id"] for i in items}
        newest, first = items
        assert newest["user_agent"] == "Phone Android"
        assert newest["current"] is False
        assert first["current"] is True
        assert newest["created_at"] > first["created_at"]
        assert newest["last_used_at"] == newest["created_at"]
        assert set(newest) == {"id", "created_at", "last_used_at", "user_agent", "current"}
        assert [i["current"] for i in await sessions_of(client, phone["access_token"])] == [
            True,
            False,
        ]

    async def test_a_refresh_is_a_use(self, client: httpx.AsyncClient, clock: FrozenClock) -> None:
        person = await register_person(client)
        clock.advance(timedelta(days=3))
        pair = ok(await refresh(client, person.refresh_token)).json()
        [item] = await sessions_of(client, pair["access_token"])
        assert item["last_used_at"] > item["created_at"]


class TestEndSession:
    async def test_ends_another_login_at_once_and_keeps_this_one(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        phone = await second_login(client, person, "phone")
        [phone_login] = [i for i in await sessions_of(client, person.token) if not i["current"]]
        response = await client.delete(
            f"/api/v1/me/sessions/{phone_login['id']}", headers=person.headers
        )
        assert response.status_code == 204
        problem(
            await client.get("/api/v1/me", headers=bearer(phone["access_token"])),
            401,
            "not_authenticated",
        )
        problem(await refresh(client, phone["refresh_token"]), 401, "not_authenticated")
        ok(await client.get("/api/v1/me", headers=person.headers))
        assert len(await sessions_of(client, person.token)) == 1
        problem(
            await client.delete(f"/api/v1/me/sessions/{phone_login['id']}", headers=person.headers),
            404,
            "not_found",
        )
        actions = (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.subject_id == phone_login["id"])
            )
        ).all()
        assert sorted(actions) == ["auth.login", "auth.login_ended"]

    async def test_someone_elses_login_is_not_found_and_goes_on(
        self, client: httpx.AsyncClient
    ) -> None:
        owner = await register_person(client)
        other = await register_person(client)
        [theirs] = await sessions_of(client, owner.token)
        problem(
            await client.delete(f"/api/v1/me/sessions/{theirs['id']}", headers=other.headers),
            404,
            "not_found",
        )
        ok(await client.get("/api/v1/me", headers=owner.headers))


class TestLogout:
    async def test_ends_only_the_callers_login(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        phone = await second_login(client, person, "phone")
        response = await client.post("/api/v1/auth/logout", headers=person.headers)
        assert response.status_code == 204
        assert response.content == b""
        problem(await client.get("/api/v1/me", headers=person.headers), 401, "not_authenticated")
        problem(await refresh(client, person.refresh_token), 401, "not_authenticated")
        ok(await client.get("/api/v1/me", headers=bearer(phone["access_token"])))

    async def test_needs_a_token(self, client: httpx.AsyncClient) -> None:
        problem(await client.post("/api/v1/auth/logout"), 401, "not_authenticated")


class TestLoginLifetime:
    async def test_a_login_unused_for_30_days_ends(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        clock.advance(timedelta(days=29, hours=23))
        pair = ok(await refresh(client, person.refresh_token)).json()  # used: 30 more days
        clock.advance(timedelta(days=29, hours=23))
        pair = ok(await refresh(client, pair["refresh_token"])).json()
        clock.advance(timedelta(days=30))
        problem(await refresh(client, pair["refresh_token"]), 401, "not_authenticated")

    async def test_a_login_ends_90_days_after_it_began_whatever_refreshes_happen(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        token = person.refresh_token
        for _ in range(4):  # used every 20 days: never idle for 30
            clock.advance(timedelta(days=20))
            token = ok(await refresh(client, token)).json()["refresh_token"]
        clock.advance(timedelta(days=9, hours=23, minutes=58))  # 89 days 23:58 after sign-in
        pair = ok(await refresh(client, token)).json()
        ok(await client.get("/api/v1/me", headers=bearer(pair["access_token"])))
        clock.advance(timedelta(minutes=3))  # the access token itself has 12 minutes left
        problem(
            await client.get("/api/v1/me", headers=bearer(pair["access_token"])),
            401,
            "not_authenticated",
        )
        problem(await refresh(client, pair["refresh_token"]), 401, "not_authenticated")
        assert (
            await login(client, email=person.email, password=person.password)
        ).status_code == 200

    async def test_an_ended_login_is_not_listed(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        clock.advance(timedelta(days=31))
        fresh = ok(await login(client, email=person.email, password=person.password)).json()
        [only] = await sessions_of(client, fresh["access_token"])
        assert only["current"] is True
