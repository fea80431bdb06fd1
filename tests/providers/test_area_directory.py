from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import (
    Person,
    create_provider,
    platform_admin,
    register_person,
)
from tests.helpers import ok, problem
from tests.stats.built import built

CARDIFF = "W06000015"
GWYNEDD = "W06000002"
LISTING = f"/api/v1/areas/{CARDIFF}/providers"


async def names(client: httpx.AsyncClient, url: str = LISTING, **params: Any) -> list[str]:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return [p["name"] for p in response.json()["items"]]


async def listed(app: FastAPI, admin: Person, **fields: Any) -> dict[str, str]:
    """A verified provider, built through the services: the listing is what is under test."""
    async with built(app) as b:
        provider = await b.verified_provider(admin, **fields)
    return {"id": str(provider.id), "status": provider.status.value}


@pytest.fixture
async def admin(client: httpx.AsyncClient, session: AsyncSession) -> Person:
    return await platform_admin(client, session)


class TestListAreaProviders:
    async def test_lists_verified_providers_in_the_area_cheapest_first_then_by_name(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        for name, rate in [("Bryn", 2000), ("aber", 2000), ("Cwm", 1800), ("Dyfi", 2500)]:
            await listed(app, admin, name=name, hourly_rate_pence=rate)
        await listed(app, admin, name="Elsewhere", area_codes=[GWYNEDD])
        assert await names(client) == ["Cwm", "aber", "Bryn", "Dyfi"]

    async def test_pending_and_suspended_providers_never_appear(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        staff = await register_person(client)
        await create_provider(client, staff, name="Pending")
        suspended = await listed(app, admin, name="Suspended")
        ok(await client.post(f"/api/v1/providers/{suspended['id']}/suspend", headers=admin.headers))
        await listed(app, admin, name="Listed")
        assert await names(client) == ["Listed"]
        for person in (staff, admin):
            response = ok(await client.get(LISTING, headers=person.headers))
            assert [p["name"] for p in response.json()["items"]] == ["Listed"]

    async def test_filters_by_service_type(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        await listed(app, admin, name="Respite", service_types=["respite"])
        await listed(
            app,
            admin,
            name="Both",
            service_types=["respite", "personal_assistant"],
        )
        await listed(app, admin, name="PA", service_types=["personal_assistant"])
        assert sorted(await names(client, service_type="respite")) == ["Both", "Respite"]
        assert await names(client, service_type="adult_placement") == []
        problem(
            await client.get(LISTING, params={"service_type": "gardening"}),
            422,
            "validation_error",
        )

    async def test_filters_by_welsh_language_at_least(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        for offer in ("none", "some", "full"):
            await listed(app, admin, name=offer, welsh_language=offer)
        assert sorted(await names(client, welsh_language="none")) == ["full", "none", "some"]
        assert sorted(await names(client, welsh_language="some")) == ["full", "some"]
        assert await names(client, welsh_language="full") == ["full"]

    async def test_filters_by_a_maximum_hourly_rate(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        for rate in (1999, 2000, 2001):
            await listed(app, admin, name=str(rate), hourly_rate_pence=rate)
        assert await names(client, max_hourly_rate_pence=2000) == ["1999", "2000"]
        for bad in ("20.5", "true", "0"):
            problem(
                await client.get(LISTING, params={"max_hourly_rate_pence": bad}),
                422,
                "validation_error",
            )

    async def test_q_matches_part_of_the_name_in_any_case_welsh_letters_included(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        await listed(app, admin, name="Gofal Ŵyn")
        await listed(app, admin, name="Cymorth Tŷ Âr")
        await listed(app, admin, name="Gofal 100%_Da")
        assert await names(client, q="ŵyn") == ["Gofal Ŵyn"]
        assert await names(client, q="ŴYN") == ["Gofal Ŵyn"]
        assert await names(client, q="tŷ â") == ["Cymorth Tŷ Âr"]
        assert await names(client, q="TŶ Â") == ["Cymorth Tŷ Âr"]
        # The to bach does not make another letter: "wyn" finds "Ŵyn" too.
        assert await names(client, q="wyn") == ["Gofal Ŵyn"]
        assert await names(client, q="%") == ["Gofal 100%_Da"]
        assert await names(client, q="_") == ["Gofal 100%_Da"]
        assert len(await names(client, q="")) == 3

    async def test_filters_combine(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        await listed(
            app,
            admin,
            name="Gofal Da",
            service_types=["respite"],
            welsh_language="full",
            hourly_rate_pence=1900,
        )
        await listed(
            app,
            admin,
            name="Gofal Drud",
            service_types=["respite"],
            welsh_language="full",
            hourly_rate_pence=3000,
        )
        assert await names(
            client,
            service_type="respite",
            welsh_language="some",
            max_hourly_rate_pence=2000,
            q="gofal",
        ) == ["Gofal Da"]

    async def test_pages_with_a_cursor_in_order(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        for i in range(7):
            await listed(app, admin, name=f"P{i}", hourly_rate_pence=2000 + (i % 3))
        expected = await names(client)
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 3}
            if cursor:
                params["cursor"] = cursor
            body = (await client.get(LISTING, params=params)).json()
            assert len(body["items"]) <= 3
            seen.extend(p["name"] for p in body["items"])
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == expected
        assert len(seen) == 7

    async def test_an_unknown_area_is_area_not_found(self, client: httpx.AsyncClient) -> None:
        problem(await client.get("/api/v1/areas/W06000007/providers"), 404, "area_not_found")

    async def test_the_etag_answers_304_and_a_change_shows_on_the_next_request(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        staff = await register_person(client)
        provider = await listed(app, admin, name="Un")
        first = await client.get(LISTING)
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "no-cache"
        assert (await client.get(LISTING, headers={"If-None-Match": etag})).status_code == 304
        assert (
            await client.get(LISTING, headers={"If-None-Match": f'"other", W/{etag}'})
        ).status_code == 304

        # A platform administrator's rename applies at once (staff's would wait for one).
        ok(
            await client.patch(
                f"/api/v1/providers/{provider['id']}", json={"name": "Dau"}, headers=admin.headers
            )
        )
        renamed = await client.get(LISTING, headers={"If-None-Match": etag})
        assert renamed.status_code == 200
        assert [p["name"] for p in renamed.json()["items"]] == ["Dau"]

        newcomer = await create_provider(client, staff, name="Tri")
        assert await names(client) == ["Dau"]
        ok(await client.post(f"/api/v1/providers/{newcomer['id']}/verify", headers=admin.headers))
        assert sorted(await names(client)) == ["Dau", "Tri"]

        ok(await client.post(f"/api/v1/providers/{provider['id']}/suspend", headers=admin.headers))
        assert await names(client) == ["Tri"]

    async def test_the_same_query_gets_the_same_etag(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        await listed(app, admin)
        one = await client.get(LISTING, params={"q": "GOFAL"})
        two = await client.get(LISTING, params={"q": "gofal"})
        assert one.headers["etag"] == two.headers["etag"]
        assert one.content == two.content


class TestAreaCoverage:
    async def test_one_row_per_service_type_with_counts_rates_and_gaps(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        offers = [
            (["respite", "domiciliary_support"], 2000, "full"),
            (["respite"], 1500, "some"),
            (["respite"], 2500, "none"),
            (["respite", "domiciliary_support"], 1800, "full"),
        ]
        for types, rate, welsh in offers:
            await listed(
                app,
                admin,
                service_types=types,
                hourly_rate_pence=rate,
                welsh_language=welsh,
            )
        staff = await register_person(client)
        await create_provider(client, staff, service_types=["adult_placement"])
        elsewhere = await listed(
            app, admin, service_types=["day_opportunities"], area_codes=[GWYNEDD]
        )
        assert elsewhere["status"] == "verified"

        response = await client.get(f"/api/v1/areas/{CARDIFF}/coverage")
        assert response.status_code == 200
        body = response.json()
        assert body["next_cursor"] is None
        rows = {r["service_type"]: r for r in body["items"]}
        assert [r["service_type"] for r in body["items"]] == [
            "domiciliary_support",
            "personal_assistant",
            "respite",
            "day_opportunities",
            "supported_living",
            "adult_placement",
            "care_home_adults",
            "community_support",
        ]
        assert rows["respite"] == {
            "service_type": "respite",
            "provider_count": 4,
            "lowest_hourly_rate_pence": 1500,
            "median_hourly_rate_pence": 1800,
            "welsh_language_providers": 2,
            "gap": False,
        }
        assert rows["domiciliary_support"] == {
            "service_type": "domiciliary_support",
            "provider_count": 2,
            "lowest_hourly_rate_pence": 1800,
            "median_hourly_rate_pence": 1800,
            "welsh_language_providers": 2,
            "gap": False,
        }
        for gap in ("adult_placement", "day_opportunities", "personal_assistant"):
            assert rows[gap] == {
                "service_type": gap,
                "provider_count": 0,
                "lowest_hourly_rate_pence": None,
                "median_hourly_rate_pence": None,
                "welsh_language_providers": 0,
                "gap": True,
            }

    async def test_the_median_of_an_odd_count_is_the_middle_rate(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        for rate in (3000, 1000, 2000):
            await listed(app, admin, service_types=["respite"], hourly_rate_pence=rate)
        body = (await client.get(f"/api/v1/areas/{CARDIFF}/coverage")).json()
        respite = next(r for r in body["items"] if r["service_type"] == "respite")
        assert respite["median_hourly_rate_pence"] == 2000

    async def test_an_area_with_no_providers_is_all_gaps(self, client: httpx.AsyncClient) -> None:
        body = (await client.get("/api/v1/areas/W06000023/coverage")).json()
        assert len(body["items"]) == 8
        assert all(r["gap"] and r["provider_count"] == 0 for r in body["items"])

    async def test_a_change_shows_on_the_next_request(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, admin: Person
    ) -> None:
        url = f"/api/v1/areas/{CARDIFF}/coverage"
        before = await client.get(url)
        provider = await listed(app, admin, service_types=["respite"])
        after = await client.get(url, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200
        respite = next(r for r in after.json()["items"] if r["service_type"] == "respite")
        assert respite["provider_count"] == 1
        ok(await client.post(f"/api/v1/providers/{provider['id']}/suspend", headers=admin.headers))
        again = (await client.get(url)).json()
        assert all(r["gap"] for r in again["items"])

    async def test_an_unknown_area_is_area_not_found(self, client: httpx.AsyncClient) -> None:
        problem(await client.get("/api/v1/areas/W06000099/coverage"), 404, "area_not_found")


class TestWelshLettersAsPeopleExpect:
    async def test_a_name_is_found_with_or_without_its_circumflex_and_sorts_among_its_letter(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        for name in ("Gofal Ŵyn", "Gofal Wyn Arall", "Gofal Zeta"):
            await listed(app, admin, name=name, hourly_rate_pence=2000)
        for q in ("wyn", "ŵyn", "ŴYN", "WYN"):
            body = (await client.get("/api/v1/areas/W06000015/providers", params={"q": q})).json()
            assert {p["name"] for p in body["items"]} == {"Gofal Ŵyn", "Gofal Wyn Arall"}, q
        items = ok(await client.get("/api/v1/areas/W06000015/providers")).json()["items"]
        names = [p["name"] for p in items if p["name"].startswith("Gofal ")]
        assert names == ["Gofal Ŵyn", "Gofal Wyn Arall", "Gofal Zeta"]
