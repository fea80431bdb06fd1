"""Changing one's password: every other login ends at once; a wrong current password is a
refusal that counts as a failed login."""

from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.auth.models import LoginFailure, User
from app.core.clock import FrozenClock
from tests.factories import DEFAULT_PASSWORD, login, register_person
from tests.helpers import ok, problem

NEW_PASSWORD = "a brand new passphrase"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class TestChangePassword:
    async def test_every_other_login_ends_at_once_and_this_one_goes_on(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        laptop = ok(await login(client, email=person.email, password=person.password)).json()
        response = await client.post(
            "/api/v1/me/password",
            json={"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
            headers=person.headers,
        )
        assert response.status_code == 204
        problem(
            await client.get("/api/v1/me", headers=bearer(laptop["access_token"])),
            401,
            "not_authenticated",
        )
        problem(
            await client.post(
                "/api/v1/auth/refresh", json={"refresh_token": laptop["refresh_token"]}
            ),
            401,
            "not_authenticated",
        )
        ok(await client.get("/api/v1/me", headers=person.headers))
        ok(await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token}))
        problem(
            await login(client, email=person.email, password=DEFAULT_PASSWORD),
            401,
            "invalid_credentials",
        )
        ok(await login(client, email=person.email, password=NEW_PASSWORD))
        entry = await session.scalar(
            select(AuditEntry).where(
                AuditEntry.action == "user.password_changed", AuditEntry.about_user_id == person.id
            )
        )
        assert entry is not None
        assert entry.data == {"logins_ended": 1}

    async def test_a_wrong_current_password_is_403_changes_nothing_and_counts_as_a_failure(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        before = await session.scalar(select(User.password_hash).where(User.id == person.id))
        response = await client.post(
            "/api/v1/me/password",
            json={"current_password": "not my password", "new_password": NEW_PASSWORD},
            headers={**person.headers, "Accept-Language": "cy"},
        )
        body = problem(response, 403, "wrong_password")
        assert body["title"] == "Cyfrinair anghywir"
        assert (
            await session.scalar(select(User.password_hash).where(User.id == person.id)) == before
        )
        failures = await session.scalar(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.email == person.email)
        )
        assert failures == 1
        ok(await client.get("/api/v1/me", headers=person.headers))

    async def test_wrong_passwords_are_throttled_like_logins(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        body = {"current_password": "not my password", "new_password": NEW_PASSWORD}
        for _ in range(5):
            problem(
                await client.post("/api/v1/me/password", json=body, headers=person.headers),
                403,
                "wrong_password",
            )
        right = {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
        blocked = await client.post("/api/v1/me/password", json=right, headers=person.headers)
        problem(blocked, 429, "too_many_attempts")
        assert int(blocked.headers["Retry-After"]) > 0
        # The same count as signing in from this address.
        problem(
            await login(client, email=person.email, password=DEFAULT_PASSWORD),
            429,
            "too_many_attempts",
        )
        clock.advance(timedelta(minutes=15))
        fresh = ok(await login(client, email=person.email, password=DEFAULT_PASSWORD)).json()
        response = await client.post(
            "/api/v1/me/password", json=right, headers=bearer(fresh["access_token"])
        )
        assert response.status_code == 204

    async def test_a_short_new_password_is_a_typed_validation_error_in_their_language(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client, preferred_language="cy")
        response = await client.post(
            "/api/v1/me/password",
            json={"current_password": DEFAULT_PASSWORD, "new_password": "tiny-pw"},
            headers={**person.headers, "Accept-Language": "en-GB,en;q=0.9"},
        )
        body = problem(response, 422, "validation_error")
        [error] = body["errors"]
        assert error["loc"] == ["body", "new_password"]
        assert error["type"] == "string_too_short"
        assert error["ctx"] == {"min_length": 12}
        assert error["msg"] == "Dylai'r testun fod o leiaf 12 nod o hyd."
        assert response.headers["content-language"] == "cy"
        assert "tiny-pw" not in response.text
