"""The directory's answers are the same bytes however they are reached: from the cache or
rendered afresh, from rows or from ORM objects, before routing or through the route."""

import contextlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from prometheus_client import REGISTRY
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.types import Scope, Send

from app.core.db import unit_of_work
from app.core.deps import _allowed_query
from app.core.pagination import CursorPage
from app.providers import area_listing, service
from app.providers.area_router import list_area_providers
from app.providers.directory_reads import OverConnection
from app.providers.models import Provider
from app.providers.schemas import AreaListingQuery, ProviderRead
from app.providers.shortcut import LISTING_PARAMETERS, DirectoryShortcut
from tests.factories import Person, platform_admin
from tests.helpers import ok
from tests.stats.built import built

CARDIFF = "W06000015"
GWYNEDD = "W06000002"
SWANSEA = "W06000011"
ANGLESEY = "W06000001"
AREAS = (CARDIFF, GWYNEDD, SWANSEA)
LISTING = "/api/v1/areas/{code}/providers"
TEMPLATE = "/api/v1/areas/{code}/providers"

# Filters the listing takes, small pages so that every query runs over several.
QUERIES: list[dict[str, Any]] = [
    {"limit": "2"},
    {"limit": "3", "service_type": "respite"},
    {"limit": "2", "welsh_language": "some"},
    {"limit": "2", "welsh_language": "full"},
    {"limit": "2", "welsh_language": "none"},
    {"limit": "2", "max_hourly_rate_pence": "2100"},
    {"limit": "1", "q": "wyn"},
    {"limit": "2", "q": "GOFAL"},
    {"limit": "2", "q": "100%_"},
    {"service_type": "personal_assistant", "welsh_language": "some", "q": "a"},
    {},
]


@pytest.fixture
async def admin(client: httpx.AsyncClient, session: AsyncSession) -> Person:
    return await platform_admin(client, session)


async def world(app: FastAPI, client: httpx.AsyncClient, admin: Person) -> dict[str, str]:
    """Providers of every kind the listing shows: ties on the rate, several areas and service
    types (not given in order), empty optional fields, accents, and some never listed."""
    async with built(app) as b:
        made = {
            "wyn": await b.verified_provider(
                admin,
                name="Gofal Ŵyn",
                service_types=["respite", "domiciliary_support", "personal_assistant"],
                area_codes=[SWANSEA, CARDIFF, GWYNEDD],
                hourly_rate_pence=2000,
                welsh_language="full",
                phone="029 2000 0000",
                website="https://wyn.example.org",
                ciw_service_id="SIN-0001",
            ),
            "aber": await b.verified_provider(
                admin,
                name="aber",
                service_types=["day_opportunities", "domiciliary_support"],
                hourly_rate_pence=2000,
                welsh_language="none",
            ),
            "bryn": await b.verified_provider(
                admin,
                name="Bryn Gofal",
                service_types=["respite"],
                area_codes=[CARDIFF, GWYNEDD],
                hourly_rate_pence=1900,
            ),
            "percent": await b.verified_provider(
                admin, name="Gofal 100%_ Cymru", hourly_rate_pence=2600, welsh_language="some"
            ),
            "swansea": await b.verified_provider(
                admin, name="Cymorth Abertawe", area_codes=[SWANSEA], hourly_rate_pence=2100
            ),
            "pending": await b.provider(
                await b.person(signed_in=False), name="Aros", hourly_rate_pence=1000
            ),
            "suspended": await b.verified_provider(admin, name="Ataliwyd", hourly_rate_pence=1000),
        }
    ids = {key: str(provider.id) for key, provider in made.items()}
    ok(await client.post(f"/api/v1/providers/{ids['suspended']}/suspend", headers=admin.headers))
    return ids


def listing_route(routes: Iterable[Any]) -> APIRoute:
    """The listing's route object, wherever the routers included it."""
    for route in routes:
        if isinstance(route, APIRoute) and route.endpoint is list_area_providers:
            return route
        included = getattr(route, "original_router", None)
        if included is not None:
            with contextlib.suppress(LookupError):
                return listing_route(included.routes)
    raise LookupError("the listing's route")


async def orm_page(app: FastAPI, code: str, params: dict[str, Any]) -> bytes:
    """The page as the API rendered it before it read rows: `ProviderRead` over the ORM
    objects `service.list_in_area` loads (the web pages still read those)."""
    query = AreaListingQuery.model_validate(params)
    async with unit_of_work(app.state.sessionmaker) as session:
        items, next_cursor = await service.list_in_area(
            session,
            code,
            query.page,
            service_type=query.service_type,
            welsh_language=query.welsh_language,
            max_hourly_rate_pence=query.max_hourly_rate_pence,
            q=query.search,
        )
    page = CursorPage[ProviderRead](
        items=[ProviderRead.model_validate(p) for p in items], next_cursor=next_cursor
    )
    return page.model_dump_json().encode()


