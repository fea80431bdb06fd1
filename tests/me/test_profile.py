"""The caller's profile: changing name and language, memberships with their co-op and balance,
and activity described in their language."""

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.auth.models import EmailChange
from tests.factories import contribute, create_coop, join_coop, register_person, set_direct_payment
from tests.helpers import ok, problem


class TestUpdateMe:
    async def test_changes_only_the_fields_sent_and_records_which(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client, full_name="Ann Jones")
        response = await client.patch(
            "/api/v1/me", json={"preferred_language": "cy"}, headers=person.headers
        )
        body = ok(response).json()
        assert (body["full_name"], body["preferred_language"]) == ("Ann Jones", "cy")
        assert response.headers["content-language"] == "cy"
        body = ok(
            await client.patch("/api/v1/me", json={"full_name": "Ann Rhys"}, headers=person.headers)
        ).json()
        assert (body["full_name"], body["preferred_language"]) == ("Ann Rhys", "cy")
        data = (
            await session.scalars(
                select(AuditEntry.data)
                .where(AuditEntry.action == "user.updated", AuditEntry.about_user_id == person.id)
                .order_by(AuditEntry.seq)
            )
        ).all()
        assert data == [{"fields": ["preferred_language"]}, {"fields": ["full_name"]}]

    async def test_null_and_unknown_fields_are_refused(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        for body in ({"full_name": None}, {"email": "x@example.org"}, {"full_name": " "}):
            problem(
                await client.patch("/api/v1/me", json=body, headers=person.headers),
                422,
                "validation_error",
            )


class TestMemberships:
    async def test_carry_the_coops_name_and_the_member_accounts_balance(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client)
        holder = await register_person(client)
        coop = await create_coop(client, admin, name="Cydweithfa Ceredigion")
        await join_coop(client, coop, holder, admin)
        await set_direct_payment(client, holder)
        ok(await contribute(client, coop, holder, amount_pence=12_345))
        [membership] = ok(await client.get("/api/v1/me", headers=holder.headers)).json()[
            "memberships"
        ]
        assert membership["coop_name"] == "Cydweithfa Ceredigion"
        assert membership["balance_pence"] == 12_345
        assert membership["status"] == "active"


class TestActivity:
    async def test_each_item_is_described_in_the_persons_language(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client, preferred_language="cy")
        items = ok(await client.get("/api/v1/me/activity", headers=person.headers)).json()["items"]
        assert [(i["action"], i["description"]) for i in items] == [
            ("auth.login", "Wedi mewngofnodi"),
            ("user.registered", "Cyfrif wedi'i greu"),
        ]
        english = ok(
            await client.get(
                "/api/v1/me/activity", headers={**person.headers, "Accept-Language": "cy;q=0.1, en"}
            )
        ).json()["items"]
        assert english[0]["description"] == "Wedi mewngofnodi"  # English header: preference wins
        ok(
            await client.patch(
                "/api/v1/me", json={"preferred_language": "en"}, headers=person.headers
            )
        )
        english = ok(await client.get("/api/v1/me/activity", headers=person.headers)).json()[
            "items"
        ]
        assert english[1]["description"] == "Signed in"


class TestExportAndClosing:
    async def test_the_export_holds_logins_and_address_changes_and_closing_drops_them(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        ok(
            await client.post(
                "/api/v1/me/email",
                json={"new_email": "moving-house@example.org", "current_password": person.password},
                headers=person.headers,
            )
        )
        export = ok(await client.get("/api/v1/me/export", headers=person.headers)).json()
        [change] = export["email_changes"]
        assert change["new_email"] == "moving-house@example.org"
        assert "token_hash" not in change
        assert len(export["logins"]) == 1
        assert (await client.delete("/api/v1/me", headers=person.headers)).status_code == 204
        waiting = await session.scalar(select(EmailChange).where(EmailChange.user_id == person.id))
        assert waiting is None
