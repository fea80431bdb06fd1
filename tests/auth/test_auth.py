from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginFailure, User
from app.core.clock import FrozenClock
from tests.factories import DEFAULT_PASSWORD, login, register_person, unique_email
from tests.helpers import problem


class TestRegister:
    async def test_creates_an_account_with_an_argon2id_hash(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        email = unique_email()
        response = await client.post(
            "/api/v1/auth/register",
            json={
                "email": email.upper(),
                "password": DEFAULT_PASSWORD,
                "full_name": "Siân Ŵyn",
                "preferred_language": "cy",
            },
        )
        assert response.status_code == 201
        body = response.json()
        assert body["email"] == email
        assert body["full_name"] == "Siân Ŵyn"
        assert body["preferred_language"] == "cy"
        assert "password" not in response.text
        user = await session.scalar(select(User).where(User.email == email))
        assert user is not None
        assert user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$")

    async def test_a_duplicate_email_is_email_taken_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        response = await client.post(
            "/api/v1/auth/register",
            json={"email": person.email, "password": DEFAULT_PASSWORD, "full_name": "Other"},
        )
        problem(response, 409, "email_taken")
        count = await session.scalar(
            select(func.count()).select_from(User).where(User.email == person.email)
        )
        assert count == 1

    async def test_a_short_password_is_a_validation_error_that_does_not_echo_it(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.post(
            "/api/v1/auth/register",
            json={"email": unique_email(), "password": "short-pw", "full_name": "A"},
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"] == ["body", "password"]
        assert "short-pw" not in response.text

    async def test_an_unknown_field_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        email = unique_email()
        response = await client.post(
            "/api/v1/auth/register",
            json={
                "email": email,
                "password": DEFAULT_PASSWORD,
                "full_name": "A",
                "is_platform_admin": True,
            },
        )
        body = problem(response, 422, "validation_error")
        assert ["body", "is_platform_admin"] in [e["loc"] for e in body["errors"]]
        assert await session.scalar(select(User.id).where(User.email == email)) is None


class TestToken:
    async def test_issues_a_bearer_pair_that_lives_at_most_15_minutes(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        response = await login(client, email=person.email, password=person.password)
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert 0 < body["expires_in"] <= 900
        assert body["access_token"]
        assert body["refresh_token"]

    async def test_unknown_email_and_wrong_password_get_the_same_answer(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        wrong = await login(client, email=person.email, password="not the password at all")
        unknown = await login(client, email=unique_email(), password="not the password at all")
        assert problem(wrong, 401, "invalid_credentials") == problem(
            unknown, 401, "invalid_credentials"
        )

    async def test_five_failures_for_one_email_are_throttled_until_15_minutes_after_the_last(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        for _ in range(5):
            problem(
                await login(client, email=person.email, password="wrong password!!"),
                401,
                "invalid_credentials",
            )
            clock.advance(timedelta(seconds=10))
        blocked = await login(client, email=person.email, password=person.password)
        problem(blocked, 429, "too_many_attempts")
        assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60
        clock.advance(timedelta(minutes=15))
        assert (
            await login(client, email=person.email, password=person.password)
        ).status_code == 200

    async def test_a_success_clears_the_email_count(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        for _ in range(4):
            problem(
                await login(client, email=person.email, password="wrong password!!"),
                401,
                "invalid_credentials",
            )
        assert (
            await login(client, email=person.email, password=person.password)
        ).status_code == 200
        remaining = await session.scalar(
            select(func.count()).select_from(LoginFailure).where(LoginFailure.email == person.email)
        )
        assert remaining == 0
        # Four more failures are not the fifth to ninth: the count began again.
        for _ in range(4):
            problem(
                await login(client, email=person.email, password="wrong password!!"),
                401,
                "invalid_credentials",
            )
        assert (
            await login(client, email=person.email, password=person.password)
        ).status_code == 200

    async def test_fifty_failures_from_one_address_are_throttled(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        session.add_all(
            LoginFailure(email=unique_email(), client_address="203.0.113.10", at=clock.now())
            for _ in range(50)
        )
        await session.commit()
        problem(
            await login(client, email=person.email, password=person.password),
            429,
            "too_many_attempts",
        )


class TestRefresh:
    async def test_a_refresh_token_works_once_and_rotates(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        first = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": person.refresh_token}
        )
        assert first.status_code == 200
        new_pair = first.json()
        assert new_pair["refresh_token"] != person.refresh_token
        me = await client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {new_pair['access_token']}"}
        )
        assert me.status_code == 200
        # Once: the spent token is refused.
        problem(
            await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token}),
            401,
            "not_authenticated",
        )

    async def test_a_spent_token_revokes_every_token_of_that_login(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        rotated = (
            await client.post("/api/v1/auth/refresh", json={"refresh_token": person.refresh_token})
        ).json()
        reuse = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": person.refresh_token}
        )
        problem(reuse, 401, "not_authenticated")
        # The thief's and the owner's tokens from that login are all dead now.
        problem(await client.get("/api/v1/me", headers=person.headers), 401, "not_authenticated")
        problem(
            await client.get(
                "/api/v1/me", headers={"Authorization": f"Bearer {rotated['access_token']}"}
            ),
            401,
            "not_authenticated",
        )
        problem(
            await client.post(
                "/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]}
            ),
            401,
            "not_authenticated",
        )
        # Another login of the same person is untouched.
        again = await login(client, email=person.email, password=person.password)
        assert again.status_code == 200

    async def test_an_unknown_refresh_token_is_refused(self, client: httpx.AsyncClient) -> None:
        problem(
            await client.post("/api/v1/auth/refresh", json={"refresh_token": "nope"}),
            401,
            "not_authenticated",
        )


class TestAccessTokens:
    async def test_no_token_is_401(self, client: httpx.AsyncClient) -> None:
        problem(await client.get("/api/v1/me"), 401, "not_authenticated")

    async def test_a_forged_token_is_401(self, client: httpx.AsyncClient) -> None:
        problem(
            await client.get("/api/v1/me", headers={"Authorization": "Bearer abc.def.ghi"}),
            401,
            "not_authenticated",
        )

    async def test_an_expired_token_is_401(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        clock.advance(timedelta(seconds=901))
        problem(await client.get("/api/v1/me", headers=person.headers), 401, "not_authenticated")

    async def test_a_token_signed_with_another_algorithm_is_refused(
        self, client: httpx.AsyncClient
    ) -> None:
        import jwt

        person = await register_person(client)
        claims = jwt.decode(person.token, options={"verify_signature": False})
        unsigned = jwt.encode(claims, key="", algorithm="none")
        problem(
            await client.get("/api/v1/me", headers={"Authorization": f"Bearer {unsigned}"}),
            401,
            "not_authenticated",
        )


class TestMe:
    async def test_describes_the_caller(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client, full_name="Gwenllïan Jones")
        body = (await client.get("/api/v1/me", headers=person.headers)).json()
        assert body["id"] == str(person.id)
        assert body["full_name"] == "Gwenllïan Jones"
        assert body["is_platform_admin"] is False
        for key in (
            "memberships",
            "provider_ids",
            "la_area_codes",
            "representing",
            "represented_by",
        ):
            assert body[key] == []


class TestPasswordsAreTakenExactly:
    async def test_surrounding_spaces_are_part_of_the_password(
        self, client: httpx.AsyncClient
    ) -> None:
        password = "  spaced out password  "
        person = await register_person(client, password=password)
        assert (await login(client, email=person.email, password=password)).status_code == 200
        problem(
            await login(client, email=person.email, password=password.strip()),
            401,
            "invalid_credentials",
        )


class TestRegistrationRateLimit:
    async def test_twenty_registrations_an_hour_from_one_address_then_429(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock, session: AsyncSession
    ) -> None:
        app.state.settings = app.state.settings.model_copy(
            update={"registrations_per_address_per_hour": 20}
        )

        def body() -> dict[str, str]:
            return {"email": unique_email(), "password": DEFAULT_PASSWORD, "full_name": "Bulk"}

        for _ in range(20):
            assert (await client.post("/api/v1/auth/register", json=body())).status_code == 201
        refused = await client.post("/api/v1/auth/register", json=body())
        problem(refused, 429, "too_many_attempts")
        assert 0 < int(refused.headers["Retry-After"]) <= 3601
        users = await session.scalar(select(func.count()).select_from(User))
        clock.advance(timedelta(hours=1, seconds=1))
        assert (await client.post("/api/v1/auth/register", json=body())).status_code == 201
        assert await session.scalar(select(func.count()).select_from(User)) == (users or 0) + 1
