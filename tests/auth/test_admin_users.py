"""Finding an account by its exact address (platform admins), recorded for the person found."""

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from tests.factories import platform_admin, register_person
from tests.helpers import ok, problem


class TestFindUsers:
    async def test_finds_the_exact_address_in_any_case_and_records_the_look_up(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        person = await register_person(client, full_name="Gwen Morgan")
        response = await client.get(
            "/api/v1/admin/users",
            params={"email": f" {person.email.upper()} "},
            headers=admin.headers,
        )
        assert ok(response).json() == {
            "items": [{"id": str(person.id), "email": person.email, "full_name": "Gwen Morgan"}],
            "next_cursor": None,
        }
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "user.looked_up")
        )
        assert entry is not None
        assert (entry.actor_user_id, entry.about_user_id) == (admin.id, person.id)

    async def test_never_searches_and_never_finds_a_closed_account(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        person = await register_person(client)
        partial = person.email.split("@")[0]
        found = ok(
            await client.get(
                "/api/v1/admin/users", params={"email": partial}, headers=admin.headers
            )
        ).json()
        assert found["items"] == []
        assert (await client.delete("/api/v1/me", headers=person.headers)).status_code == 204
        closed = ok(
            await client.get(
                "/api/v1/admin/users", params={"email": person.email}, headers=admin.headers
            )
        ).json()
        assert closed["items"] == []

    async def test_only_platform_admins_look_up(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        problem(
            await client.get("/api/v1/admin/users", params={"email": person.email}),
            401,
            "not_authenticated",
        )
        problem(
            await client.get(
                "/api/v1/admin/users", params={"email": person.email}, headers=person.headers
            ),
            403,
            "forbidden",
        )
        looked_up = await session.scalar(
            select(AuditEntry.seq).where(AuditEntry.action == "user.looked_up")
        )
        assert looked_up is None
