"""Stamps per area: a provider write lets go of the cached answers of the areas it touches,
before and after the write, and of the answers spanning areas, and of nothing else."""

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import CursorPage
from app.providers import area_listing
from app.providers.dependencies import directory
from app.providers.directory import ALL_AREAS
from app.providers.directory_reads import Reader
from app.providers.schemas import AreaListingQuery
from tests.factories import Person, platform_admin
from tests.helpers import ok
from tests.stats.built import built

CARDIFF = "W06000015"
GWYNEDD = "W06000002"
SWANSEA = "W06000011"
AREAS = (CARDIFF, GWYNEDD, SWANSEA)


def listing(code: str) -> str:
    return f"/api/v1/areas/{code}/providers"


@pytest.fixture
async def admin(client: httpx.AsyncClient, session: AsyncSession) -> Person:
    return await platform_admin(client, session)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each area's listing and coverage were rendered (cache misses)."""
    counted: Counter[str] = Counter()
    render_listing = area_listing.render_listing
    render_coverage = area_listing.render_coverage

    async def counting_listing(reader: Reader, code: str, query: Any) -> bytes:
        counted[code] += 1
        return await render_listing(reader, code, query)

    async def counting_coverage(reader: Reader, code: str) -> bytes:
        counted["coverage " + code] += 1
        return await render_coverage(reader, code)

    monkeypatch.setattr(area_listing, "render_listing", counting_listing)
    monkeypatch.setattr(area_listing, "render_coverage", counting_coverage)
    return counted


async def providers(app: FastAPI, admin: Person) -> dict[str, str]:
    async with built(app) as b:
        made = {
            "cardiff": await b.verified_provider(admin, name="Gofal Caerdydd"),
            "gwynedd": await b.verified_provider(admin, name="Gofal Eryri", area_codes=[GWYNEDD]),
            "swansea": await b.verified_provider(
                admin, name="Gofal Abertawe", area_codes=[SWANSEA]
            ),
            "both": await b.verified_provider(
                admin, name="Gofal Dau Le", area_codes=[CARDIFF, SWANSEA]
            ),
        }
    return {key: str(provider.id) for key, provider in made.items()}


async def read_all(client: httpx.AsyncClient) -> dict[str, httpx.Response]:
    return {code: ok(await client.get(listing(code))) for code in AREAS}


async def patch(client: httpx.AsyncClient, admin: Person, provider_id: str, **fields: Any) -> None:
    ok(await client.patch(f"/api/v1/providers/{provider_id}", json=fields, headers=admin.headers))


def rates(response: httpx.Response) -> dict[str, int]:
    return {p["name"]: p["hourly_rate_pence"] for p in response.json()["items"]}


