"""Inputs an attacker sends to make the service fail: each answers a clear 4xx problem."""

import base64
import json
import typing
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.schemas import Input
from app.ledger.models import LedgerTransaction
from tests.factories import (
    CARDIFF,
    Person,
    create_coop,
    create_support_service,
    member_id_of,
    platform_admin,
    provider_fields,
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
    @pytest.mark.parametrize("rate", ["99999999999999999999999", "100001", "0", "-1"])
    async def test_a_rate_ceiling_beyond_any_rate_on_the_public_listing_is_refused(
        self, client: httpx.AsyncClient, rate: str
    ) -> None:
        response = await client.get(
            "/api/v1/areas/W06000015/providers", params={"max_hourly_rate_pence": rate}
        )
        problem(response, 422, "validation_error")

    async def test_a_refund_threshold_beyond_any_refund_is_refused(
        self, client: httpx.AsyncClient
    ) -> None:
        founder = await register_person(client)
        response = await client.post(
            "/api/v1/coops",
            json={
                "name": "Cydweithfa",
                "description": "Pooling.",
                "area_codes": [CARDIFF],
                "rules": {"refund_second_approval_pence": 10**20},
            },
            headers=founder.headers,
        )
        problem(response, 422, "validation_error")

    async def test_a_csv_rate_of_five_thousand_digits_is_a_row_error(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        text = (
            "name,service_types,area_codes,hourly_rate_pence,capacity_hours_per_week,"
            f"welsh_language,contact_email\nGofal,respite,{CARDIFF},{'9' * 5000},10,none,"
            "gofal@example.org\n"
        )
        response = await client.post(
            "/api/v1/providers/import",
            content=text.encode(),
            headers={**admin.headers, "Content-Type": "text/csv"},
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"] == ["body", 2, "hourly_rate_pence"]


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

    @pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
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

    async def test_a_nul_in_a_keys_name_is_named_without_it(
        self, client: httpx.AsyncClient
    ) -> None:
        """The problem names the unknown key, as its OpenAPI allows: no text it sends holds a
        NUL, so the NUL shows as U+FFFD."""
        response = await client.post(
            "/api/v1/auth/register",
            content='{"email": "a@example.org", "a\\u0000b": 1}',
            headers={"Content-Type": "application/json"},
        )
        body = problem(response, 422, "validation_error")
        locs = [error["loc"] for error in body["errors"]]
        assert ["body", "a\ufffdb"] in locs, locs
        assert "\x00" not in response.text
        assert "\\u0000" not in response.text


# Each folds to more characters than it has: "ss", "ffi", and an 18-letter Arabic phrase.
LONG_FOLDS = ["ß", "\ufb03", "\ufdfa"]
PROVIDER_CSV_HEADER = (
    "name,service_types,area_codes,hourly_rate_pence,capacity_hours_per_week,"
    "welsh_language,contact_email"
)


class TestNamesThatGrowWhenFolded:
    @pytest.mark.parametrize("letter", LONG_FOLDS)
    async def test_a_provider_name_too_long_once_folded_is_a_validation_error(
        self, client: httpx.AsyncClient, letter: str
    ) -> None:
        staff = await register_person(client)
        response = await client.post(
            "/api/v1/providers", json=provider_fields(name=letter * 200), headers=staff.headers
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"] == ["body", "name"]
        created = await client.post(
            "/api/v1/providers", json=provider_fields(name="Gofal"), headers=staff.headers
        )
        assert created.status_code == 201, created.text
        renamed = await client.patch(
            f"/api/v1/providers/{created.json()['id']}",
            json={"name": letter * 200},
            headers=staff.headers,
        )
        problem(renamed, 422, "validation_error")

    async def test_a_provider_name_that_still_fits_once_folded_is_kept(
        self, client: httpx.AsyncClient
    ) -> None:
        staff = await register_person(client)
        name = "ß" * 100
        response = await client.post(
            "/api/v1/providers", json=provider_fields(name=name), headers=staff.headers
        )
        assert response.status_code == 201, response.text
        assert response.json()["name"] == name

    @pytest.mark.parametrize("letter", LONG_FOLDS)
    async def test_an_imported_name_too_long_once_folded_is_a_row_error(
        self, client: httpx.AsyncClient, session: AsyncSession, letter: str
    ) -> None:
        admin = await platform_admin(client, session)
        text = (
            f"{PROVIDER_CSV_HEADER}\nGofal,respite,{CARDIFF},2000,10,none,a@example.org\n"
            f"{letter * 200},respite,{CARDIFF},2000,10,none,b@example.org\n"
        )
        response = await client.post(
            "/api/v1/providers/import",
            content=text.encode(),
            headers={**admin.headers, "Content-Type": "text/csv"},
        )
        body = problem(response, 422, "validation_error")
        assert [e["loc"] for e in body["errors"]] == [["body", 3, "name"]]
        listing = await client.get("/api/v1/areas/W06000015/providers")
        assert listing.json()["items"] == []

    @pytest.mark.parametrize("letter", LONG_FOLDS)
    async def test_full_names_and_coop_names_of_such_letters_are_taken_or_refused_cleanly(
        self, client: httpx.AsyncClient, letter: str
    ) -> None:
        person = await register_person(client, full_name=letter * 200)
        me = await client.get("/api/v1/me", headers=person.headers)
        assert me.json()["full_name"] == letter * 200
        too_long = await client.post(
            "/api/v1/auth/register",
            json={
                "email": f"x{uuid.uuid4().hex[:8]}@example.org",
                "password": "correct horse battery staple",
                "full_name": letter * 201,
                "preferred_language": "en",
            },
        )
        problem(too_long, 422, "validation_error")
        coop = await client.post(
            "/api/v1/coops",
            json={
                "name": letter * 200,
                "description": letter * 10_000,
                "area_codes": [CARDIFF],
                "rules": {},
            },
            headers=person.headers,
        )
        assert coop.status_code == 201, coop.text
        renamed = await client.patch(
            f"/api/v1/coops/{coop.json()['id']}",
            json={"name": letter * 201},
            headers=person.headers,
        )
        problem(renamed, 422, "validation_error")


class TestMoneyIsNeverAFloat:
    @pytest.mark.parametrize("amount", ["100.0", "1e3", "1E3", "1000.00", "1.0e3", "-0.0"])
    async def test_a_contribution_written_as_a_fraction_or_exponent_is_refused(
        self, client: httpx.AsyncClient, holder: Holder, session: AsyncSession, amount: str
    ) -> None:
        response = await client.post(
            f"/api/v1/coops/{holder.coop_id}/pool/contributions",
            content=f'{{"amount_pence": {amount}, "reference": "March"}}',
            headers={
                **holder.person.headers,
                "Content-Type": "application/json",
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"] == ["body", "amount_pence"]
        assert await session.scalar(select(func.count()).select_from(LedgerTransaction)) == 0

    @pytest.mark.parametrize(
        ("path", "field"),
        [
            ("/api/v1/me/direct-payment", "weekly_amount_pence"),
            ("/api/v1/providers", "hourly_rate_pence"),
        ],
    )
    async def test_other_money_written_as_a_fraction_is_refused(
        self, client: httpx.AsyncClient, holder: Holder, path: str, field: str
    ) -> None:
        body: dict[str, object] = (
            {"area_code": CARDIFF, "weekly_amount_pence": 1, "start_date": "2026-03-02"}
            if path.endswith("direct-payment")
            else provider_fields()
        )
        raw = json.dumps({**body, field: 0}).replace(f'"{field}": 0', f'"{field}": 2500.0')
        method = client.put if path.endswith("direct-payment") else client.post
        response = await method(
            path,
            content=raw,
            headers={**holder.person.headers, "Content-Type": "application/json"},
        )
        problem(response, 422, "validation_error")

    @pytest.mark.parametrize("rate", ["2500.0", "2.5e3"])
    async def test_a_rate_filter_written_as_a_fraction_is_refused(
        self, client: httpx.AsyncClient, rate: str
    ) -> None:
        response = await client.get(
            "/api/v1/areas/W06000015/providers", params={"max_hourly_rate_pence": rate}
        )
        problem(response, 422, "validation_error")


class TestDaysAreDays:
    @pytest.mark.parametrize("day", ["2026-03-01T00:00:00", "2026-03-01T00:00:00Z", "20260301"])
    async def test_a_date_field_refuses_a_datetime(
        self, client: httpx.AsyncClient, holder: Holder, day: str
    ) -> None:
        response = await client.put(
            "/api/v1/me/direct-payment",
            json={"area_code": CARDIFF, "weekly_amount_pence": 25_000, "start_date": day},
            headers=holder.person.headers,
        )
        body = problem(response, 422, "validation_error")
        assert body["errors"][0]["loc"] == ["body", "start_date"]
        statement = await client.get(
            f"/api/v1/coops/{holder.coop_id}/members/{holder.member_id}/statement",
            params={"to": day},
            headers=holder.person.headers,
        )
        problem(statement, 422, "validation_error")

    async def test_a_plain_day_is_still_taken(
        self, client: httpx.AsyncClient, holder: Holder
    ) -> None:
        response = await client.put(
            "/api/v1/me/direct-payment",
            json={"area_code": CARDIFF, "weekly_amount_pence": 25_000, "start_date": "2026-03-02"},
            headers=holder.person.headers,
        )
        assert response.status_code == 200, response.text


class TestBodiesOfTheWrongKind:
    @pytest.mark.parametrize("media_type", ["text/plain", "application/x-www-form-urlencoded"])
    async def test_json_sent_as_another_media_type_is_unsupported(
        self, client: httpx.AsyncClient, holder: Holder, session: AsyncSession, media_type: str
    ) -> None:
        register = await client.post(
            "/api/v1/auth/register",
            content=json.dumps(
                {
                    "email": "plain@example.org",
                    "password": "correct horse battery staple",
                    "full_name": "Plain Text",
                    "preferred_language": "en",
                }
            ),
            headers={"Content-Type": media_type},
        )
        problem(register, 415, "unsupported_media_type")
        contribution = await client.post(
            f"/api/v1/coops/{holder.coop_id}/pool/contributions",
            content=json.dumps({"amount_pence": 100, "reference": "March"}),
            headers={
                **holder.person.headers,
                "Content-Type": media_type,
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )
        problem(contribution, 415, "unsupported_media_type")
        patch = await client.patch(
            f"/api/v1/coops/{holder.coop_id}",
            content=json.dumps({"name": "Renamed"}),
            headers={**holder.person.headers, "Content-Type": media_type},
        )
        problem(patch, 415, "unsupported_media_type")
        assert await session.scalar(select(func.count()).select_from(LedgerTransaction)) == 0
        coop = await client.get(f"/api/v1/coops/{holder.coop_id}")
        assert coop.json()["name"] != "Renamed"
        login = await client.post(
            "/api/v1/auth/token", data={"username": "plain@example.org", "password": "x" * 12}
        )
        problem(login, 401, "invalid_credentials")

    async def test_json_with_a_charset_or_a_json_suffix_is_taken(
        self, client: httpx.AsyncClient, holder: Holder
    ) -> None:
        for media_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
            response = await client.patch(
                f"/api/v1/coops/{holder.coop_id}",
                content=json.dumps({"description": f"As {media_type}"}),
                headers={**holder.person.headers, "Content-Type": media_type},
            )
            assert response.status_code == 200, response.text

    async def test_a_chunked_body_over_the_limit_is_body_too_large(
        self, client: httpx.AsyncClient, app: FastAPI
    ) -> None:
        limit = app.state.settings.max_body_bytes

        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"email": "'
            for _ in range(limit // 65536 + 2):
                yield b"x" * 65536
            yield b'"}'

        response = await client.post(
            "/api/v1/auth/register",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
        assert "content-length" not in response.request.headers
        assert response.request.headers["transfer-encoding"] == "chunked"
        problem(response, 413, "body_too_large")


def _subclasses(cls: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _kinds(annotation: object) -> set[type]:
    """The scalar types a field takes: int, date, datetime (through Optional and Annotated)."""
    if annotation in (int, date, datetime):
        return {annotation}
    if typing.get_origin(annotation) in (list, dict):
        return set()
    return set().union(*(_kinds(arg) for arg in typing.get_args(annotation)))


BAD_VALUES: dict[type, list[object]] = {
    # Beyond any column, written as a fraction, written with an exponent.
    int: [10**20, -(10**20), 100.0, 1e3],
    date: ["9999-12-31", "0001-01-01", "2026-03-01T00:00:00"],
    datetime: ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-03-01"],
}


def _fields_of_every_input() -> list[tuple[type[BaseModel], str, type]]:
    found: list[tuple[type[BaseModel], str, type]] = []
    for model in sorted(set(_subclasses(Input)), key=lambda m: m.__qualname__):
        for name, field in model.model_fields.items():
            found.extend((model, name, kind) for kind in _kinds(field.annotation))
    return found


def _query_parameters(app: FastAPI) -> Iterator[tuple[str, Any]]:
    def walk(dependant: Any) -> Iterator[Any]:
        yield from dependant.query_params
        for sub in dependant.dependencies:
            yield from walk(sub)

    def routes(candidates: list[Any]) -> Iterator[APIRoute]:
        for route in candidates:
            if isinstance(route, APIRoute):
                yield route
            elif hasattr(route, "original_router"):  # an included router
                yield from routes(route.original_router.routes)

    for route in routes(app.routes):
        for param in walk(route.dependant):
            yield route.path, param


class TestTheWholeClassIsClosed:
    """Not only the inputs listed above: every number and day the service takes is bounded."""

    @pytest.mark.parametrize(
        ("model", "name", "kind"),
        _fields_of_every_input(),
        ids=lambda v: v.__qualname__ if isinstance(v, type) else str(v),
    )
    def test_every_body_field_refuses_values_beyond_the_calendar_or_any_column(
        self, model: type[BaseModel], name: str, kind: type
    ) -> None:
        for bad in BAD_VALUES[kind]:
            with pytest.raises(ValidationError) as refused:
                model.model_validate({name: bad})
            assert any(e["loc"][:1] == (name,) for e in refused.value.errors()), (name, bad)

    async def test_every_query_parameter_refuses_values_beyond_the_calendar_or_any_column(
        self, app: FastAPI
    ) -> None:
        checked = 0
        for path, param in _query_parameters(app):
            annotation = param.field_info.annotation
            targets: list[tuple[str, object]]
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                targets = [(n, f.annotation) for n, f in annotation.model_fields.items()]
            else:
                targets = [(param.name, annotation)]
            for name, field_annotation in targets:
                for kind in _kinds(field_annotation):
                    text_values = [str(v) for v in BAD_VALUES[kind] if not isinstance(v, float)]
                    text_values += ["1e3", "100.0"] if kind is int else []
                    for bad in text_values:
                        if annotation is field_annotation:
                            _, errors = param.validate(bad, {}, loc=("query", name))
                            assert errors, (path, name, bad)
                        else:
                            with pytest.raises(ValidationError):
                                annotation.model_validate({name: bad})
                    checked += 1
        assert checked >= 4
