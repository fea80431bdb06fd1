from collections.abc import Mapping
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock
from app.councils.models import LaOfficer
from tests.factories import Person, platform_admin, register_person
from tests.helpers import ok, problem


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
        assert await session.scalar(select(func.count()).select_from(LaOfficer)) == 0

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


SWANSEA = "W06000011"


async def appoint(
    client: httpx.AsyncClient, admin: Person, body: Mapping[str, object]
) -> httpx.Response:
    return await client.post("/api/v1/admin/la-officers", json=body, headers=admin.headers)


class TestAppointByEmail:
    async def test_an_officer_is_named_by_address_in_any_case(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await register_person(client)
        response = await appoint(
            client, admin, {"email": officer.email.upper(), "area_code": SWANSEA}
        )
        assert response.status_code == 201
        body = response.json()
        assert set(body) == {"id", "user_id", "area_code", "appointed_at", "ended_at"}
        assert (body["user_id"], body["ended_at"]) == (str(officer.id), None)
        again = await appoint(client, admin, {"user_id": str(officer.id), "area_code": SWANSEA})
        assert again.status_code == 200
        assert again.json()["id"] == body["id"]

    async def test_naming_both_or_neither_is_refused_and_nobody_is_not_found(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await register_person(client)
        for body in (
            {"area_code": SWANSEA},
            {"user_id": str(officer.id), "email": officer.email, "area_code": SWANSEA},
            {"user_id": None, "email": officer.email, "area_code": SWANSEA},
        ):
            problem(await appoint(client, admin, body), 422, "validation_error")
        problem(
            await appoint(client, admin, {"email": "nobody@example.org", "area_code": SWANSEA}),
            404,
            "not_found",
        )
        assert await session.scalar(select(func.count()).select_from(LaOfficer)) == 0


class TestEndAppointment:
    async def test_an_ended_officer_loses_access_at_once_and_stays_listed(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await register_person(client)
        appointment = ok(
            await appoint(client, admin, {"user_id": str(officer.id), "area_code": SWANSEA})
        ).json()
        summary = f"/api/v1/la/areas/{SWANSEA}/summary"
        assert (await client.get(summary, headers=officer.headers)).status_code == 200
        response = await client.delete(
            f"/api/v1/admin/la-officers/{appointment['id']}", headers=admin.headers
        )
        assert response.status_code == 204
        problem(await client.get(summary, headers=officer.headers), 403, "forbidden")
        me = (await client.get("/api/v1/me", headers=officer.headers)).json()
        assert me["la_area_codes"] == []
        [listed] = (await client.get("/api/v1/admin/la-officers", headers=admin.headers)).json()[
            "items"
        ]
        assert listed["id"] == appointment["id"]
        assert listed["ended_at"] is not None
        # Ending again changes nothing; appointing again is a new appointment.
        assert (
            await client.delete(
                f"/api/v1/admin/la-officers/{appointment['id']}", headers=admin.headers
            )
        ).status_code == 204
        renewed = await appoint(client, admin, {"user_id": str(officer.id), "area_code": SWANSEA})
        assert renewed.status_code == 201
        assert renewed.json()["id"] != appointment["id"]
        assert (await client.get(summary, headers=officer.headers)).status_code == 200
        actions = (
            await session.scalars(
                select(AuditEntry.action)
                .where(
                    AuditEntry.about_user_id == officer.id, AuditEntry.action.like("la_officer%")
                )
                .order_by(AuditEntry.seq)
            )
        ).all()
        assert actions == ["la_officer.appointed", "la_officer.ended", "la_officer.appointed"]

    async def test_an_unknown_appointment_is_not_found(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        problem(
            await client.delete(
                "/api/v1/admin/la-officers/00000000-0000-4000-8000-000000000000",
                headers=admin.headers,
            ),
            404,
            "not_found",
        )


class TestListAppointments:
    async def test_lists_every_appointment_oldest_first_filtered_by_area(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        admin = await platform_admin(client, session)
        first, second = await register_person(client), await register_person(client)
        ok(await appoint(client, admin, {"user_id": str(first.id), "area_code": SWANSEA}))
        clock.advance(timedelta(seconds=1))
        ok(await appoint(client, admin, {"user_id": str(second.id), "area_code": "W06000015"}))
        every = (await client.get("/api/v1/admin/la-officers", headers=admin.headers)).json()
        assert [i["user_id"] for i in every["items"]] == [str(first.id), str(second.id)]
        swansea = (
            await client.get(
                f"/api/v1/admin/la-officers?area_code={SWANSEA}", headers=admin.headers
            )
        ).json()
        assert [i["user_id"] for i in swansea["items"]] == [str(first.id)]
