"""Who may call each pooled-budget route: one matrix, every route, nothing changed by a refusal."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Person, contribute, grant_mandate, register_person, request_refund
from tests.helpers import problem
from tests.ledger.conftest import Pool


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    scope: str | None  # what a representative needs; None: not for representatives at all
    admin_only: bool = False
    body: str | None = None
    key: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ROUTES = [
    Route("GET", "/pool", "view"),
    Route("POST", "/pool/contributions", "contribute", body="contribution", key=True),
    Route("GET", "/ledger", "view"),
    Route("GET", "/members/{holder_member}/statement", "view"),
    Route("POST", "/pool/refunds", "refund", body="refund", key=True),
    Route("GET", "/pool/refunds", "view"),
    Route("GET", "/pool/refunds/{refund}", "view"),
    Route("POST", "/pool/refunds/{refund}/approve", None, admin_only=True),
    Route("POST", "/pool/refunds/{refund}/refuse", None, admin_only=True),
]


@dataclass
class Scene:
    pool: Pool
    refund_id: uuid.UUID
    voter: Person  # holds a mandate from the holder with the `vote` scope only

    async def call(
        self, client: httpx.AsyncClient, route: Route, headers: dict[str, str]
    ) -> httpx.Response:
        path = route.path.format(holder_member=self.pool.holder_member, refund=self.refund_id)
        json: Any = None
        if route.body == "contribution":
            json = {"amount_pence": 100, "reference": "r"}
        elif route.body == "refund":
            json = {"member_id": str(self.pool.holder_member), "amount_pence": 1, "reason": "r"}
        if route.key:
            headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
        return await client.request(route.method, self.pool.url(path), json=json, headers=headers)


@pytest.fixture
async def scene(client: httpx.AsyncClient, pool: Pool) -> Scene:
    assert (await contribute(client, pool.coop_id, pool.holder, amount_pence=80_000)).is_success
    waiting = await request_refund(
        client, pool.coop_id, pool.admin, member_id=pool.holder_member, amount_pence=60_000
    )
    assert waiting.json()["status"] == "pending_second_approval"
    voter = await register_person(client)
    await grant_mandate(client, pool.holder, voter, scopes=("vote",), limit_pence_per_cycle=10**6)
    return Scene(pool=pool, refund_id=uuid.UUID(waiting.json()["id"]), voter=voter)


class TestAuthorisation:
    @pytest.mark.parametrize("route", ROUTES, ids=str)
    async def test_anonymous_is_not_authenticated(
        self, client: httpx.AsyncClient, session: AsyncSession, scene: Scene, route: Route
    ) -> None:
        before = await scene.pool.books(session)
        problem(await scene.call(client, route, {}), 401, "not_authenticated")
        assert await scene.pool.books(session) == before

    @pytest.mark.parametrize("route", ROUTES, ids=str)
    async def test_a_non_member_and_another_coops_member_find_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, scene: Scene, route: Route
    ) -> None:
        before = await scene.pool.books(session)
        for person in (scene.pool.outsider, scene.pool.elsewhere):
            problem(await scene.call(client, route, person.headers), 404, "not_found")
        assert await scene.pool.books(session) == before

    @pytest.mark.parametrize("route", [r for r in ROUTES if r.admin_only], ids=str)
    async def test_a_member_who_is_not_an_admin_is_forbidden_where_admins_only(
        self, client: httpx.AsyncClient, session: AsyncSession, scene: Scene, route: Route
    ) -> None:
        before = await scene.pool.books(session)
        problem(await scene.call(client, route, scene.pool.holder.headers), 403, "forbidden")
        assert await scene.pool.books(session) == before

    @pytest.mark.parametrize("route", ROUTES, ids=str)
    async def test_a_representative_without_the_scope_is_outside_the_mandate(
        self, client: httpx.AsyncClient, session: AsyncSession, scene: Scene, route: Route
    ) -> None:
        before = await scene.pool.books(session)
        headers = scene.voter.on_behalf_of(scene.pool.holder)
        problem(await scene.call(client, route, headers), 403, "outside_mandate")
        if route.scope is None:
            # Administration is never done on someone's behalf, whatever the mandate.
            problem(await scene.call(client, route, scene.pool.as_rep), 403, "outside_mandate")
        assert await scene.pool.books(session) == before

    @pytest.mark.parametrize("route", ROUTES, ids=str)
    async def test_someone_naming_a_holder_who_gave_no_mandate_is_refused(
        self, client: httpx.AsyncClient, scene: Scene, route: Route
    ) -> None:
        headers = scene.pool.outsider.on_behalf_of(scene.pool.holder)
        problem(await scene.call(client, route, headers), 403, "no_mandate")
