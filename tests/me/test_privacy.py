import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.ledger.models import LedgerPosting
from tests.factories import (
    contribute,
    create_coop,
    grant_mandate,
    join_coop,
    login,
    member_id_of,
    register_person,
    set_direct_payment,
)
from tests.helpers import problem


class TestExportMyData:
    async def test_exports_what_is_held_about_me_and_nothing_secret(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Gwenllïan Holder")
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        await set_direct_payment(client, holder)
        assert (await contribute(client, coop, holder, amount_pence=5000)).status_code == 201
        response = await client.get("/api/v1/me/export", headers=holder.headers)
        assert response.status_code == 200
        body = response.json()
        assert body["account"]["full_name"] == "Gwenllïan Holder"
        assert "password_hash" not in body["account"]
        assert len(body["memberships"]) == 1
        assert body["direct_payment_awards"][0]["weekly_amount_pence"] == 25_000
        assert [p["amount_pence"] for p in body["ledger_postings"]] == [5000]
        assert body["activity"]
        assert "$argon2" not in response.text

    async def test_needs_a_token(self, client: httpx.AsyncClient) -> None:
        problem(await client.get("/api/v1/me/export"), 401, "not_authenticated")


class TestCloseMyAccount:
    async def test_closes_pseudonymises_refunds_and_keeps_the_money_records(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Dafydd Holder")
        trusted = await register_person(client, full_name="Trusted")
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        await set_direct_payment(client, holder)
        await contribute(client, coop, holder, amount_pence=5000)
        await grant_mandate(client, holder, trusted)
        member = await member_id_of(client, coop, holder)
        postings_before = len((await session.scalars(select(LedgerPosting))).all())

        assert (await client.delete("/api/v1/me", headers=holder.headers)).status_code == 204

        user = await session.get(User, holder.id, populate_existing=True)
        assert user is not None
        assert user.closed_at is not None
        assert user.full_name == "Closed account"
        assert holder.email not in user.email
        assert user.password_hash is None
        problem(await client.get("/api/v1/me", headers=holder.headers), 401, "not_authenticated")
        problem(
            await login(client, email=holder.email, password=holder.password),
            401,
            "invalid_credentials",
        )
        # The unspent balance was refunded on leaving; history only grew.
        statement = await client.get(
            f"/api/v1/coops/{coop}/members/{member}/statement", headers=admin.headers
        )
        assert statement.json()["closing_balance_pence"] == 0
        assert len((await session.scalars(select(LedgerPosting))).all()) > postings_before
        # The mandate the holder granted is gone.
        assert (await client.get("/api/v1/me", headers=trusted.headers)).json()[
            "representing"
        ] == []

    async def test_the_last_admin_must_hand_over_first_and_nothing_changes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client, full_name="Only Admin")
        await create_coop(client, admin)
        problem(await client.delete("/api/v1/me", headers=admin.headers), 409, "last_admin")
        user = await session.get(User, admin.id, populate_existing=True)
        assert user is not None
        assert user.closed_at is None
        assert (await client.get("/api/v1/me", headers=admin.headers)).status_code == 200