async def pages(
    client: httpx.AsyncClient, code: str, params: dict[str, Any]
) -> list[tuple[dict[str, Any], httpx.Response]]:
    """Every page of one listing through the API, following `next_cursor`."""
    walked = []
    cursor = None
    while True:
        sent = {**params, **({"cursor": cursor} if cursor else {})}
        response = ok(await client.get(LISTING.format(code=code), params=sent))
        walked.append((sent, response))
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return walked
        assert len(walked) < 20


async def assert_same_as_orm(app: FastAPI, client: httpx.AsyncClient) -> int:
    compared = 0
    for code in AREAS:
        for params in QUERIES:
            for sent, response in await pages(client, code, params):
                assert response.content == await orm_page(app, code, sent), (code, sent)
                compared += 1
    return compared


class TestTheSameBytes:
    async def test_cached_uncached_and_orm_renders_are_identical(
        self, app: FastAPI, client: httpx.AsyncClient, connection: AsyncConnection, admin: Person
    ) -> None:
        await world(app, client, admin)
        for code in AREAS:
            for params in QUERIES:
                for sent, first in await pages(client, code, params):
                    cached = ok(await client.get(LISTING.format(code=code), params=sent))
                    query = AreaListingQuery.model_validate(sent)
                    fresh = await area_listing.render_listing(
                        OverConnection(connection), code, query
                    )
                    orm = await orm_page(app, code, sent)
                    assert first.content == cached.content == fresh == orm, (code, sent)
                    assert first.headers["etag"] == cached.headers["etag"]
        body = json.loads(await orm_page(app, CARDIFF, {}))
        assert [p["name"] for p in body["items"]] == [
            "Bryn Gofal",
            "aber",
            "Gofal Ŵyn",
            "Gofal 100%_ Cymru",
        ]
        wyn = body["items"][2]
        assert wyn["service_types"] == ["domiciliary_support", "personal_assistant", "respite"]
        assert wyn["area_codes"] == [GWYNEDD, SWANSEA, CARDIFF]

    async def test_with_the_cache_off_every_answer_is_the_same_too(
        self, app: FastAPI, client: httpx.AsyncClient, admin: Person
    ) -> None:
        await world(app, client, admin)
        app.state.settings = app.state.settings.model_copy(update={"directory_cache_entries": 0})
        assert await assert_same_as_orm(app, client) > len(AREAS) * len(QUERIES)

    async def test_a_provider_written_without_its_entry_is_listed_all_the_same(
        self, app: FastAPI, client: httpx.AsyncClient, connection: AsyncConnection, admin: Person
    ) -> None:
        """A provider written straight into the tables has no kept entry: a page renders its
        entry from its columns instead (and keeps nothing: the read writes no row)."""
        ids = await world(app, client, admin)
        dropped = [uuid.UUID(ids["wyn"]), uuid.UUID(ids["aber"])]
        await connection.execute(
            update(Provider).where(Provider.id.in_(dropped)).values(listing_entry=None)
        )
        for code in AREAS:
            for params in QUERIES:
                for sent, _ in await pages(client, code, params):
                    query = AreaListingQuery.model_validate(sent)
                    fresh = await area_listing.render_listing(
                        OverConnection(connection), code, query
                    )
                    assert fresh == await orm_page(app, code, sent), (code, sent)
        kept = await connection.scalars(
            select(Provider.listing_entry).where(Provider.id.in_(dropped))
        )
        assert list(kept) == [None, None]

    async def test_after_every_kind_of_write_the_rows_read_as_the_orm_objects_do(
        self, app: FastAPI, client: httpx.AsyncClient, admin: Person
    ) -> None:
        ids = await world(app, client, admin)
        await assert_same_as_orm(app, client)
        providers = "/api/v1/providers/"
        writes: list[tuple[str, str, dict[str, Any] | None]] = [
            ("patch", ids["aber"], {"hourly_rate_pence": 1500}),
            ("patch", ids["bryn"], {"name": "Bryn Gofal Newydd"}),
            ("patch", ids["bryn"], {"area_codes": [CARDIFF, GWYNEDD, ANGLESEY]}),
            ("patch", ids["wyn"], {"area_codes": [GWYNEDD]}),
            ("patch", ids["swansea"], {"area_codes": [SWANSEA, CARDIFF]}),
            ("patch", ids["percent"], {"service_types": ["adult_placement"]}),
            ("post", ids["pending"] + "/verify", None),
            ("post", ids["suspended"] + "/verify", None),
            ("post", ids["aber"] + "/suspend", None),
        ]
        for method, path, body in writes:
            if method == "patch":
                sent = await client.patch(providers + path, json=body, headers=admin.headers)
            else:
                sent = await client.post(providers + path, headers=admin.headers)
            ok(sent)
            await assert_same_as_orm(app, client)
        imported = await client.post(
            "/api/v1/providers/import",
            content=(
                "name,ciw_service_id,service_types,area_codes,hourly_rate_pence,"
                "capacity_hours_per_week,welsh_language,contact_email\n"
                "Gofal Ŵyn,SIN-0001,respite,W06000015;W06000011,1800,50,some,w@example.org\n"
                "Newydd,,respite,W06000002,2222,50,full,n@example.org\n"
            ).encode(),
            headers={**admin.headers, "Content-Type": "text/csv"},
        )
        assert ok(imported).json() == {"created": 1, "updated": 1}
        await assert_same_as_orm(app, client)


