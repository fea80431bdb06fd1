import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.councils.models import LaOfficer
from tests.factories import platform_admin, register_person
from tests.helpers import problem


class TestAppointLaOfficer:
    async def test_a_platform_admin_appoints_an_officer_for_an_area(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await register_person(client)
        response = await client.post(
            "/api/v1/admin/la-officers",
            json={"user_id": str(officer.id), "area_code": "W06000015"},
            headers=admin.headers,
        )
        assert response.status_code == 201
        assert response.json()["area_code"] == "W06000015"
        me = (await client.get("/api/v1/me", headers=officer.headers)).json()
        assert me["la_area_codes"] == ["W06000015"]

    async def test_an_unknown_area_is_refused_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await register_person(client)
        response = await client.post(
            "/api/v1/admin/la-officers",
            json={"user_id": str(officer.id), "area_code": "W06000007"},
            headers=admin.headers,
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"] == ["body", "area_code"]
        assert await session.scalar(select(func.count()).select_from(LaOfficer)) == 0

    async def test_an_unknown_user_is_not_found(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        response = await client.post(
            "/api/v1/admin/la-officers",
            json={"user_id": "00000000-0000-4000-8000-000000000000", "area_code": "W06000015"},
            headers=admin.headers,
        )
        problem(response, 404, "not_found")

    async def test_only_platform_admins_appoint(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        body = {"user_id": str(person.id), "area_code": "W06000015"}
        problem(await client.post("/api/v1/admin/la-officers", json=body), 401, "not_authenticated")
        problem(
            await client.post("/api/v1/admin/la-officers", json=body, headers=person.headers),
            403,
            "forbidden",
        )
        assert await session.scalar(select(func.count()).select_from(LaOfficer)) == 0
