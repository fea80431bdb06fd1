"""Fixtures for the outbox: a worker on the test's own transaction, sending real mail."""

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FrozenClock
from app.core.config import Settings
from app.worker import Worker
from tests.conftest import Database
from tests.factories import Person
from tests.helpers import ok
from tests.mail_server import Mailbox
from tests.webhook_receiver import webhook_receiver  # noqa: F401  (a fixture)


@pytest.fixture
def mail_settings(database: Database, smtp_server: tuple[str, Mailbox]) -> Settings:
    url, _ = smtp_server
    return database.settings.model_copy(
        update={"smtp_url": SecretStr(url), "mail_from": "dpc@example.org"}
    )


@pytest.fixture
def mailbox(smtp_server: tuple[str, Mailbox]) -> Mailbox:
    return smtp_server[1]


@pytest.fixture
def worker(
    mail_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> Worker:
    """The worker as `python -m app.cli worker` runs it, on the test's transaction and clock."""
    return Worker(mail_settings, sessionmaker, clock=clock)


async def feed(
    client: httpx.AsyncClient, person: Person, query: str = "", language: str | None = None
) -> list[dict[str, object]]:
    headers = dict(person.headers)
    if language:
        headers["Accept-Language"] = language
    response = ok(await client.get(f"/api/v1/me/notifications{query}", headers=headers))
    items: list[dict[str, object]] = response.json()["items"]
    return items


async def types_of(client: httpx.AsyncClient, person: Person) -> list[object]:
    return [item["type"] for item in await feed(client, person)]
