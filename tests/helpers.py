"""Small helpers shared by the tests (no fixtures here)."""

from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.ops import PROJECT_ROOT


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def run_alembic(engine: AsyncEngine, verb: str, target: str) -> None:
    def run(connection: Connection) -> None:
        getattr(command, verb)(alembic_config(connection), target)

    async with engine.begin() as connection:
        await connection.run_sync(run)


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """Assert a problem+json answer with this status and code, and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"]
    return body