class TestAWriteInOneArea:
    async def test_leaves_another_areas_page_cached_and_the_written_areas_page_fresh(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        admin: Person,
        renders: Counter[str],
    ) -> None:
        ids = await providers(app, admin)
        before = await read_all(client)
        assert renders == Counter(AREAS)
        await patch(client, admin, ids["gwynedd"], hourly_rate_pence=3100)
        after = await read_all(client)
        assert renders == Counter({CARDIFF: 1, SWANSEA: 1, GWYNEDD: 2})
        assert rates(after[GWYNEDD]) == {"Gofal Eryri": 3100}
        for code in (CARDIFF, SWANSEA):
            assert after[code].content == before[code].content
            assert after[code].headers["etag"] == before[code].headers["etag"]
        assert after[GWYNEDD].headers["etag"] != before[GWYNEDD].headers["etag"]

    async def test_of_a_provider_in_several_areas_freshens_each_of_them_only(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        admin: Person,
        renders: Counter[str],
    ) -> None:
        ids = await providers(app, admin)
        await read_all(client)
        await patch(client, admin, ids["both"], hourly_rate_pence=2900)
        after = await read_all(client)
        assert renders == Counter({CARDIFF: 2, SWANSEA: 2, GWYNEDD: 1})
        assert rates(after[CARDIFF])["Gofal Dau Le"] == 2900
        assert rates(after[SWANSEA])["Gofal Dau Le"] == 2900

    async def test_moving_a_provider_freshens_where_it_was_and_where_it_is(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        admin: Person,
        renders: Counter[str],
    ) -> None:
        ids = await providers(app, admin)
        await read_all(client)
        await patch(client, admin, ids["cardiff"], area_codes=[GWYNEDD])
        after = await read_all(client)
        assert renders == Counter({CARDIFF: 2, GWYNEDD: 2, SWANSEA: 1})
        assert "Gofal Caerdydd" not in rates(after[CARDIFF])
        assert "Gofal Caerdydd" in rates(after[GWYNEDD])

    async def test_suspending_or_verifying_freshens_the_providers_areas(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        admin: Person,
        renders: Counter[str],
    ) -> None:
        ids = await providers(app, admin)
        await read_all(client)
        url = f"/api/v1/providers/{ids['swansea']}"
        ok(await client.post(url + "/suspend", headers=admin.headers))
        suspended = await read_all(client)
        assert "Gofal Abertawe" not in rates(suspended[SWANSEA])
        ok(await client.post(url + "/verify", headers=admin.headers))
        verified = await read_all(client)
        assert "Gofal Abertawe" in rates(verified[SWANSEA])
        assert renders == Counter({CARDIFF: 1, GWYNEDD: 1, SWANSEA: 3})

    async def test_an_import_freshens_the_areas_of_the_providers_it_writes(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        admin: Person,
        renders: Counter[str],
    ) -> None:
        await providers(app, admin)
        await read_all(client)
        imported = await client.post(
            "/api/v1/providers/import",
            content=(
                "name,service_types,area_codes,hourly_rate_pence,capacity_hours_per_week,"
                "welsh_language,contact_email\n"
                f"Newydd yn Eryri,respite,{GWYNEDD},2500,50,full,newydd@example.org\n"
            ).encode(),
            headers={**admin.headers, "Content-Type": "text/csv"},
        )
        ok(imported)
        after = await read_all(client)
        assert renders == Counter({CARDIFF: 1, GWYNEDD: 2, SWANSEA: 1})
        assert "Newydd yn Eryri" in rates(after[GWYNEDD])

    async def test_leaves_another_areas_coverage_cached(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        admin: Person,
        renders: Counter[str],
    ) -> None:
        ids = await providers(app, admin)
        coverage = {code: f"/api/v1/areas/{code}/coverage" for code in (CARDIFF, GWYNEDD)}
        before = {code: ok(await client.get(url)) for code, url in coverage.items()}
        await patch(client, admin, ids["gwynedd"], service_types=["respite"])
        after = {code: ok(await client.get(url)) for code, url in coverage.items()}
        assert renders == Counter({"coverage " + CARDIFF: 1, "coverage " + GWYNEDD: 2})
        assert after[CARDIFF].content == before[CARDIFF].content
        assert after[GWYNEDD].content != before[GWYNEDD].content


class TestAnswersSpanningAreas:
    async def test_are_let_go_by_a_write_in_any_area(
        self, app: FastAPI, client: httpx.AsyncClient, admin: Person
    ) -> None:
        ids = await providers(app, admin)
        rendered: list[bytes] = []

        async def every_area(reader: Reader) -> bytes:
            """An answer over every area: the names listed in each, one after the other."""
            names = []
            for code in AREAS:
                page = await area_listing.render_listing(reader, code, AreaListingQuery(limit=200))
                names += [p["name"] for p in CursorPage[Any].model_validate_json(page).items]
            rendered.append(",".join(names).encode())
            return rendered[-1]

        cache = directory(app)
        first = await cache.answer(ALL_AREAS, ("names",), every_area)
        assert (await cache.answer(ALL_AREAS, ("names",), every_area)) == first
        assert len(rendered) == 1
        for code in (GWYNEDD, SWANSEA):
            key = "gwynedd" if code == GWYNEDD else "swansea"
            await patch(client, admin, ids[key], name=f"Newydd {code}")
            fresh = await cache.answer(ALL_AREAS, ("names",), every_area)
            assert f"Newydd {code}".encode() in fresh.body
        assert len(rendered) == 3


class TestConcurrentMisses:
    async def test_of_one_page_share_one_render(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        admin: Person,
        renders: Counter[str],
    ) -> None:
        await providers(app, admin)
        answers = await asyncio.gather(*(client.get(listing(CARDIFF)) for _ in range(8)))
        assert {ok(a).content for a in answers} == {answers[0].content}
        assert renders == Counter({CARDIFF: 1})
