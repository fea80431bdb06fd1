"""Listings that stay true (SPEC 19, 25): changes that wait for a platform administrator,
names unique once folded, and the rate floor."""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.providers.errors import ProviderNameTaken
from app.providers.models import Provider, ProviderChange, ProviderChangeStatus
from app.providers.service import flush_unique
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    create_provider,
    platform_admin,
    provider_fields,
    register_person,
    verified_provider,
)
from tests.helpers import ok, problem

IMPORT = "/api/v1/providers/import"
HEADER = (
    "name,service_types,area_codes,hourly_rate_pence,capacity_hours_per_week,"
    "welsh_language,contact_email"
)


@pytest.fixture
async def admin(client: httpx.AsyncClient, session: AsyncSession) -> Person:
    return await platform_admin(client, session)


@pytest.fixture
async def staff(client: httpx.AsyncClient) -> Person:
    return await register_person(client, full_name="Provider Staff")


async def listed(
    client: httpx.AsyncClient, admin: Person, staff: Person, session: AsyncSession, **fields: Any
) -> str:
    """A verified provider of `staff`; its id."""
    body = await verified_provider(client, session, staff=staff, admin=admin, **fields)
    return str(body["id"])


async def audit_actions(session: AsyncSession, provider_id: str) -> list[str]:
    rows = await session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.subject_id == provider_id)
        .order_by(AuditEntry.seq)
    )
    return list(rows.all())


async def names_everywhere(client: httpx.AsyncClient, provider_id: str) -> set[str]:
    """The provider's name as every public read gives it: its page, the list, the area
    directory, and a search."""
    page = ok(await client.get(f"/api/v1/providers/{provider_id}")).json()
    everyone = ok(await client.get("/api/v1/providers")).json()["items"]
    area = ok(await client.get(f"/api/v1/areas/{CARDIFF}/providers")).json()["items"]
    found = ok(await client.get(f"/api/v1/areas/{CARDIFF}/providers", params={"q": "gofal"})).json()
    return {
        page["name"],
        *(p["name"] for p in everyone if p["id"] == provider_id),
        *(p["name"] for p in area if p["id"] == provider_id),
        *(p["name"] for p in found["items"] if p["id"] == provider_id),
    }


