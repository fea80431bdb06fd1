import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock
from app.providers.models import Provider, ProviderStaff
from tests.factories import (
    create_provider,
    platform_admin,
    provider_fields,
    register_person,
    verified_provider,
)
from tests.helpers import ok, problem
from tests.stats.built import built


async def provider_count(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Provider)) or 0


async def audit_actions(session: AsyncSession, provider_id: str) -> list[str]:
    rows = await session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.subject_id == provider_id)
        .order_by(AuditEntry.seq)
    )
    return list(rows.all())


class TestCreateProvider:
    async def test_registers_a_pending_provider_whose_creator_is_staff(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        fields = provider_fields(
            name="  Gofal Cymunedol Eryri ",
            ciw_service_id="sin-00012345",
            service_types=["respite", "domiciliary_support"],
            area_codes=["W06000002", "W06000001"],
            hourly_rate_pence=2450,
            welsh_language="full",
            contact_email="Gofal@Example.org",
            phone="01286 000000",
            website="https://gofal.example.org",
        )
        response = await client.post("/api/v1/providers", json=fields, headers=person.headers)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["status"] == "pending"
        assert body["name"] == "Gofal Cymunedol Eryri"
        assert body["ciw_service_id"] == "SIN-00012345"
        assert body["service_types"] == ["domiciliary_support", "respite"]
        assert body["area_codes"] == ["W06000001", "W06000002"]
        assert body["contact_email"] == "gofal@example.org"
        assert set(body) == {
            "id",
            "name",
            "ciw_service_id",
            "service_types",
            "area_codes",
            "hourly_rate_pence",
            "capacity_hours_per_week",
            "welsh_language",
            "contact_email",
            "phone",
            "website",
            "status",
            "created_at",
        }
        staff = await session.get(ProviderStaff, (uuid.UUID(body["id"]), person.id))
        assert staff is not None
        assert await audit_actions(session, body["id"]) == ["provider.created"]
        me = (await client.get("/api/v1/me", headers=person.headers)).json()
        assert me["provider_ids"] == [body["id"]]

    async def test_needs_a_token(self, client: httpx.AsyncClient, session: AsyncSession) -> None:
        problem(
            await client.post("/api/v1/providers", json=provider_fields()), 401, "not_authenticated"
        )
        assert await provider_count(session) == 0

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("hourly_rate_pence", 10.5),
            ("hourly_rate_pence", True),
            ("hourly_rate_pence", "2000"),
            ("hourly_rate_pence", 0),
            ("capacity_hours_per_week", 12.5),
            ("capacity_hours_per_week", False),
            ("capacity_hours_per_week", -1),
            ("service_types", ["gardening"]),
            ("service_types", []),
            ("service_types", ["respite", "respite"]),
            ("welsh_language", "fluent"),
            ("area_codes", ["X"]),
            ("area_codes", []),
            ("contact_email", "not-an-email"),
            ("name", ""),
            ("name", "x" * 201),
            ("ciw_service_id", "has spaces"),
            ("phone", "call me"),
            ("website", "javascript:alert(1)"),
        ],
    )
    async def test_invalid_fields_are_validation_errors_and_create_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, field: str, value: Any
    ) -> None:
        person = await register_person(client)
        response = await client.post(
            "/api/v1/providers", json=provider_fields(**{field: value}), headers=person.headers
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"][:2] == ["body", field]
        assert await provider_count(session) == 0

    async def test_an_area_code_that_is_not_one_of_the_22_is_a_validation_error(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        response = await client.post(
            "/api/v1/providers",
            json=provider_fields(area_codes=["W06000015", "W06000007"]),
            headers=person.headers,
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"] == [
            {
                "loc": ["body", "area_codes", 1],
                "msg": "Value error, not a Welsh principal local authority: W06000007",
                "type": "value_error",
            }
        ]
        assert await provider_count(session) == 0

    async def test_an_unknown_field_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        response = await client.post(
            "/api/v1/providers",
            json=provider_fields(status="verified"),
            headers=person.headers,
        )
        body = problem(response, 422, "validation_error")
        assert ["body", "status"] in [e["loc"] for e in body["errors"]]
        assert await provider_count(session) == 0

    async def test_a_ciw_service_id_already_registered_is_a_conflict(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        await create_provider(client, person, ciw_service_id="SIN-1")
        response = await client.post(
            "/api/v1/providers",
            json=provider_fields(ciw_service_id="sin-1"),
            headers=person.headers,
        )
        problem(response, 409, "ciw_service_id_taken")
        assert await provider_count(session) == 1


class TestVerifyProvider:
    async def test_a_platform_admin_verifies_a_pending_provider(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        admin = await platform_admin(client, session)
        response = await client.post(
            f"/api/v1/providers/{created['id']}/verify", headers=admin.headers
        )
        assert response.status_code == 200
        assert response.json()["status"] == "verified"
        assert await audit_actions(session, created["id"]) == [
            "provider.created",
            "provider.verified",
        ]

    async def test_anyone_else_is_forbidden_and_nothing_changes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        for person in (staff, await register_person(client)):
            problem(
                await client.post(
                    f"/api/v1/providers/{created['id']}/verify", headers=person.headers
                ),
                403,
                "forbidden",
            )
        provider = await session.get(Provider, uuid.UUID(created["id"]))
        assert provider is not None
        assert provider.status == "pending"

    async def test_an_unknown_provider_is_not_found(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        problem(
            await client.post(f"/api/v1/providers/{uuid.uuid4()}/verify", headers=admin.headers),
            404,
            "not_found",
        )

    async def test_verifying_a_verified_provider_with_nothing_waiting_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        provider = await verified_provider(client, session, admin=admin)
        response = await client.post(
            f"/api/v1/providers/{provider['id']}/verify", headers=admin.headers
        )
        problem(response, 409, "invalid_transition")
        assert (await audit_actions(session, provider["id"])).count("provider.verified") == 1


class TestSuspendProvider:
    async def test_a_platform_admin_suspends_and_can_reinstate(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        provider = await verified_provider(client, session, admin=admin)
        url = f"/api/v1/providers/{provider['id']}"
        suspended = await client.post(f"{url}/suspend", headers=admin.headers)
        assert suspended.status_code == 200
        assert suspended.json()["status"] == "suspended"
        problem(await client.get(url), 404, "not_found")
        reinstated = ok(await client.post(f"{url}/verify", headers=admin.headers))
        assert reinstated.json()["status"] == "verified"
        assert (await client.get(url)).status_code == 200

    async def test_staff_may_not_suspend_and_nothing_changes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        provider = await verified_provider(client, session, staff=staff)
        problem(
            await client.post(f"/api/v1/providers/{provider['id']}/suspend", headers=staff.headers),
            403,
            "forbidden",
        )
        assert (await client.get(f"/api/v1/providers/{provider['id']}")).json()[
            "status"
        ] == "verified"


class TestGetProvider:
    async def test_a_verified_provider_is_public(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        provider = await verified_provider(client, session, name="Gofal Ŵyn")
        response = await client.get(f"/api/v1/providers/{provider['id']}")
        assert response.status_code == 200
        assert response.json() == provider

    async def test_a_pending_provider_is_seen_by_its_staff_and_admins_only(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        url = f"/api/v1/providers/{created['id']}"
        assert (await client.get(url, headers=staff.headers)).json()["status"] == "pending"
        admin = await platform_admin(client, session)
        assert (await client.get(url, headers=admin.headers)).status_code == 200
        problem(await client.get(url), 404, "not_found")
        stranger = await register_person(client)
        problem(await client.get(url, headers=stranger.headers), 404, "not_found")

    async def test_a_bad_token_is_refused_even_on_a_public_read(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        provider = await verified_provider(client, session)
        response = await client.get(
            f"/api/v1/providers/{provider['id']}", headers={"Authorization": "Bearer nonsense"}
        )
        problem(response, 401, "not_authenticated")

    async def test_the_etag_answers_304_until_the_provider_changes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        provider = await verified_provider(client, session, staff=staff)
        url = f"/api/v1/providers/{provider['id']}"
        first = await client.get(url)
        etag = first.headers["etag"]
        assert etag.startswith('"')
        assert not etag.startswith("W/")
        unchanged = await client.get(url, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304
        assert unchanged.headers["etag"] == etag
        assert unchanged.content == b""
        ok(await client.patch(url, json={"hourly_rate_pence": 2999}, headers=staff.headers))
        changed = await client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.json()["hourly_rate_pence"] == 2999
        assert changed.headers["etag"] != etag


class TestListProviders:
    async def test_lists_verified_providers_by_name_for_everyone(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        b = await verified_provider(client, session, admin=admin, name="bryn gofal")
        a = await verified_provider(client, session, admin=admin, name="Aber Care")
        staff = await register_person(client)
        pending = await create_provider(client, staff, name="Aaa Pending")
        public = (await client.get("/api/v1/providers")).json()
        assert [p["id"] for p in public["items"]] == [a["id"], b["id"]]
        own = (await client.get("/api/v1/providers", headers=staff.headers)).json()
        assert [p["id"] for p in own["items"]] == [pending["id"], a["id"], b["id"]]
        only_pending = await client.get(
            "/api/v1/providers", params={"status": "pending"}, headers=admin.headers
        )
        assert [p["id"] for p in only_pending.json()["items"]] == [pending["id"]]

    async def test_pages_with_a_cursor(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        async with built(app) as b:
            ids = {str((await b.verified_provider(admin)).id) for _ in range(5)}
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 2}
            if cursor:
                params["cursor"] = cursor
            body = (await client.get("/api/v1/providers", params=params)).json()
            seen.extend(p["id"] for p in body["items"])
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == 5
        assert set(seen) == ids


class TestUpdateProvider:
    async def test_staff_change_only_the_fields_sent(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff, phone="01970 000000")
        response = await client.patch(
            f"/api/v1/providers/{created['id']}",
            json={"hourly_rate_pence": 2600, "area_codes": ["W06000008"], "phone": None},
            headers=staff.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["hourly_rate_pence"] == 2600
        assert body["area_codes"] == ["W06000008"]
        assert body["phone"] is None
        assert body["name"] == created["name"]
        assert body["status"] == "pending"
        assert (await audit_actions(session, created["id"]))[-1] == "provider.updated"

    async def test_a_platform_admin_may_edit(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        provider = await verified_provider(client, session)
        admin = await platform_admin(client, session)
        response = await client.patch(
            f"/api/v1/providers/{provider['id']}",
            json={"service_types": ["respite", "personal_assistant"]},
            headers=admin.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["service_types"] == ["personal_assistant", "respite"]
        after = ok(await client.get(f"/api/v1/providers/{provider['id']}")).json()
        assert after["service_types"] == ["personal_assistant", "respite"]

    async def test_another_providers_staff_is_forbidden_and_nothing_changes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        provider = await verified_provider(client, session, hourly_rate_pence=2000)
        other_staff = await register_person(client)
        await create_provider(client, other_staff)
        response = await client.patch(
            f"/api/v1/providers/{provider['id']}",
            json={"hourly_rate_pence": 2300},
            headers=other_staff.headers,
        )
        problem(response, 403, "forbidden")
        after = (await client.get(f"/api/v1/providers/{provider['id']}")).json()
        assert after == provider

    async def test_someone_who_cannot_see_a_pending_provider_gets_not_found(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        created = await create_provider(client, await register_person(client))
        stranger = await register_person(client)
        response = await client.patch(
            f"/api/v1/providers/{created['id']}", json={"name": "Mine"}, headers=stranger.headers
        )
        problem(response, 404, "not_found")
        provider = await session.get(Provider, uuid.UUID(created["id"]), populate_existing=True)
        assert provider is not None
        assert provider.name == created["name"]

    @pytest.mark.parametrize(
        "body",
        [
            {"name": None},
            {"hourly_rate_pence": 10.5},
            {"hourly_rate_pence": True},
            {"service_types": None},
            {"area_codes": ["W06000007"]},
            {"status": "verified"},
        ],
    )
    async def test_invalid_changes_are_validation_errors_and_change_nothing(
        self, client: httpx.AsyncClient, body: dict[str, Any]
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        response = await client.patch(
            f"/api/v1/providers/{created['id']}", json=body, headers=staff.headers
        )
        problem(response, 422, "validation_error")
        after = await client.get(f"/api/v1/providers/{created['id']}", headers=staff.headers)
        assert after.json() == {
            **created,
            "pending_changes": None,
            "pending_changes_requested_at": None,
        }


class TestAddProviderStaff:
    async def test_staff_add_a_colleague_who_then_may_edit(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        colleague = await register_person(client)
        url = f"/api/v1/providers/{created['id']}/staff"
        response = await client.post(
            url, json={"user_id": str(colleague.id)}, headers=staff.headers
        )
        assert response.status_code == 201
        assert response.json()["user_id"] == str(colleague.id)
        again = await client.post(url, json={"user_id": str(colleague.id)}, headers=staff.headers)
        assert again.status_code == 200
        edit = await client.patch(
            f"/api/v1/providers/{created['id']}", json={"name": "Newydd"}, headers=colleague.headers
        )
        assert edit.status_code == 200
        me = (await client.get("/api/v1/me", headers=colleague.headers)).json()
        assert me["provider_ids"] == [created["id"]]
        assert (await audit_actions(session, created["id"])).count("provider.staff_added") == 1

    async def test_someone_else_may_not_add_staff(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        provider = await verified_provider(client, session)
        outsider = await register_person(client)
        response = await client.post(
            f"/api/v1/providers/{provider['id']}/staff",
            json={"user_id": str(outsider.id)},
            headers=outsider.headers,
        )
        problem(response, 403, "forbidden")
        count = await session.scalar(
            select(func.count())
            .select_from(ProviderStaff)
            .where(ProviderStaff.provider_id == uuid.UUID(provider["id"]))
        )
        assert count == 1

    async def test_an_unknown_user_is_not_found(self, client: httpx.AsyncClient) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        response = await client.post(
            f"/api/v1/providers/{created['id']}/staff",
            json={"user_id": str(uuid.uuid4())},
            headers=staff.headers,
        )
        problem(response, 404, "not_found")

    async def test_a_colleague_is_added_by_address_in_any_case(
        self, client: httpx.AsyncClient
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        colleague = await register_person(client)
        url = f"/api/v1/providers/{created['id']}/staff"
        response = await client.post(
            url, json={"email": colleague.email.upper()}, headers=staff.headers
        )
        assert response.status_code == 201, response.text
        assert response.json()["user_id"] == str(colleague.id)
        problem(
            await client.post(url, json={"email": "nobody@example.org"}, headers=staff.headers),
            404,
            "not_found",
        )
        problem(
            await client.post(
                url,
                json={"email": colleague.email, "user_id": str(colleague.id)},
                headers=staff.headers,
            ),
            422,
            "validation_error",
        )


class TestProviderStaffList:
    async def test_staff_see_their_colleagues_first_added_first(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        staff = await register_person(client, full_name="Siân Staff")
        created = await create_provider(client, staff)
        colleague = await register_person(client, full_name="Gethin Gofalwr")
        clock.advance(timedelta(minutes=1))
        url = f"/api/v1/providers/{created['id']}/staff"
        added = await client.post(url, json={"user_id": str(colleague.id)}, headers=staff.headers)
        assert added.status_code == 201, added.text
        response = await client.get(url, headers=colleague.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["next_cursor"] is None
        assert [(s["user_id"], s["full_name"], s["email"]) for s in body["items"]] == [
            (str(staff.id), "Siân Staff", staff.email),
            (str(colleague.id), "Gethin Gofalwr", colleague.email),
        ]

    async def test_nobody_else_sees_them(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        provider = await verified_provider(client, session)
        url = f"/api/v1/providers/{provider['id']}/staff"
        outsider = await register_person(client)
        problem(await client.get(url, headers=outsider.headers), 403, "forbidden")
        other_staff = await register_person(client)
        await create_provider(client, other_staff)
        problem(await client.get(url, headers=other_staff.headers), 403, "forbidden")
        problem(await client.get(url), 401, "not_authenticated")


class TestRemoveProviderStaff:
    async def test_a_colleague_who_left_loses_the_provider_at_once(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        leaver = await register_person(client)
        url = f"/api/v1/providers/{created['id']}/staff"
        ok(await client.post(url, json={"user_id": str(leaver.id)}, headers=staff.headers))
        response = await client.delete(f"{url}/{leaver.id}", headers=staff.headers)
        assert response.status_code == 204, response.text
        # The provider is pending: to anyone but its staff it does not exist.
        problem(
            await client.get(f"/api/v1/providers/{created['id']}", headers=leaver.headers),
            404,
            "not_found",
        )
        problem(
            await client.patch(
                f"/api/v1/providers/{created['id']}", json={"name": "X"}, headers=leaver.headers
            ),
            404,
            "not_found",
        )
        me = (await client.get("/api/v1/me", headers=leaver.headers)).json()
        assert me["provider_ids"] == []
        assert "provider.staff_removed" in await audit_actions(session, created["id"])
        problem(await client.delete(f"{url}/{leaver.id}", headers=staff.headers), 404, "not_found")

    async def test_the_last_member_of_staff_stays(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        created = await create_provider(client, staff)
        url = f"/api/v1/providers/{created['id']}/staff/{staff.id}"
        problem(await client.delete(url, headers=staff.headers), 409, "last_staff")
        admin = await platform_admin(client, session)
        problem(await client.delete(url, headers=admin.headers), 409, "last_staff")
        colleague = await register_person(client)
        ok(
            await client.post(
                f"/api/v1/providers/{created['id']}/staff",
                json={"user_id": str(colleague.id)},
                headers=staff.headers,
            )
        )
        # With a colleague in place, one may leave of their own accord.
        assert (await client.delete(url, headers=staff.headers)).status_code == 204
        remaining = await session.scalars(
            select(ProviderStaff.user_id).where(
                ProviderStaff.provider_id == uuid.UUID(created["id"])
            )
        )
        assert list(remaining.all()) == [colleague.id]

    async def test_someone_else_may_not_remove_staff_and_nothing_changes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        staff = await register_person(client)
        provider = await verified_provider(client, session, staff=staff)
        colleague = await register_person(client)
        url = f"/api/v1/providers/{provider['id']}/staff"
        ok(await client.post(url, json={"user_id": str(colleague.id)}, headers=staff.headers))
        outsider = await register_person(client)
        problem(
            await client.delete(f"{url}/{colleague.id}", headers=outsider.headers),
            403,
            "forbidden",
        )
        count = await session.scalar(
            select(func.count())
            .select_from(ProviderStaff)
            .where(ProviderStaff.provider_id == uuid.UUID(provider["id"]))
        )
        assert count == 2
