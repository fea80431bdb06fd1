import uuid
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Response
from pydantic import BaseModel
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.audit.models import AuditEntry
from app.auth.dependencies import CurrentActor
from app.core.deps import SessionDep
from app.idempotency.dependencies import IdempotencyOptional, IdempotencyRequired
from app.idempotency.service import _lock_id
from tests.conftest import Database
from tests.factories import Person, register_person
from tests.helpers import problem


class Deposit(BaseModel):
    amount: int


@pytest.fixture
def app_with_deposits(app: FastAPI) -> FastAPI:
    """A money-moving stand-in: each request that does the work writes one audit entry."""
    router = APIRouter()

    @router.post("/test/deposits", status_code=201)
    async def deposit(
        body: Deposit, session: SessionDep, actor: CurrentActor, idem: IdempotencyRequired
    ) -> Response:
        audit.record(
            session, actor, "test.deposit", "test", uuid.uuid4(), data={"amount": body.amount}
        )
        return await idem.respond({"receipt": str(uuid.uuid4()), "amount": body.amount}, 201)

    @router.post("/test/optional", status_code=200)
    async def optional(
        body: Deposit, session: SessionDep, actor: CurrentActor, idem: IdempotencyOptional
    ) -> Response:
        audit.record(session, actor, "test.optional", "test", uuid.uuid4())
        return await idem.respond({"receipt": str(uuid.uuid4())})

    @router.post("/test/refused")
    async def refused(body: Deposit, actor: CurrentActor, idem: IdempotencyRequired) -> Response:
        from app.core.errors import Conflict

        app.state.refused_runs += 1
        raise Conflict

    app.state.refused_runs = 0

    app.include_router(router)
    return app


async def deposits(session: AsyncSession, action: str = "test.deposit") -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        )
        or 0
    )


async def post(
    client: httpx.AsyncClient, person: Person, key: str | None, body: dict[str, Any]
) -> httpx.Response:
    headers = dict(person.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post("/test/deposits", json=body, headers=headers)


@pytest.mark.own_app
@pytest.mark.usefixtures("app_with_deposits")
class TestIdempotencyKey:
    async def test_a_missing_key_is_required_and_does_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        problem(await post(client, person, None, {"amount": 5}), 400, "idempotency_key_required")
        assert await deposits(session) == 0

    async def test_a_replay_returns_the_first_answer_byte_for_byte_without_the_work(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        first = await post(client, person, "key-1", {"amount": 5})
        again = await post(client, person, "key-1", {"amount": 5})
        assert first.status_code == again.status_code == 201
        assert first.content == again.content
        assert await deposits(session) == 1

    async def test_the_same_document_with_other_spacing_is_the_same_body(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        headers = {**person.headers, "Idempotency-Key": "k", "content-type": "application/json"}
        first = await client.post("/test/deposits", content=b'{"amount": 5}', headers=headers)
        again = await client.post("/test/deposits", content=b'{ "amount":5 }', headers=headers)
        assert first.status_code == again.status_code == 201, again.text
        assert first.content == again.content
        assert await deposits(session) == 1

    async def test_the_same_key_with_another_body_is_reused_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        assert (await post(client, person, "key-1", {"amount": 5})).status_code == 201
        problem(await post(client, person, "key-1", {"amount": 6}), 422, "idempotency_key_reused")
        assert await deposits(session) == 1

    async def test_keys_are_scoped_per_user(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        alice = await register_person(client)
        bob = await register_person(client)
        a = await post(client, alice, "shared-key", {"amount": 5})
        b = await post(client, bob, "shared-key", {"amount": 5})
        assert a.status_code == b.status_code == 201, b.text
        assert a.content != b.content
        assert await deposits(session) == 2

    async def test_keys_are_scoped_per_endpoint(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        a = await post(client, person, "k", {"amount": 5})
        b = await client.post(
            "/test/optional", json={"amount": 5}, headers={**person.headers, "Idempotency-Key": "k"}
        )
        assert a.status_code == 201
        assert b.status_code == 200
        # Each did its own work: the second is no replay of the first.
        assert await deposits(session) == 1
        assert await deposits(session, "test.optional") == 1

    async def test_an_overlong_key_is_a_validation_error(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        problem(await post(client, person, "k" * 256, {"amount": 5}), 422, "validation_error")
        assert await deposits(session) == 0

    async def test_a_refused_request_stores_nothing_so_a_retry_runs_again(
        self, app: FastAPI, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        headers = {**person.headers, "Idempotency-Key": "k"}
        problem(
            await client.post("/test/refused", json={"amount": 1}, headers=headers), 409, "conflict"
        )
        problem(
            await client.post("/test/refused", json={"amount": 1}, headers=headers), 409, "conflict"
        )
        # The retry ran the handler again: the first refusal was not kept and replayed.
        assert app.state.refused_runs == 2

    async def test_without_a_key_an_optional_route_does_the_work_each_time(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        a = await client.post("/test/optional", json={"amount": 1}, headers=person.headers)
        b = await client.post("/test/optional", json={"amount": 1}, headers=person.headers)
        assert a.status_code == b.status_code == 200, b.text
        assert a.json() != b.json()
        assert await deposits(session, "test.optional") == 2

    async def test_a_request_in_flight_with_the_same_key_is_told_so(
        self, client: httpx.AsyncClient, database: Database, session: AsyncSession
    ) -> None:
        if database.backend != "postgresql":
            pytest.skip("SQLite serialises writers: a duplicate waits for the first and replays it")
        person = await register_person(client)
        lock_id = _lock_id(person.id, f"POST /test/deposits for={person.id}", "in-flight")
        # Another worker holds the key's lock, as a request that has not finished yet would.
        async with database.engine.connect() as other:
            await other.execute(text("SELECT pg_advisory_lock(:id)"), {"id": lock_id})
            problem(
                await post(client, person, "in-flight", {"amount": 5}),
                409,
                "idempotency_in_progress",
            )
            await other.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id})
            await other.commit()
        assert await deposits(session) == 0
        assert (await post(client, person, "in-flight", {"amount": 5})).status_code == 201