class Recording:
    """The directory's shortcut, noting what it answered (None: left to the route)."""

    def __init__(self) -> None:
        self.shortcut = DirectoryShortcut("/api/v1")
        self.answers: list[str | None] = []

    async def __call__(self, scope: Scope, send: Send) -> str | None:
        answered = await self.shortcut(scope, send)
        self.answers.append(answered)
        return answered


def comparable(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [(k, v) for k, v in response.headers.multi_items() if k != "x-request-id"]
    return response.status_code, headers, response.content


class TestBeforeRouting:
    async def test_the_shortcut_knows_the_routes_parameters(self, app: FastAPI) -> None:
        assert _allowed_query(listing_route(app.routes)) == LISTING_PARAMETERS

    async def test_answers_what_the_route_answers_and_leaves_the_rest_to_it(
        self, app: FastAPI, client: httpx.AsyncClient, admin: Person
    ) -> None:
        await world(app, client, admin)
        listing = LISTING.format(code=CARDIFF)
        etag = ok(await client.get(listing)).headers["etag"]
        answered: list[tuple[str, dict[str, str]]] = [
            (listing, {}),
            (listing + "?limit=2&service_type=respite", {}),
            (listing + "?q=%C5%B5yn", {"Accept-Language": "cy"}),
            (listing, {"If-None-Match": etag}),
            (listing + "?cursor=", {}),
            (f"/api/v1/areas/{GWYNEDD}/coverage", {}),
        ]
        routed: list[tuple[str, dict[str, str]]] = [
            (listing + "?limit=0", {}),
            (listing + "?limit=2&limit=3", {}),
            (listing + "?servce_type=respite", {}),
            (listing + "?cursor=bm90IG91cnM", {}),
            (listing + "?max_hourly_rate_pence=1e3", {}),
            ("/api/v1/areas/W99999999/providers", {}),
            ("/api/v1/areas/W99999999/providers?cursor=bm90IG91cnM", {}),
            (listing, {"Authorization": admin.headers["Authorization"]}),
            (listing, {"Origin": "https://elsewhere.example"}),
            (f"/api/v1/areas/{CARDIFF}/coverage?x=1", {}),
        ]
        for url, headers in answered + routed:
            recording = Recording()
            app.state.shortcuts = [recording]
            shortcut = comparable(await client.get(url, headers=headers))
            app.state.shortcuts = []
            route = comparable(await client.get(url, headers=headers))
            assert shortcut == route, url
            answered_here = bool(recording.answers) and recording.answers[-1] is not None
            assert answered_here == ((url, headers) in answered), url
        assert comparable(await client.get(listing + "?limit=0"))[0] == 422

    async def test_counted_under_the_routes_template(
        self, client: httpx.AsyncClient, app: FastAPI
    ) -> None:
        labels = {"method": "GET", "route": TEMPLATE, "status": "200"}
        before = REGISTRY.get_sample_value("dpc_http_requests_total", labels) or 0.0
        recording = Recording()
        app.state.shortcuts = [recording]
        ok(await client.get(LISTING.format(code=CARDIFF)))
        app.state.shortcuts = []
        ok(await client.get(LISTING.format(code=CARDIFF)))
        assert recording.answers == [TEMPLATE]
        assert REGISTRY.get_sample_value("dpc_http_requests_total", labels) == before + 2