class TestChangesThatWait:
    async def test_a_renamed_verified_provider_keeps_its_name_until_an_admin_applies_it(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session, name="Gofal Glannau")
        response = await client.patch(
            f"/api/v1/providers/{provider_id}",
            json={"name": "Gofal Glannau Taf", "hourly_rate_pence": 2450},
            headers=staff.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["name"] == "Gofal Glannau"
        assert body["hourly_rate_pence"] == 2450  # applies at once
        assert body["pending_changes"] == {"name": "Gofal Glannau Taf"}
        assert body["pending_changes_requested_at"] is not None
        assert await names_everywhere(client, provider_id) == {"Gofal Glannau"}

        applied = ok(
            await client.post(f"/api/v1/providers/{provider_id}/verify", headers=admin.headers)
        ).json()
        assert applied["name"] == "Gofal Glannau Taf"
        assert applied["pending_changes"] is None
        assert await names_everywhere(client, provider_id) == {"Gofal Glannau Taf"}
        assert (await audit_actions(session, provider_id))[-3:] == [
            "provider.updated",
            "provider.changes_requested",
            "provider.changes_applied",
        ]
        change = await session.scalar(
            select(ProviderChange).where(ProviderChange.provider_id == uuid.UUID(provider_id))
        )
        assert change is not None
        assert change.status == ProviderChangeStatus.applied
        assert change.decided_by_user_id == admin.id

    async def test_areas_and_service_types_wait_too_and_bids_follow_the_listing(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session)
        body = ok(
            await client.patch(
                f"/api/v1/providers/{provider_id}",
                json={
                    "area_codes": [SWANSEA, CARDIFF],
                    "service_types": ["respite"],
                    "ciw_service_id": "sin-77",
                    "contact_email": "New@Example.org",
                    "welsh_language": "full",
                },
                headers=staff.headers,
            )
        ).json()
        assert body["area_codes"] == [CARDIFF]
        assert body["service_types"] == ["domiciliary_support"]
        assert body["welsh_language"] == "full"
        assert body["pending_changes"] == {
            "area_codes": [SWANSEA, CARDIFF],
            "service_types": ["respite"],
            "ciw_service_id": "SIN-77",
            "contact_email": "new@example.org",
        }
        swansea = (await client.get(f"/api/v1/areas/{SWANSEA}/providers")).json()["items"]
        assert swansea == []
        applied = ok(
            await client.post(f"/api/v1/providers/{provider_id}/verify", headers=admin.headers)
        ).json()
        assert applied["area_codes"] == [SWANSEA, CARDIFF]
        assert applied["service_types"] == ["respite"]
        assert applied["ciw_service_id"] == "SIN-77"

    async def test_pending_changes_are_shown_to_staff_and_platform_admins_only(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session)
        ok(
            await client.patch(
                f"/api/v1/providers/{provider_id}",
                json={"contact_email": "newydd@example.org"},
                headers=staff.headers,
            )
        )
        url = f"/api/v1/providers/{provider_id}"
        for person in (staff, admin):
            seen = (await client.get(url, headers=person.headers)).json()
            assert seen["pending_changes"] == {"contact_email": "newydd@example.org"}
        other_staff = await register_person(client)
        await create_provider(client, other_staff)
        stranger = await register_person(client)
        for headers in ({}, stranger.headers, other_staff.headers):
            seen = (await client.get(url, headers=headers)).json()
            assert seen["pending_changes"] is None
            assert seen["pending_changes_requested_at"] is None
            assert seen["contact_email"] != "newydd@example.org"

    async def test_a_rejection_drops_them_and_keeps_the_listing(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session, name="Gofal Bro")
        url = f"/api/v1/providers/{provider_id}"
        ok(await client.patch(url, json={"name": "Gofal Bro Morgannwg"}, headers=staff.headers))
        rejected = ok(
            await client.post(
                f"{url}/changes/reject",
                json={"reason": "The CIW register names the service Gofal Bro."},
                headers=admin.headers,
            )
        ).json()
        assert rejected["name"] == "Gofal Bro"
        assert rejected["pending_changes"] is None
        assert (await client.get(url, headers=staff.headers)).json()["pending_changes"] is None
        change = await session.scalar(
            select(ProviderChange).where(ProviderChange.provider_id == uuid.UUID(provider_id))
        )
        assert change is not None
        assert change.status == ProviderChangeStatus.rejected
        assert change.reason == "The CIW register names the service Gofal Bro."
        assert (await audit_actions(session, provider_id))[-1] == "provider.changes_rejected"
        # Nothing waits now: neither a rejection nor a verification has anything to act on.
        again = await client.post(
            f"{url}/changes/reject", json={"reason": "Again."}, headers=admin.headers
        )
        problem(again, 409, "invalid_transition")
        problem(
            await client.post(f"{url}/verify", headers=admin.headers), 409, "invalid_transition"
        )
        assert await names_everywhere(client, provider_id) == {"Gofal Bro"}

    async def test_only_a_platform_admin_rejects(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session)
        url = f"/api/v1/providers/{provider_id}"
        ok(await client.patch(url, json={"name": "Enw Arall"}, headers=staff.headers))
        refused = await client.post(
            f"{url}/changes/reject", json={"reason": "No."}, headers=staff.headers
        )
        problem(refused, 403, "forbidden")
        seen = (await client.get(url, headers=staff.headers)).json()
        assert seen["pending_changes"] == {"name": "Enw Arall"}

    async def test_a_later_request_replaces_what_waits_and_the_listed_values_withdraw_it(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session, name="Gofal Un")
        url = f"/api/v1/providers/{provider_id}"
        ok(await client.patch(url, json={"name": "Gofal Dau"}, headers=staff.headers))
        second = ok(
            await client.patch(url, json={"area_codes": [SWANSEA]}, headers=staff.headers)
        ).json()
        assert second["pending_changes"] == {"area_codes": [SWANSEA]}
        # Only the immediate fields: what waits stays.
        third = ok(
            await client.patch(url, json={"hourly_rate_pence": 2500}, headers=staff.headers)
        ).json()
        assert third["pending_changes"] == {"area_codes": [SWANSEA]}
        withdrawn = ok(
            await client.patch(url, json={"area_codes": [CARDIFF]}, headers=staff.headers)
        ).json()
        assert withdrawn["pending_changes"] is None
        statuses = (
            await session.scalars(
                select(ProviderChange.status)
                .where(ProviderChange.provider_id == uuid.UUID(provider_id))
                .order_by(ProviderChange.requested_at, ProviderChange.status)
            )
        ).all()
        assert sorted(statuses) == sorted(
            [ProviderChangeStatus.superseded, ProviderChangeStatus.withdrawn]
        )
        # What the staff asked for is theirs to see in their export.
        export = ok(await client.get("/api/v1/me/export", headers=staff.headers)).json()
        asked = export["provider_changes_requested"]
        assert {c["status"]: c["fields"] for c in asked} == {
            "superseded": {"name": "Gofal Dau"},
            "withdrawn": {"area_codes": [SWANSEA]},
        }
        problem(
            await client.post(f"{url}/verify", headers=admin.headers), 409, "invalid_transition"
        )

    async def test_a_platform_admins_edit_applies_at_once(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session, name="Gofal Hen")
        body = ok(
            await client.patch(
                f"/api/v1/providers/{provider_id}",
                json={"name": "Gofal Newydd", "area_codes": [SWANSEA]},
                headers=admin.headers,
            )
        ).json()
        assert (body["name"], body["area_codes"], body["pending_changes"]) == (
            "Gofal Newydd",
            [SWANSEA],
            None,
        )
        assert await session.scalar(select(ProviderChange.id)) is None

    async def test_a_suspended_provider_reverified_takes_what_waits(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session, name="Gofal Cyntaf")
        url = f"/api/v1/providers/{provider_id}"
        ok(await client.patch(url, json={"name": "Gofal Ail"}, headers=staff.headers))
        ok(await client.post(f"{url}/suspend", headers=admin.headers))
        again = ok(await client.post(f"{url}/verify", headers=admin.headers)).json()
        assert (again["status"], again["name"], again["pending_changes"]) == (
            "verified",
            "Gofal Ail",
            None,
        )


class TestFoldedNames:
    async def test_a_name_differing_only_in_case_and_accents_is_not_verified(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        await listed(client, admin, staff, session, name="Gofal Cymru")
        # Registering is not refused (a provider is named once it is verified).
        twin = await create_provider(client, await register_person(client), name="GOFAL CYMRÛ")
        verify = await client.post(f"/api/v1/providers/{twin['id']}/verify", headers=admin.headers)
        problem(verify, 409, "provider_name_taken")
        seen = (await client.get(f"/api/v1/providers/{twin['id']}", headers=admin.headers)).json()
        assert seen["status"] == "pending"

    async def test_renaming_onto_a_verified_name_is_refused_at_the_patch(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        await listed(client, admin, staff, session, name="Gofal Cymru")
        other_staff = await register_person(client)
        other = await listed(client, admin, other_staff, session, name="Gofal Arall")
        url = f"/api/v1/providers/{other}"
        for person in (other_staff, admin):
            response = await client.patch(
                url, json={"name": "  gofal cymrû "}, headers=person.headers
            )
            problem(response, 409, "provider_name_taken")
        seen = (await client.get(url, headers=admin.headers)).json()
        assert (seen["name"], seen["pending_changes"]) == ("Gofal Arall", None)
        # A pending provider's rename is checked too.
        pending = await create_provider(client, other_staff, name="Gofal Newydd")
        renamed = await client.patch(
            f"/api/v1/providers/{pending['id']}",
            json={"name": "GOFAL CYMRU"},
            headers=other_staff.headers,
        )
        problem(renamed, 409, "provider_name_taken")
        kept = ok(
            await client.get(f"/api/v1/providers/{pending['id']}", headers=other_staff.headers)
        ).json()
        assert kept["name"] == "Gofal Newydd"

    async def test_a_new_spelling_of_its_own_name_and_a_suspended_providers_name_are_free(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        provider_id = await listed(client, admin, staff, session, name="Gofal Cymru")
        url = f"/api/v1/providers/{provider_id}"
        ok(await client.patch(url, json={"name": "GOFAL CYMRU"}, headers=staff.headers))
        applied = ok(await client.post(f"{url}/verify", headers=admin.headers)).json()
        assert applied["name"] == "GOFAL CYMRU"
        ok(await client.post(f"{url}/suspend", headers=admin.headers))
        twin = await listed(
            client, admin, await register_person(client), session, name="Gofal Cymrû"
        )
        assert twin != provider_id
        # The first cannot come back under the name the second now holds.
        problem(
            await client.post(f"{url}/verify", headers=admin.headers), 409, "provider_name_taken"
        )

    async def test_a_name_shared_before_the_rule_stays_and_other_changes_still_apply(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        await listed(client, admin, await register_person(client), session, name="Gofal Cymru")
        provider_id = await listed(client, admin, staff, session, name="Gofal Hŷn")
        # As revision 0021 leaves a verified duplicate stored before the rule: kept, unclaimed.
        twin = await session.get(Provider, uuid.UUID(provider_id))
        assert twin is not None
        twin.name, twin.name_search, twin.verified_name_key = "GOFAL CYMRÛ", "gofal cymru", None
        await session.flush()
        url = f"/api/v1/providers/{provider_id}"
        ok(
            await client.patch(
                url, json={"area_codes": [SWANSEA], "phone": "01222 000000"}, headers=staff.headers
            )
        )
        applied = ok(await client.post(f"{url}/verify", headers=admin.headers)).json()
        assert (applied["name"], applied["area_codes"], applied["phone"]) == (
            "GOFAL CYMRÛ",
            [SWANSEA],
            "01222 000000",
        )
        # Verifying it anew is checked like any other; under a name of its own it is listed.
        ok(await client.post(f"{url}/suspend", headers=admin.headers))
        problem(
            await client.post(f"{url}/verify", headers=admin.headers), 409, "provider_name_taken"
        )
        ok(await client.patch(url, json={"name": "Gofal Hŷn"}, headers=staff.headers))
        ok(await client.post(f"{url}/verify", headers=admin.headers))
        await session.refresh(twin)
        assert twin.verified_name_key == "gofal hyn"

    async def test_the_database_refuses_two_verified_providers_of_one_name(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        """What two verifications at the same moment would meet, whichever commits first."""
        first = await listed(client, admin, staff, session, name="Gofal Cymru")
        second = await listed(client, admin, await register_person(client), session)
        held = await session.get(Provider, uuid.UUID(first))
        other = await session.get(Provider, uuid.UUID(second))
        assert held is not None
        assert other is not None
        assert held.verified_name_key == "gofal cymru"
        # Past the service's own check, straight to the database: its unique index refuses,
        # and the refusal is the same 409 as the check's.
        other.verified_name_key = held.verified_name_key
        with pytest.raises(ProviderNameTaken) as refused:
            await flush_unique(session)
        assert isinstance(refused.value.__cause__, IntegrityError)

    async def test_an_import_row_taking_a_verified_name_is_a_row_error(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person, staff: Person
    ) -> None:
        await listed(client, admin, staff, session, name="Gofal Cymru")
        text = (
            f"{HEADER}\n"
            "GOFAL CYMRÛ,respite,W06000015,2000,10,none,twin@example.org\n"
            "Cymorth Tŷ,respite,W06000015,2000,10,none,ty@example.org\n"
            "CYMORTH TY,respite,W06000015,2000,10,none,ty2@example.org\n"
            "Gofal Da,respite,W06000015,2000,10,none,da@example.org\n"
        )
        response = await client.post(
            IMPORT, content=text.encode(), headers={**admin.headers, "Content-Type": "text/csv"}
        )
        body = problem(response, 422, "validation_error")
        assert [e["loc"] for e in body["errors"]] == [
            ["body", 2, "name"],
            ["body", 3, "name"],
            ["body", 4, "name"],
        ]
        assert "line 4" in body["errors"][1]["msg"]
        assert await session.scalar(select(Provider.id).where(Provider.name == "Gofal Da")) is None


class TestRateFloor:
    @pytest.mark.parametrize("rate", [999, 1])
    async def test_a_listing_below_ten_pounds_an_hour_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, staff: Person, rate: int
    ) -> None:
        created = await client.post(
            "/api/v1/providers", json=provider_fields(hourly_rate_pence=rate), headers=staff.headers
        )
        body = problem(created, 422, "validation_error")
        assert [e["loc"] for e in body["errors"]] == [["body", "hourly_rate_pence"]]
        assert await session.scalar(select(Provider.id)) is None
        provider = await create_provider(client, staff, hourly_rate_pence=1000)
        patched = await client.patch(
            f"/api/v1/providers/{provider['id']}",
            json={"hourly_rate_pence": rate},
            headers=staff.headers,
        )
        problem(patched, 422, "validation_error")
        seen = (
            await client.get(f"/api/v1/providers/{provider['id']}", headers=staff.headers)
        ).json()
        assert seen["hourly_rate_pence"] == 1000

    async def test_an_import_row_below_the_floor_is_a_row_error(
        self, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        text = f"{HEADER}\nGofal Rhad,respite,W06000015,999,10,none,rhad@example.org\n"
        response = await client.post(
            IMPORT, content=text.encode(), headers={**admin.headers, "Content-Type": "text/csv"}
        )
        body = problem(response, 422, "validation_error")
        assert [e["loc"] for e in body["errors"]] == [["body", 2, "hourly_rate_pence"]]
        assert await session.scalar(select(Provider.id)) is None
