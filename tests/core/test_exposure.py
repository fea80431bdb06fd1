"""What the service shows to whom: metrics, caches, redirects and the documentation page."""

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.main import create_app
from tests.conftest import Database
from tests.factories import register_person
from tests.helpers import problem


def client_at(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
def metrics_app(database: Database) -> FastAPI:
    settings = database.settings.model_copy(
        update={
            "metrics_token": SecretStr("scrape-token-0123456789"),
            "metrics_allow": "127.0.0.1/32, ::1, 10.20.0.0/16",
        }
    )
    return create_app(settings, engine=database.engine)


class TestMetricsAreNotPublic:
    async def test_a_stranger_is_told_there_is_nothing(self, metrics_app: FastAPI) -> None:
        async with client_at(metrics_app, "203.0.113.10") as stranger:
            answer = await stranger.get("/metrics")
            problem(answer, 404, "not_found")
            assert "dpc_http_requests_total" not in answer.text
            # Neither a forwarded-for header, a wrong token nor another scheme opens it.
            for headers in (
                {"X-Forwarded-For": "127.0.0.1"},
                {"Authorization": "Bearer scrape-token-0123456788"},
                {"Authorization": "Bearer "},
                {"Authorization": "Basic scrape-token-0123456789"},
                {"Authorization": "scrape-token-0123456789"},
            ):
                problem(await stranger.get("/metrics", headers=headers), 404, "not_found")

    async def test_the_token_opens_it_from_anywhere(self, metrics_app: FastAPI) -> None:
        async with client_at(metrics_app, "203.0.113.10") as scraper:
            answer = await scraper.get(
                "/metrics", headers={"Authorization": "Bearer scrape-token-0123456789"}
            )
        assert answer.status_code == 200
        assert "dpc_http_requests_total" in answer.text
        assert answer.headers["cache-control"] == "no-store"

    @pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.20.3.4", "::ffff:127.0.0.1"])
    async def test_the_allowed_addresses_need_no_token(
        self, metrics_app: FastAPI, address: str
    ) -> None:
        async with client_at(metrics_app, address) as scraper:
            answer = await scraper.get("/metrics")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/plain")

    @pytest.mark.parametrize("address", ["10.21.0.1", "127.0.0.2", "192.0.2.1"])
    async def test_addresses_outside_the_list_are_refused(
        self, metrics_app: FastAPI, address: str
    ) -> None:
        async with client_at(metrics_app, address) as stranger:
            problem(await stranger.get("/metrics"), 404, "not_found")

    async def test_by_default_only_loopback_reads_metrics(self, database: Database) -> None:
        app = create_app(database.settings, engine=database.engine)
        async with client_at(app, "198.51.100.7") as stranger:
            problem(await stranger.get("/metrics"), 404, "not_found")
            problem(
                await stranger.get("/metrics", headers={"Authorization": "Bearer anything"}),
                404,
                "not_found",
            )
        async with client_at(app, "127.0.0.1") as local:
            assert (await local.get("/metrics")).status_code == 200

    def test_a_malformed_allow_list_stops_the_start(self, database: Database) -> None:
        with pytest.raises(ValueError, match="metrics_allow"):
            type(database.settings)(
                database_url=database.settings.database_url, metrics_allow="10.0.0.0/33"
            )


class TestPersonalAnswersAreNotStored:
    @pytest.mark.parametrize(
        "path", ["/api/v1/me", "/api/v1/me/export", "/api/v1/me/activity", "/api/v1/areas"]
    )
    async def test_an_answer_to_a_signed_in_person_is_no_store(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        person = await register_person(client)
        answer = await client.get(path, headers=person.headers)
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"

    async def test_credentials_override_a_public_cache_policy(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        public = await client.get("/api/v1/areas/W06000015/providers")
        assert public.headers["cache-control"] == "no-cache"
        assert "etag" in public.headers
        personal = await client.get("/api/v1/areas/W06000015/providers", headers=person.headers)
        assert personal.headers["cache-control"] == "no-store"

    async def test_refusals_and_tokens_are_not_stored(self, client: httpx.AsyncClient) -> None:
        refused = await client.get("/api/v1/me", headers={"Authorization": "Bearer forged"})
        problem(refused, 401, "not_authenticated")
        assert refused.headers["cache-control"] == "no-store"
        person = await register_person(client)
        token = await client.post(
            "/api/v1/auth/token", data={"username": person.email, "password": person.password}
        )
        assert token.status_code == 200, token.text
        assert token.headers["cache-control"] == "no-store"


class TestNoRedirectFromTheHostHeader:
    @pytest.mark.parametrize(
        "path", ["/api/v1/areas/", "/healthz/", "/api/v1/coops/x/", "/api/v1/me/"]
    )
    async def test_a_stray_slash_is_404_and_names_no_host(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        answer = await client.get(path, headers={"Host": "evil.example"})
        problem(answer, 404, "not_found")
        assert "location" not in answer.headers
        assert all("evil.example" not in value for value in answer.headers.values())
        assert "evil.example" not in answer.text


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not found.get("src"):
                self.inline_scripts += 1
        if "style" in found:
            self.inline_scripts += 1
        for name in ("src", "href"):
            if found.get(name):
                self.urls.append(str(found[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


@pytest.fixture
async def docs_client(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(database.settings, engine=database.engine)
    async with client_at(app, "203.0.113.10") as client:
        yield client


class TestDocsAreServedWhole:
    async def test_the_page_names_no_other_host_and_every_asset_loads(
        self, docs_client: httpx.AsyncClient
    ) -> None:
        page = await docs_client.get("/docs")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert not re.search(r"(?i)(https?:)?//", page.text), page.text
        links = _Links()
        links.feed(page.text)
        assert links.inline_scripts == 0
        assert len(links.urls) >= 3
        scripts = 0
        for url in links.urls:
            parts = urlsplit(url)
            assert not parts.scheme, url
            assert not parts.netloc, url
            asset = await docs_client.get(url)
            assert asset.status_code == 200, url
            assert len(asset.content) > 0
            if url.endswith(".js"):
                scripts += 1
                assert asset.headers["content-type"].startswith("text/javascript")
        assert scripts == 2
        bundle = await docs_client.get("/docs/assets/swagger-ui-bundle.js")
        assert b"SwaggerUIBundle" in bundle.content
        init = await docs_client.get("/docs/assets/init.js")
        assert b"SwaggerUIBundle(" in init.content
        assert (await docs_client.get("/openapi.json")).status_code == 200

    async def test_the_page_runs_under_a_self_only_policy(
        self, docs_client: httpx.AsyncClient
    ) -> None:
        page = await docs_client.get("/docs")
        policy: dict[str, str] = {}
        for part in page.headers["content-security-policy"].split(";"):
            name, _, value = part.strip().partition(" ")
            policy[name] = value
        assert policy["default-src"] == "'none'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["connect-src"] == "'self'"
        assert "unsafe" not in page.headers["content-security-policy"]
        assert "http" not in page.headers["content-security-policy"]

    async def test_nothing_else_is_served_from_the_asset_folder(
        self, docs_client: httpx.AsyncClient
    ) -> None:
        for name in ("redoc.standalone.js", "..%2F..%2Fconfig.py", "core.py", "__init__.py"):
            problem(await docs_client.get(f"/docs/assets/{name}"), 404, "not_found")
