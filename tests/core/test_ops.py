import json

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.core.config import Settings
from app.core.db import create_engine
from app.main import create_app
from tests.conftest import Database, make_test_settings
from tests.factories import register_person
from tests.helpers import ok, problem


class TestHealth:
    async def test_healthz_answers_without_the_database(self) -> None:
        app = create_app(make_test_settings("sqlite+aiosqlite:////nonexistent/dir/x.sqlite3"))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


class TestReadiness:
    async def test_ready_when_the_schema_is_at_head(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"status": "ready"}

    async def test_not_ready_when_the_database_is_unreachable(self) -> None:
        settings = make_test_settings("postgresql+asyncpg://nobody@127.0.0.1:1/none")
        app = create_app(settings)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            problem(await client.get("/readyz"), 503, "not_ready")

    async def test_not_ready_when_the_schema_is_behind(
        self, tmp_path_factory: pytest.TempPathFactory
    ) -> None:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('behind') / 'db.sqlite3'}"
        engine = create_engine(Settings(database_url=url))
        async with engine.begin() as connection:
            await connection.execute(
                text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            )
            await connection.execute(text("INSERT INTO alembic_version VALUES ('0000')"))
        app = create_app(make_test_settings(url), engine=engine)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            body = problem(await client.get("/readyz"), 503, "not_ready")
        assert "migration" in body["detail"]
        await engine.dispose()


class TestMetrics:
    async def test_metrics_are_prometheus_text(
        self, client: httpx.AsyncClient, app: FastAPI
    ) -> None:
        ok(await client.get("/api/v1/areas"))
        local = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=local, base_url="http://test") as scraper:
            response = await scraper.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert "dpc_http_requests_total" in response.text
        assert "dpc_http_request_duration_seconds_bucket" in response.text
        assert 'route="/api/v1/areas"' in response.text


class TestRequestContext:
    async def test_a_request_id_is_generated_and_echoed(self, client: httpx.AsyncClient) -> None:
        generated = await client.get("/healthz")
        assert len(generated.headers["x-request-id"]) == 32
        honoured = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
        assert honoured.headers["x-request-id"] == "abc-123"
        unsafe = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
        assert unsafe.headers["x-request-id"] != "bad id\nwith newline"

    async def test_security_headers_and_content_language_on_every_answer(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/api/v1/areas")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-language"] == "en"

    async def test_the_users_preferred_language_wins_over_an_english_header(
        self, client: httpx.AsyncClient
    ) -> None:
        # Browsers always send an English header: a stated preference must win over it.
        person = await register_person(client, preferred_language="cy")
        response = await client.get("/api/v1/me", headers=person.headers)
        assert response.headers["content-language"] == "cy"
        english = await client.get(
            "/api/v1/me", headers={**person.headers, "Accept-Language": "en-GB,en;q=0.9"}
        )
        assert english.headers["content-language"] == "cy"

    async def test_logs_are_json_with_the_request_id_and_no_secrets(
        self, client: httpx.AsyncClient, log_lines: list[str]
    ) -> None:
        person = await register_person(client, password="a very secret password 1")
        ok(await client.get("/api/v1/me", headers={**person.headers, "X-Request-ID": "trace-me"}))
        parsed = [json.loads(line) for line in log_lines]
        assert any(
            p.get("request_id") == "trace-me" and p.get("path") == "/api/v1/me" for p in parsed
        )
        joined = "\n".join(log_lines)
        assert "a very secret password 1" not in joined
        assert person.token not in joined
        assert person.refresh_token not in joined


class TestSettings:
    def test_production_refuses_the_default_secret(self) -> None:
        with pytest.raises(ValueError, match="DPC_SECRET_KEY"):
            Settings(env="production")
        with pytest.raises(ValueError, match="DPC_SECRET_KEY"):
            Settings(env="production", secret_key="short")
        with pytest.raises(ValueError, match="DPC_SMTP_URL"):
            Settings(env="production", secret_key="x" * 40)
        mailing = {"smtp_url": "smtp://mail.example.org:587?starttls=true"}
        with pytest.raises(ValueError, match="DPC_PUBLIC_BASE_URL"):
            Settings(env="production", secret_key="x" * 40, **mailing)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="DPC_PUBLIC_BASE_URL"):
            Settings(
                env="production",
                secret_key="x" * 40,
                public_base_url="http://care.example.org",
                **mailing,  # type: ignore[arg-type]
            )
        production = Settings(
            env="production",
            secret_key="x" * 40,
            public_base_url="https://care.example.org",
            **mailing,  # type: ignore[arg-type]
        )
        assert production.env == "production"

    def test_plain_urls_map_to_async_drivers(self) -> None:
        assert (
            Settings(database_url="sqlite:///./a.db").async_database_url
            == "sqlite+aiosqlite:///./a.db"
        )
        assert (
            Settings(database_url="postgresql://u@h/db").async_database_url
            == "postgresql+asyncpg://u@h/db"
        )

    def test_hashing_defaults_are_owasps_argon2id_parameters(self) -> None:
        settings = Settings()
        assert (
            settings.argon2_memory_kib,
            settings.argon2_time_cost,
            settings.argon2_parallelism,
        ) == (19456, 2, 1)
        assert settings.access_token_seconds <= 900


@pytest.mark.usefixtures("database")
async def test_the_database_fixture_is_migrated(database: Database) -> None:
    async with database.engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM area")) == 22


class TestCors:
    async def test_only_named_front_end_origins_are_allowed(self) -> None:
        settings = make_test_settings("sqlite+aiosqlite:////nonexistent/x.sqlite3").model_copy(
            update={"cors_origins": ["https://app.dpc.cymru"]}
        )
        app = create_app(settings)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            allowed = await client.options(
                "/api/v1/areas",
                headers={"Origin": "https://app.dpc.cymru", "Access-Control-Request-Method": "GET"},
            )
            refused = await client.options(
                "/api/v1/areas",
                headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
            )
        assert allowed.headers["access-control-allow-origin"] == "https://app.dpc.cymru"
        assert "access-control-allow-origin" not in refused.headers

    async def test_without_named_origins_no_cross_origin_access_is_granted(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/api/v1/areas", headers={"Origin": "https://app.dpc.cymru"})
        assert "access-control-allow-origin" not in response.headers
