"""Helpers for the visit tests (no fixtures here): a contract with visits to record, and the
calls a provider and a holder make."""

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.visits.models import Visit
from tests.factories import Person
from tests.helpers import ok
from tests.tenders.conftest import World, travel
from tests.tenders.test_contracts import contracted

# Monday 30 March 2026, 10:00 in Wales: summer time began on Sunday the 29th at 01:00. The
# contract (provider 2, 2135 pence an hour; holder A 10 and holder B 6 hours a week) began
# on Thursday the 26th.
NOW = datetime(2026, 3, 30, 9, tzinfo=UTC)
WORKER = "Gwen Gofalwr"


async def visiting(client: httpx.AsyncClient, clock: FrozenClock, world: World) -> uuid.UUID:
    """The contract, with the clock moved on to NOW (built through the services: `client` is
    not needed, and stays for the callers that pass it)."""
    _, contract_id = await contracted(clock, world)
    await travel(clock, world, NOW - clock.now())
    return contract_id


def visit_body(
    member_id: uuid.UUID,
    day: str = "2026-03-27",
    start: str = "09:00",
    end: str = "10:00",
    worker: str = WORKER,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "member_id": str(member_id),
        "date": day,
        "start_time": start,
        "end_time": end,
        "worker_name": worker,
        **extra,
    }


async def record(
    client: httpx.AsyncClient, contract_id: uuid.UUID, person: Person, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"/api/v1/contracts/{contract_id}/visits", json=body, headers=person.headers
    )


async def recorded(
    client: httpx.AsyncClient, contract_id: uuid.UUID, world: World, body: dict[str, Any]
) -> dict[str, Any]:
    """A visit recorded by provider 2's staff."""
    visit: dict[str, Any] = ok(await record(client, contract_id, world.staff_2, body)).json()
    return visit


async def act(
    client: httpx.AsyncClient,
    visit_id: str,
    verb: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    """`confirm`, `query` or `resolve` a visit."""
    return await client.post(f"/api/v1/visits/{visit_id}/{verb}", json=body, headers=headers)


async def listed(
    client: httpx.AsyncClient, contract_id: uuid.UUID, headers: dict[str, str], query: str = ""
) -> list[dict[str, Any]]:
    response = ok(
        await client.get(f"/api/v1/contracts/{contract_id}/visits{query}", headers=headers)
    )
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def stored(session: AsyncSession, visit_id: str) -> Visit:
    visit = await session.get(Visit, uuid.UUID(visit_id), populate_existing=True)
    assert visit is not None
    return visit
