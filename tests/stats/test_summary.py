"""The councils' summary and the Wales table on a small world, with figures checked by hand.

One co-op spans Cardiff and Swansea. Nine of its holders are paid by Cardiff (one pays in
twice) and three by Swansea: Cardiff sees 9 holders (published 10) and 10,000p; Swansea's 3
holders and their money are suppressed, though they pool in the same co-op.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.stats import queries
from app.stats.service import saving_percent, spend_rows, twelve_months_to
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    confirm_award,
    contribute,
    create_coop,
    join_coop,
    platform_admin,
    register_person,
    set_direct_payment,
    verified_provider,
)
from tests.helpers import problem

HIDDEN = {"value": None, "suppressed": True}


@dataclass
class World:
    admin: Person
    cardiff_officer: Person
    swansea_officer: Person
    coop: Any
    founder: Person


async def holder(
    client: httpx.AsyncClient,
    coop: Any,
    admin: Person,
    *,
    area: str,
    amounts: list[int],
    officer: Person | None = None,
) -> None:
    """A holder paid by `area` who pays `amounts` in; their award is confirmed by `officer`
    when one is given (only confirmed awards count in the public table)."""
    person = await register_person(client, full_name="Holder")
    award = await set_direct_payment(client, person, area_code=area)
    if officer is not None:
        await confirm_award(client, officer, award["id"])
    await join_coop(client, coop, person, admin)
    for amount in amounts:
        response = await contribute(client, coop, person, amount_pence=amount)
        assert response.status_code == 201, response.text


async def appoint(client: httpx.AsyncClient, admin: Person, area: str) -> Person:
    officer = await register_person(client, full_name="Officer")
    response = await client.post(
        "/api/v1/admin/la-officers",
        json={"user_id": str(officer.id), "area_code": area},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    return officer


@pytest.fixture
async def world(client: httpx.AsyncClient, session: AsyncSession) -> World:
    admin = await platform_admin(client, session)
    founder = await register_person(client, full_name="Founder")
    coop = await create_coop(client, founder, area_codes=(CARDIFF, SWANSEA))
    cardiff_officer = await appoint(client, admin, CARDIFF)
    swansea_officer = await appoint(client, admin, SWANSEA)
    for i in range(9):
        await holder(
            client,
            coop,
            founder,
            area=CARDIFF,
            amounts=[1000, 1000] if i == 0 else [1000],
            officer=cardiff_officer,
        )
    for _ in range(3):
        await holder(client, coop, founder, area=SWANSEA, amounts=[500], officer=swansea_officer)
    # Listed rates in Cardiff: (2200 + 2301) / 2 = 2250.5, published 2251 (half up).
    await verified_provider(client, session, admin=admin, hourly_rate_pence=2200)
    await verified_provider(
        client, session, admin=admin, hourly_rate_pence=2301, welsh_language="full"
    )
    return World(
        admin=admin,
        cardiff_officer=cardiff_officer,
        swansea_officer=swansea_officer,
        coop=coop,
        founder=founder,
    )


def summary_url(area: str) -> str:
    return f"/api/v1/la/areas/{area}/summary"


async def test_cardiff_counts_its_own_holders_only(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(summary_url(CARDIFF), headers=world.cardiff_officer.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # The test clock stands on 2026-03-02: the twelve months to today.
    assert (body["area_code"], body["from"], body["to"]) == (CARDIFF, "2025-03-03", "2026-03-02")
    assert body["holders_pooling"] == {"value": 10, "suppressed": False}
    assert body["contributions_pence"] == {"value": 10_000, "suppressed": False}
    assert body["coops_active"] == 1
    assert body["listed_average_hourly_rate_pence"] == 2251
    assert body["contracted_average_hourly_rate_pence"] is None
    assert body["saving_percent"] is None
    # No tender in the world yet: every status but draft, at 0.
    assert body["tenders"] == {
        "open": 0,
        "evaluation": 0,
        "award_pending_vote": 0,
        "awarded": 0,
        "contracted": 0,
        "cancelled": 0,
        "unsuccessful": 0,
    }
    assert body["spend_by_service_type"] == []
    by_type = {row["service_type"]: row for row in body["providers_by_service_type"]}
    assert len(by_type) == 8
    assert by_type["domiciliary_support"] == {
        "service_type": "domiciliary_support",
        "providers": 2,
        "welsh_language_providers": 1,
        "gap": False,
    }
    assert by_type["respite"]["gap"] is True


async def test_swansea_holders_are_few_and_suppressed(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(summary_url(SWANSEA), headers=world.swansea_officer.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["holders_pooling"] == HIDDEN
    assert body["contributions_pence"] == HIDDEN
    # The co-op is an organisation: counted plainly in both areas it serves.
    assert body["coops_active"] == 1
    assert body["listed_average_hourly_rate_pence"] is None


async def test_a_period_with_nothing_in_it_shows_zero(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        summary_url(CARDIFF),
        params={"from": "2026-03-03", "to": "2026-03-31"},
        headers=world.admin.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-03-03", "2026-03-31")
    assert body["holders_pooling"] == {"value": 0, "suppressed": False}
    assert body["contributions_pence"] == {"value": 0, "suppressed": False}
    assert body["coops_active"] == 0


async def test_from_after_to_is_a_validation_error(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        summary_url(CARDIFF),
        params={"from": "2026-03-03", "to": "2026-03-01"},
        headers=world.admin.headers,
    )
    assert problem(response, 422, "validation_error")


async def test_another_area_is_forbidden_and_an_unknown_one_not_found(
    client: httpx.AsyncClient, world: World
) -> None:
    other = await client.get(summary_url(SWANSEA), headers=world.cardiff_officer.headers)
    assert problem(other, 403, "forbidden")
    unknown = await client.get(summary_url("W06999999"), headers=world.admin.headers)
    assert problem(unknown, 404, "area_not_found")
    anonymous = await client.get(summary_url(CARDIFF))
    assert anonymous.status_code == 401


async def test_an_api_client_reads_its_own_area_only(
    client: httpx.AsyncClient, world: World
) -> None:
    created = await client.post(
        "/api/v1/admin/api-clients",
        json={"name": "Cardiff BI", "area_code": CARDIFF},
        headers=world.admin.headers,
    )
    assert created.status_code == 201, created.text
    creds = created.json()
    token = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": creds["client_secret"],
        },
    )
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    own = await client.get(summary_url(CARDIFF), headers=headers)
    assert own.status_code == 200, own.text
    assert own.json()["holders_pooling"]["value"] == 10
    assert problem(await client.get(summary_url(SWANSEA), headers=headers), 403, "forbidden")


async def test_csv_by_query_or_accept(client: httpx.AsyncClient, world: World) -> None:
    by_query = await client.get(
        summary_url(SWANSEA), params={"format": "csv"}, headers=world.swansea_officer.headers
    )
    by_accept = await client.get(
        summary_url(SWANSEA), headers={**world.swansea_officer.headers, "Accept": "text/csv"}
    )
    for response in (by_query, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert "charset=utf-8" in response.headers["content-type"]
    assert by_query.content == by_accept.content
    rows = list(csv.reader(io.StringIO(by_query.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "key", "field", "value", "suppressed"]
    assert ["area", SWANSEA, "holders_pooling", "", "true"] in rows
    assert ["area", SWANSEA, "coops_active", "1", "false"] in rows
    assert ["providers_by_service_type", "respite", "gap", "true", "false"] in rows


async def test_openapi_documents_csv(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    content = spec["paths"]["/api/v1/la/areas/{code}/summary"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in content
    assert "application/json" in content


async def test_the_wales_table(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get("/api/v1/stats/wales")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] is None
    rows = {row["area_code"]: row for row in body["items"]}
    assert len(rows) == 22
    assert rows[CARDIFF] == {
        "area_code": CARDIFF,
        "holders_pooling": {"value": 10, "suppressed": False},
        "contributions_pence": {"value": 10_000, "suppressed": False},
        "coops_active": 1,
        "tenders_awarded": 0,
        "gaps": 7,
    }
    assert rows[SWANSEA]["holders_pooling"] == HIDDEN
    assert rows[SWANSEA]["contributions_pence"] == HIDDEN
    assert rows[SWANSEA]["coops_active"] == 1
    assert rows[SWANSEA]["gaps"] == 8
    quiet = rows["W06000001"]
    assert quiet["holders_pooling"] == {"value": 0, "suppressed": False}
    assert quiet["coops_active"] == 0


async def test_the_wales_table_is_kept_for_a_while_and_revalidated_by_etag(
    app: FastAPI, client: httpx.AsyncClient, world: World
) -> None:
    first = await client.get("/api/v1/stats/wales")
    assert first.status_code == 200, first.text
    etag = first.headers["ETag"]
    for _ in range(5):
        await holder(
            client,
            world.coop,
            world.founder,
            area=CARDIFF,
            amounts=[1000],
            officer=world.cardiff_officer,
        )
    # Kept: the same answer, byte for byte, and a 304 for a client holding it.
    again = await client.get("/api/v1/stats/wales")
    assert (again.content, again.headers["ETag"]) == (first.content, etag)
    unchanged = await client.get("/api/v1/stats/wales", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    # With the cache off (DPC_WALES_CACHE_SECONDS=0) every request counts afresh.
    app.state.settings = app.state.settings.model_copy(update={"wales_cache_seconds": 0})
    app.state.wales_cache = None
    fresh = await client.get("/api/v1/stats/wales")
    assert fresh.headers["ETag"] != etag
    cardiff = next(r for r in fresh.json()["items"] if r["area_code"] == CARDIFF)
    assert cardiff["holders_pooling"] == {"value": 15, "suppressed": False}
    assert cardiff["contributions_pence"] == {"value": 15_000, "suppressed": False}


def test_secondary_suppression_of_the_holders_column() -> None:
    rows = [
        queries.SpendRow("domiciliary_support", 30, 300_000),
        queries.SpendRow("respite", 3, 9_000),
        queries.SpendRow("day_opportunities", 9, 40_000),
        queries.SpendRow("personal_assistant", 12, 50_000),
    ]
    out = spend_rows(rows, holders_pooling=54)
    cells = {
        r.service_type.value: (r.holders.model_dump(), r.spend_pence.model_dump()) for r in out
    }
    assert cells["respite"] == (HIDDEN, HIDDEN)
    # The next smallest goes too, so respite is not 54 - 30 - 12 away.
    assert cells["day_opportunities"] == (HIDDEN, HIDDEN)
    assert cells["personal_assistant"] == (
        {"value": 10, "suppressed": False},
        {"value": 50_000, "suppressed": False},
    )
    assert cells["domiciliary_support"][0] == {"value": 30, "suppressed": False}


def test_saving_percent_and_the_default_period() -> None:
    assert saving_percent(2251, 2000) == "11.2"  # 251 / 2251 = 11.15...%
    assert saving_percent(None, 2000) is None
    assert twelve_months_to(date(2028, 2, 29)) == (
        date(2027, 3, 1),
        date(2028, 2, 29),
    )
