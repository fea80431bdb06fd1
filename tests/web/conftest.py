"""A browser-like client for the pages: HTTPS (the cookies are Secure outside development)
and a cookie jar of its own."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from playwright.async_api import Browser, async_playwright

from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.providers.demo import load_demo_providers
from app.workflows import registry
from tests.conftest import IN_CI, make_test_settings
from tests.contract import CHECKED
from tests.factories import Person, create_coop, register_person
from tests.helpers import run_alembic
from tests.servers import running_server
from tests.web.live import Site, chromium_path, launch_args
from tests.web.pages import Browse, sign_in


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.20", 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="https://test", headers={"Accept-Language": "en-GB,en;q=0.9"}
    ) as client:
        yield client


# The browser tests' real parts, each made once for the whole run.


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium, launched by path. Missing, the browser tests skip (and fail in CI,
    where `.ci/run` installs it)."""
    path = chromium_path()
    if path is None:
        if IN_CI:
            pytest.fail("Chromium is required in CI but was not found (apt-get install chromium)")
        pytest.skip("Chromium not found (apt-get install chromium); browser tests skipped")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=path, args=launch_args())
        yield browser
        await browser.close()


@pytest.fixture(scope="session")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    """The service on a real uvicorn server, over a scratch SQLite database holding the demo
    providers and a co-op, with its mail written to files."""
    folder = tmp_path_factory.mktemp("site")
    mail_dir = folder / "mail"
    settings = make_test_settings(f"sqlite+aiosqlite:///{folder / 'site.sqlite3'}")
    engine = create_engine(settings)
    await run_alembic(engine, "upgrade", "head")
    sessionmaker = create_sessionmaker(engine, registry.build())
    async with unit_of_work(sessionmaker) as session:
        await load_demo_providers(session, now=datetime.now(UTC))
    env = {
        "DPC_MAIL_DIR": str(mail_dir),
        "DPC_REGISTRATIONS_PER_ADDRESS_PER_HOUR": "100000",
    }
    try:
        async with (
            running_server(settings, log=folder / "server.log", env=env, workers=1) as base,
            # Idle connections are let go after 2 s, before uvicorn closes its end after 5:
            # one reused at the moment the server closed it was a ReadError.
            httpx.AsyncClient(
                base_url=base,
                timeout=30,
                limits=httpx.Limits(keepalive_expiry=2),
                event_hooks=CHECKED,
            ) as api,
        ):
            live = Site(
                base=base, settings=settings, sessionmaker=sessionmaker, mail_dir=mail_dir, api=api
            )
            admin = await register_person(api, full_name="Alys Admin")
            live.people["admin"] = admin
            live.ids["coop"] = await create_coop(api, admin, award_requires_vote=False)
            yield live
    finally:
        await engine.dispose()


@pytest.fixture
async def browse(app: FastAPI) -> AsyncIterator[Browse]:
    """A browser of its own for each person, signed in through the sign-in page."""
    opened: list[httpx.AsyncClient] = []

    async def signed_in(person: Person) -> httpx.AsyncClient:
        browser = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=("203.0.113.21", 50000)),
            base_url="https://test",
            headers={"Accept-Language": "en-GB,en;q=0.9"},
        )
        opened.append(browser)
        await sign_in(browser, person.email, person.password)
        return browser

    yield signed_in
    for browser in opened:
        await browser.aclose()
