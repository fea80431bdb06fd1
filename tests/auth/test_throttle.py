"""Limits on guessing, as an attacker would test them: many addresses, many requests at once.

The in-process tests run on both backends against a scratch database the app commits to for
real (the usual test transaction would serialise every request on one connection); the
real-server test runs uvicorn with two workers on PostgreSQL and is hit over HTTP, with the
client address given by `X-Forwarded-For` from a trusted proxy (127.0.0.1).
"""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import throttle
from app.auth.models import LoginFailure
from app.auth.passwords import Passwords
from app.core.clock import FrozenClock
from app.core.config import Settings
from app.main import create_app
from tests.conftest import START, Database, RecordingSleeper, make_test_settings
from tests.contract import CHECKED
from tests.councils.test_api_clients import client_token, new_client
from tests.factories import (
    DEFAULT_PASSWORD,
    login,
    platform_admin,
    register_person,
    unique_email,
)
from tests.helpers import migrated_database_url, problem
from tests.servers import running_server

WRONG = "not the password at all"


def from_address(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


class TestNobodyCanLockTheOwnerOut:
    async def test_failures_from_one_address_refuse_that_address_only(
        self, app: FastAPI, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        async with from_address(app, "198.51.100.1") as attacker:
            for _ in range(5):
                problem(
                    await login(attacker, email=person.email, password=WRONG),
                    401,
                    "invalid_credentials",
                )
            refused = await login(attacker, email=person.email, password=person.password)
            problem(refused, 429, "too_many_attempts")
            assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
        # The owner, at an address that has not failed, still gets in.
        assert (
            await login(client, email=person.email, password=person.password)
        ).status_code == 200

    async def test_failures_from_many_addresses_slow_the_name_but_never_refuse_the_owner(
        self, app: FastAPI, client: httpx.AsyncClient, sleeper: RecordingSleeper
    ) -> None:
        person = await register_person(client)
        sleeper.waits.clear()
        for n in range(20):
            async with from_address(app, f"198.51.100.{n + 10}") as attacker:
                for _ in range(5):
                    problem(
                        await login(attacker, email=person.email, password=WRONG),
                        401,
                        "invalid_credentials",
                    )
                problem(
                    await login(attacker, email=person.email, password=WRONG),
                    429,
                    "too_many_attempts",
                )
        # Slowed: waits grow with the failures, never beyond the cap, and 100 failures in.
        assert sleeper.waits[:5] == [0.0] * 5
        assert sleeper.waits == sorted(sleeper.waits)
        assert sleeper.waits[-1] == throttle.MAX_SLOWDOWN_SECONDS
        sleeper.waits.clear()
        owner = await login(client, email=person.email, password=person.password)
        assert owner.status_code == 200, owner.text
        assert sleeper.waits == [throttle.MAX_SLOWDOWN_SECONDS]

    async def test_a_success_clears_the_count_for_that_address_only(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        async with from_address(app, "198.51.100.200") as elsewhere:
            for _ in range(3):
                problem(
                    await login(elsewhere, email=person.email, password=WRONG),
                    401,
                    "invalid_credentials",
                )
        for _ in range(4):
            problem(
                await login(client, email=person.email, password=WRONG), 401, "invalid_credentials"
            )
        assert (
            await login(client, email=person.email, password=person.password)
        ).status_code == 200
        left = (
            await session.execute(
                select(LoginFailure.client_address, func.count())
                .where(LoginFailure.email == person.email)
                .group_by(LoginFailure.client_address)
            )
        ).all()
        assert dict(left) == {"198.51.100.200": 3}

    @pytest.mark.usefixtures("database")
    async def test_an_api_client_is_not_locked_out_by_failures_from_another_address(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        creds = await new_client(client, admin.headers)
        wrong = {**creds, "client_secret": "guessed secret"}
        async with from_address(app, "198.51.100.77") as attacker:
            for _ in range(5):
                problem(await client_token(attacker, wrong), 401, "invalid_credentials")
            problem(await client_token(attacker, creds), 429, "too_many_attempts")
        # The council's own system, at its own address, still gets its token.
        ok = await client_token(client, creds)
        assert ok.status_code == 200, ok.text
        assert ok.json()["access_token"]

    async def test_after_15_minutes_from_the_last_failure_the_address_may_try_again(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        person = await register_person(client)
        async with from_address(app, "198.51.100.5") as attacker:
            for _ in range(5):
                problem(
                    await login(attacker, email=person.email, password=WRONG),
                    401,
                    "invalid_credentials",
                )
                clock.advance(timedelta(minutes=2))
            problem(
                await login(attacker, email=person.email, password=WRONG), 429, "too_many_attempts"
            )
            # 15 minutes after the first failure is not enough: it counts from the last.
            clock.advance(timedelta(minutes=7))
            problem(
                await login(attacker, email=person.email, password=WRONG), 429, "too_many_attempts"
            )
            clock.advance(timedelta(minutes=5, seconds=59))
            refused = await login(attacker, email=person.email, password=person.password)
            problem(refused, 429, "too_many_attempts")
            assert refused.headers["Retry-After"] == "1"
            clock.advance(timedelta(seconds=1))
            ok = await login(attacker, email=person.email, password=person.password)
            assert ok.status_code == 200, ok.text


class TestARefusedAttemptChecksNoPassword:
    async def test_an_address_over_the_limit_is_refused_before_the_password_is_checked(
        self, app: FastAPI, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        counting = CountingPasswords(app.state.passwords)
        app.state.passwords = counting
        for _ in range(5):
            problem(
                await login(client, email=person.email, password=WRONG), 401, "invalid_credentials"
            )
        assert counting.verified == 5
        for _ in range(10):
            problem(
                await login(client, email=person.email, password=WRONG), 429, "too_many_attempts"
            )
        assert counting.verified == 5


class CountingPasswords:
    """The app's password hasher, counting each verification it is asked for."""

    def __init__(self, inner: Passwords) -> None:
        self.inner = inner
        self.verified = 0

    async def hash(self, password: str) -> str:
        return await self.inner.hash(password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        self.verified += 1
        return await self.inner.verify(password_hash, password)


@dataclass
class Committed:
    settings: Settings


@pytest.fixture(scope="module")
async def committed(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Committed:
    """A scratch database of the test's backend, migrated, that the app commits to."""
    tmp = tmp_path_factory.mktemp("throttle")
    url = await migrated_database_url(
        database.settings.async_database_url, suffix="throttle", tmp_dir=tmp
    )
    settings = make_test_settings(url).model_copy(update={"registrations_per_address_per_hour": 20})
    return Committed(settings=settings)


@pytest.fixture
async def live_app(committed: Committed) -> AsyncIterator[FastAPI]:
    application = create_app(
        committed.settings, clock=FrozenClock(START), sleeper=RecordingSleeper()
    )
    application.state.passwords = CountingPasswords(application.state.passwords)
    yield application
    await application.state.engine.dispose()


class TestInProcessParallel:
    async def test_40_parallel_wrong_passwords_check_at_most_5(self, live_app: FastAPI) -> None:
        address = f"192.0.2.{uuid.uuid4().int % 200 + 1}"
        async with from_address(live_app, address) as client:
            person = await register_person(client)
            counting: CountingPasswords = live_app.state.passwords
            counting.verified = 0
            answers = await asyncio.gather(
                *(login(client, email=person.email, password=WRONG) for _ in range(40))
            )
            statuses = Counter(answer.status_code for answer in answers)
            assert statuses == {401: 5, 429: 35}, statuses
            assert counting.verified == 5
            problem(
                await login(client, email=person.email, password=person.password),
                429,
                "too_many_attempts",
            )

    async def test_60_parallel_sign_ups_from_one_address_accept_exactly_20(
        self, live_app: FastAPI
    ) -> None:
        async with from_address(live_app, "192.0.2.250") as client:
            answers = await asyncio.gather(
                *(
                    client.post(
                        "/api/v1/auth/register",
                        json={
                            "email": unique_email("bulk"),
                            "password": DEFAULT_PASSWORD,
                            "full_name": "Bulk",
                        },
                    )
                    for _ in range(60)
                )
            )
        statuses = Counter(answer.status_code for answer in answers)
        assert statuses == {201: 20, 429: 40}, statuses
        for answer in answers:
            if answer.status_code == 429:
                problem(answer, 429, "too_many_attempts")
                assert int(answer.headers["Retry-After"]) > 0


@pytest.fixture
async def real_server(
    committed: Committed, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    log: Path = tmp_path_factory.mktemp("throttle-server") / "server.log"
    async with running_server(
        committed.settings,
        log=log,
        env={"DPC_REGISTRATIONS_PER_ADDRESS_PER_HOUR": "20"},
        uvicorn_args=["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"],
    ) as base:
        yield base


@pytest.mark.postgresql_only
async def test_limits_hold_against_a_real_server_under_parallel_requests(
    real_server: str,
) -> None:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(
        base_url=real_server, timeout=60, limits=limits, event_hooks=CHECKED
    ) as client:

        def at(address: str) -> dict[str, str]:
            return {"X-Forwarded-For": address}

        signer = f"203.0.113.{uuid.uuid4().int % 200 + 1}"
        sign_ups = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/auth/register",
                    json={
                        "email": unique_email("real"),
                        "password": DEFAULT_PASSWORD,
                        "full_name": "Real",
                    },
                    headers=at(signer),
                )
                for _ in range(60)
            )
        )
        statuses = Counter(answer.status_code for answer in sign_ups)
        assert statuses == {201: 20, 429: 40}, statuses
        email = next(a.json()["email"] for a in sign_ups if a.status_code == 201)

        attacker = "198.51.100.66"
        guesses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/auth/token",
                    data={"username": email, "password": WRONG},
                    headers=at(attacker),
                )
                for _ in range(40)
            )
        )
        # Every answer that is not 429 is a password that was checked.
        checked = Counter(answer.status_code for answer in guesses)
        assert checked == {401: 5, 429: 35}, checked
        right = {"username": email, "password": DEFAULT_PASSWORD}
        problem(
            await client.post("/api/v1/auth/token", data=right, headers=at(attacker)),
            429,
            "too_many_attempts",
        )
        owner = await client.post("/api/v1/auth/token", data=right, headers=at("192.0.2.9"))
        assert owner.status_code == 200, owner.text
