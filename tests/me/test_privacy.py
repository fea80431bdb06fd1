import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.evidence.models import CouncilAccessGrant
from app.ledger.models import LedgerPosting, LedgerTransaction
from tests.factories import (
    contribute,
    create_coop,
    grant_mandate,
    join_coop,
    login,
    member_id_of,
    platform_admin,
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
        shared = await client.post(
            "/api/v1/me/council-access", json={"coop_id": str(coop)}, headers=holder.headers
        )
        assert shared.status_code == 201, shared.text
        response = await client.get("/api/v1/me/export", headers=holder.headers)
        assert response.status_code == 200
        body = response.json()
        assert body["account"]["full_name"] == "Gwenllïan Holder"
        assert "password_hash" not in body["account"]
        assert len(body["memberships"]) == 1
        assert body["direct_payment_awards"][0]["weekly_amount_pence"] == 25_000
        assert [p["amount_pence"] for p in body["ledger_postings"]] == [5000]
        assert [g["id"] for g in body["council_access"]] == [shared.json()["id"]]
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
        paid = await contribute(client, coop, holder, amount_pence=5000)
        assert paid.status_code == 201, paid.text
        await grant_mandate(client, holder, trusted)
        shared = await client.post(
            "/api/v1/me/council-access", json={"coop_id": str(coop)}, headers=holder.headers
        )
        assert shared.status_code == 201, shared.text
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
        # The mandate the holder granted is gone, and so is the council's access.
        assert (await client.get("/api/v1/me", headers=trusted.headers)).json()[
            "representing"
        ] == []
        grant = await session.get(
            CouncilAccessGrant, uuid.UUID(shared.json()["id"]), populate_existing=True
        )
        assert grant is not None
        assert grant.ended_at is not None

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


PHONE = "07700 900123"


class TestClosingRedactsWhatTheyWrote:
    async def test_support_text_with_a_phone_number_is_gone_from_every_answer(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Dafydd Holder")
        platform = await platform_admin(client, session)
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        await set_direct_payment(client, holder)
        assert (await contribute(client, coop, holder, amount_pence=5000)).status_code == 201
        raised = await client.post(
            f"/api/v1/coops/{coop}/support/requests",
            json={
                "category": "dp_returns",
                "subject": f"Carer cover: ring {PHONE}",
                "body": f"My multiple sclerosis is worse this month; call {PHONE} after 6pm.",
                "priority": "urgent",
            },
            headers=holder.headers,
        )
        assert raised.status_code == 201, raised.text
        request_id = raised.json()["id"]
        desk = f"/api/v1/coops/{coop}/support/requests"
        for person, words in (
            (holder, f"Or my sister on {PHONE}."),
            (admin, f"Rang {PHONE}, left a message about the MS nurse."),
        ):
            comment = await client.post(
                f"{desk}/{request_id}/comments", json={"body": words}, headers=person.headers
            )
            assert comment.status_code == 201, comment.text
        detail = await client.get(f"{desk}/{request_id}", headers=admin.headers)
        assert PHONE in detail.text  # the administrators read it while the account is open
        postings_before = len((await session.scalars(select(LedgerPosting))).all())
        memos_before = set((await session.scalars(select(LedgerTransaction.memo))).all())

        assert (await client.delete("/api/v1/me", headers=holder.headers)).status_code == 204

        answers = [
            await client.get(desk, headers=admin.headers),
            await client.get(f"{desk}/{request_id}", headers=admin.headers),
            await client.get(f"/api/v1/coops/{coop}/audit", headers=admin.headers),
            await client.get("/api/v1/me/export", headers=admin.headers),
            await client.get("/api/v1/me/activity", headers=admin.headers),
        ]
        for answer in answers:
            assert answer.status_code == 200, answer.text
            assert PHONE not in answer.text, answer.request.url
            assert "sclerosis" not in answer.text
            assert "MS nurse" not in answer.text
        detail_body = answers[1].json()
        assert detail_body["subject"] == detail_body["body"] == "[redacted]"
        assert [c["body"] for c in detail_body["comments"]] == ["[redacted]"] * 2
        # The desk's history still adds up: the request and both comments are there.
        assert detail_body["priority"] == "urgent"
        assert [c["number"] for c in detail_body["comments"]] == [1, 2]
        # Money records stay, memos and all; the chain was not touched and still verifies.
        assert len((await session.scalars(select(LedgerPosting))).all()) > postings_before
        assert memos_before <= set((await session.scalars(select(LedgerTransaction.memo))).all())
        verified = await client.get("/api/v1/admin/audit/verify", headers=platform.headers)
        assert verified.json()["ok"] is True

    async def test_what_they_wrote_on_someone_elses_request_is_redacted_too(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """A worker member (support staff) who leaves and closes: their comments on other
        members' requests go, the other member's own words stay."""
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Holder")
        worker = await register_person(client, full_name="Worker")
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        await join_coop(client, coop, worker, admin, "worker")
        desk = f"/api/v1/coops/{coop}/support/requests"
        raised = await client.post(
            desk,
            json={"category": "payroll", "subject": "Payslips", "body": "Where is March's?"},
            headers=holder.headers,
        )
        assert raised.status_code == 201, raised.text
        request_id = raised.json()["id"]
        said = await client.post(
            f"{desk}/{request_id}/comments",
            json={"body": f"My own mobile is {PHONE} if it helps."},
            headers=worker.headers,
        )
        assert said.status_code == 201, said.text

        assert (await client.delete("/api/v1/me", headers=worker.headers)).status_code == 204

        detail = await client.get(f"{desk}/{request_id}", headers=admin.headers)
        assert PHONE not in detail.text
        assert detail.json()["body"] == "Where is March's?"
        assert [c["body"] for c in detail.json()["comments"]] == ["[redacted]"]
