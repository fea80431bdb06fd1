"""Inputs an attacker sends to make the service fail: each answers a clear 4xx problem."""

import base64
import json
import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import (
    CARDIFF,
    Person,
    create_coop,
    create_support_service,
    member_id_of,
    platform_admin,
    register_person,
    set_direct_payment,
    tender_fields,
)
from tests.helpers import problem


@dataclass(frozen=True)
class Holder:
    coop_id: uuid.UUID
    person: Person
    member_id: uuid.UUID


@pytest.fixture
async def holder(client: httpx.AsyncClient) -> Holder:
    person = await register_person(client, full_name="Anwen Holder")
    await set_direct_payment(client, person)
    coop_id = await create_coop(client, person)
    return Holder(coop_id, person, await member_id_of(client, coop_id, person))


def forged(values: object) -> str:
    raw = json.dumps(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class TestNumbersBeyondAnyColumn:
    @pytest.mark.parametrize(
        "path",
        ["/api/v1/areas/W06000015/providers", "/api/v1/providers"],
    )
    async def test_a_huge_rate_ceiling_on_the_public_listing_is_a_validation_error(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        response = await client.get(
            path, params={"max_hourly_rate_pence": "99999999999999999999999"}
        )
        assert response.status_code != 500, response.text
        if path.endswith("/providers") and "areas" in path:
            problem(response, 422, "validation_error")


class TestDaysBeyondTheCalendar:
    async def test_a_statement_to_the_end_of_time_is_a_validation_error(
        self, client: httpx.AsyncClient, holder: Holder
    ) -> None:
        for to in ("9999-12-31", "0001-01-01"):
            response = await client.get(
                f"/api/v1/coops/{holder.coop_id}/members/{holder.member_id}/statement",
                params={"to": to},
                headers=holder.person.headers,
            )
            problem(response, 422, "validation_error")

    async def test_a_council_summary_to_the_end_of_time_is_a_validation_error(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        for to in ("9999-12-31", "0001-01-01"):
            response = await client.get(
                f"/api/v1/la/areas/{CARDIFF}/summary", params={"to": to}, headers=admin.headers
            )
            problem(response, 422, "validation_error")

    @pytest.mark.parametrize("period", ["9999-Q4", "0000-Q1"])
    async def test_a_return_for_a_quarter_beyond_the_calendar_is_a_validation_error(
        self, client: httpx.AsyncClient, holder: Holder, period: str
    ) -> None:
        response = await client.get(
            f"/api/v1/coops/{holder.coop_id}/members/{holder.member_id}/dp-return",
            params={"period": period},
            headers=holder.person.headers,
        )
        problem(response, 422, "validation_error")

    @pytest.mark.parametrize("period", ["0000-01", "9999-12"])
    async def test_a_charge_for_a_month_beyond_the_calendar_is_a_validation_error(
        self, client: httpx.AsyncClient, holder: Holder, period: str
    ) -> None:
        service = await create_support_service(client, holder.coop_id, holder.person)
        response = await client.post(
            f"/api/v1/coops/{holder.coop_id}/support/services/{service}/charges",
            json={"period": period},
            headers={**holder.person.headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        problem(response, 422, "validation_error")

    @pytest.mark.parametrize(
        "moment", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]
    )
    async def test_a_deadline_beyond_the_calendar_is_a_validation_error(
        self, client: httpx.AsyncClient, holder: Holder, moment: str
    ) -> None:
        tender = await client.post(
            f"/api/v1/coops/{holder.coop_id}/tenders",
            json=tender_fields(submission_deadline=moment),
            headers=holder.person.headers,
        )
        problem(tender, 422, "validation_error")
        proposal = await client.post(
            f"/api/v1/coops/{holder.coop_id}/proposals",
            json={"title": "For ever", "body": "Shall we?", "closes_at": moment},
            headers=holder.person.headers,
        )
        problem(proposal, 422, "validation_error")


class TestForgedCursors:
    @pytest.mark.parametrize(
        "values",
        [
            [{"u": 5}, {"u": 5}],
            [{"t": "2026-01-01T00:00:00"}, {"u": str(uuid.uuid4())}],
            [99999999999999999999999, "x", {"u": str(uuid.uuid4())}],
            ["a", "b", "c", "d"],
            [None, None, None, None],
            [{"u": str(uuid.uuid4())}],
            [[1], {"t": 1}],
        ],
    )
    async def test_a_forged_cursor_is_a_validation_error(
        self, client: httpx.AsyncClient, values: object
    ) -> None:
        for path in ("/api/v1/coops", "/api/v1/areas/W06000015/providers", "/api/v1/tenders"):
            response = await client.get(path, params={"cursor": forged(values)})
            problem(response, 422, "validation_error")


class TestBodiesBuiltToHurt:
    async def test_json_nested_500_deep_is_refused_not_a_crash(
        self, client: httpx.AsyncClient
    ) -> None:
        deep = "[" * 500 + "]" * 500
        response = await client.post(
            "/api/v1/auth/register",
            content=f'{{"email": {deep}}}',
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code in (400, 422), response.text
        response = await client.post(
            "/api/v1/auth/register",
            content=deep,
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code in (400, 422), response.text

    @pytest.mark.parametrize("field", ["username", "password"])
    async def test_a_nul_in_the_login_form_is_a_validation_error(
        self, client: httpx.AsyncClient, field: str
    ) -> None:
        person = await register_person(client)
        data = {"username": person.email, "password": person.password}
        data[field] = data[field][:3] + "\x00" + data[field][3:]
        response = await client.post("/api/v1/auth/token", data=data)
        problem(response, 422, "validation_error")
