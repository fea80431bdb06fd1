"""An area's summary for its council, on the world of tests/stats/conftest.py, with figures
checked by hand."""

import csv
import io
from datetime import date

import httpx

from app.stats import queries
from app.stats.service import period, saving_percent, spend_rows
from tests.factories import CARDIFF, SWANSEA
from tests.helpers import problem
from tests.stats.conftest import CARDIFF_PUBLISHED, HIDDEN, World


def summary_url(area: str) -> str:
    return f"/api/v1/la/areas/{area}/summary"


async def test_cardiff_counts_its_own_holders_only(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(summary_url(CARDIFF), headers=world.cardiff_officer.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # The test clock stands on 2026-03-02: by default, from the first day of the month eleven
    # months before this one, to today.
    assert (body["area_code"], body["from"], body["to"]) == (CARDIFF, "2025-04-01", "2026-03-02")
    assert body["holders_pooling"] == {"value": 10, "suppressed": False}
    # 123,450p from 9 holders: shown, and rounded half up to the nearest £100.
    assert body["contributions_pence"] == {"value": CARDIFF_PUBLISHED, "suppressed": False}
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


async def test_a_month_with_nothing_in_it_shows_zero(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        summary_url(CARDIFF),
        params={"from": "2026-03-01", "to": "2026-03-31"},
        headers=world.admin.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
    assert body["holders_pooling"] == {"value": 0, "suppressed": False}
    assert body["contributions_pence"] == {"value": 0, "suppressed": False}
    assert body["coops_active"] == 0


async def test_one_whole_month_counts_that_month(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        summary_url(CARDIFF),
        params={"from": "2026-02-01", "to": "2026-02-28"},
        headers=world.cardiff_officer.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["holders_pooling"] == {"value": 10, "suppressed": False}
    assert body["contributions_pence"] == {"value": CARDIFF_PUBLISHED, "suppressed": False}
    assert body["coops_active"] == 1


class TestWholeMonths:
    async def test_from_must_start_a_month(self, client: httpx.AsyncClient, world: World) -> None:
        body = problem(
            await client.get(
                summary_url(CARDIFF),
                params={"from": "2026-02-02", "to": "2026-02-28"},
                headers=world.cardiff_officer.headers,
            ),
            422,
            "period_not_whole_months",
        )
        assert body["errors"] == [
            {
                "loc": ["query", "from"],
                "msg": "'from' must be the first day of a month.",
                "type": "value_error",
            }
        ]

    async def test_to_must_end_a_month_or_be_today(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = problem(
            await client.get(
                summary_url(CARDIFF),
                params={"from": "2026-02-01", "to": "2026-02-27"},
                headers=world.cardiff_officer.headers,
            ),
            422,
            "period_not_whole_months",
        )
        assert [e["loc"] for e in body["errors"]] == [["query", "to"]]
        # Yesterday is not today, and the day before the end of a month ends none.
        for to in ("2026-03-01", "2026-03-30"):
            problem(
                await client.get(
                    summary_url(CARDIFF),
                    params={"from": "2026-03-01", "to": to},
                    headers=world.cardiff_officer.headers,
                ),
                422,
                "period_not_whole_months",
            )
        today = await client.get(
            summary_url(CARDIFF),
            params={"from": "2026-02-01", "to": "2026-03-02"},
            headers=world.cardiff_officer.headers,
        )
        assert today.status_code == 200, today.text
        assert today.json()["contributions_pence"]["value"] == CARDIFF_PUBLISHED

    async def test_both_wrong_names_both_and_in_welsh(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = problem(
            await client.get(
                summary_url(CARDIFF),
                params={"from": "2025-03-03", "to": "2026-02-14"},
                headers={**world.cardiff_officer.headers, "Accept-Language": "cy"},
            ),
            422,
            "period_not_whole_months",
        )
        assert [e["loc"] for e in body["errors"]] == [["query", "from"], ["query", "to"]]
        assert body["title"] == "Nid misoedd calendr cyfan"
        # Each item as every validation problem's: typed, its message in Welsh.
        assert [(e["type"], e["msg"]) for e in body["errors"]] == [
            ("value_error", "Rhaid i 'from' fod yn ddiwrnod cyntaf mis."),
            ("value_error", "Rhaid i 'to' fod yn ddiwrnod olaf mis, neu heddiw."),
        ]

    async def test_a_to_alone_runs_twelve_months_to_it(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            summary_url(CARDIFF), params={"to": "2026-01-31"}, headers=world.admin.headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["from"], body["to"]) == ("2025-02-01", "2026-01-31")
        assert body["holders_pooling"] == {"value": 0, "suppressed": False}

    async def test_a_from_alone_runs_to_today(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            summary_url(CARDIFF), params={"from": "2026-02-01"}, headers=world.admin.headers
        )
        assert response.status_code == 200, response.text
        assert (response.json()["from"], response.json()["to"]) == ("2026-02-01", "2026-03-02")


async def test_from_after_to_is_a_validation_error(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        summary_url(CARDIFF),
        params={"from": "2026-03-01", "to": "2026-02-28"},
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
    problem(await client.get(summary_url(CARDIFF)), 401, "not_authenticated")


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


def test_secondary_suppression_of_the_holders_column() -> None:
    rows = [
        queries.SpendRow("domiciliary_support", 30, 300_000),
        queries.SpendRow("respite", 3, 9_000),
        queries.SpendRow("day_opportunities", 9, 40_000),
        queries.SpendRow("personal_assistant", 12, 55_000),
    ]
    out = spend_rows(rows, holders_pooling=54)
    cells = {
        r.service_type.value: (r.holders.model_dump(), r.spend_pence.model_dump()) for r in out
    }
    assert cells["respite"] == (HIDDEN, HIDDEN)
    # The next smallest goes too, so respite is not 54 - 30 - 12 away.
    assert cells["day_opportunities"] == (HIDDEN, HIDDEN)
    # Shown spend is rounded half up to the nearest £100: 55,000p is half way, so 60,000p.
    assert cells["personal_assistant"] == (
        {"value": 10, "suppressed": False},
        {"value": 60_000, "suppressed": False},
    )
    assert cells["domiciliary_support"] == (
        {"value": 30, "suppressed": False},
        {"value": 300_000, "suppressed": False},
    )


def test_saving_percent_uses_rates_to_the_penny() -> None:
    assert saving_percent(2251, 2000) == "11.2"  # 251 / 2251 = 11.15...%
    assert saving_percent(None, 2000) is None


def test_the_default_period_on_a_leap_day() -> None:
    assert period(None, None, date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))
