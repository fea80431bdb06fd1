"""A visit is invoiced once, however many invoices race for it: parallel requests to an app
committing for real to a scratch PostgreSQL database, each on a connection of its own.

Each round records a day's confirmed visits and then sends several invoices for that day at
once (built from visits, typed naming the visits, or both kinds mixed): exactly one is
made, every other is refused (`no_visits` or `visit_invoiced`), nothing answers 500, and
afterwards every visit is on exactly one line.
"""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.core.clock import FrozenClock
from app.main import create_app
from app.tenders.models import Invoice, InvoiceLine
from app.tenders.visits.models import Visit
from tests.conftest import START, Database, make_test_settings
from tests.contract import CHECKED
from tests.helpers import migrated_database_url, ok
from tests.tenders.conftest import World, build_world
from tests.tenders.visiting import act, recorded, visit_body, visiting

pytestmark = pytest.mark.postgresql_only

PARALLEL = 8


@dataclass
class Live:
    app: FastAPI
    clock: FrozenClock


@pytest.fixture
async def live(database: Database, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    url = await migrated_database_url(
        database.settings.async_database_url,
        suffix="visits",
        tmp_dir=tmp_path_factory.mktemp("visits"),
    )
    settings = make_test_settings(url)
    clock = FrozenClock(START)
    app = create_app(settings, clock=clock)
    try:
        yield Live(app, clock)
    finally:
        await app.state.engine.dispose()


async def day_of_visits(
    client: httpx.AsyncClient, contract_id: uuid.UUID, world: World, day: str
) -> dict[str, list[str]]:
    """Two confirmed visits to holder A and one to holder B that day: ids by holder."""
    made: dict[str, list[str]] = {"a": [], "b": []}
    for key, member, holder, start, end in (
        ("a", world.holder_a_member_id, world.holder_a, "09:00", "09:30"),
        ("a", world.holder_a_member_id, world.holder_a, "13:00", "13:20"),
        ("b", world.holder_b_member_id, world.holder_b, "10:00", "10:30"),
    ):
        visit = await recorded(client, contract_id, world, visit_body(member, day, start, end))
        ok(await act(client, visit["id"], "confirm", holder.headers))
        made[key].append(visit["id"])
    return made


def bodies(world: World, day: str, ids: dict[str, list[str]], kind: str) -> dict[str, Any]:
    period = {"period_start": day, "period_end": day}
    if kind == "from_visits":
        return {**period, "from_visits": True}
    return {
        **period,
        "lines": [
            {
                "member_id": str(world.holder_a_member_id),
                "description": "Care",
                "visit_ids": ids["a"],
            },
            {
                "member_id": str(world.holder_b_member_id),
                "description": "Care",
                "visit_ids": ids["b"],
            },
        ],
    }


REFUSED = {"from_visits": (422, "no_visits"), "typed": (409, "visit_invoiced")}


async def test_parallel_invoices_for_the_same_visits_bill_each_visit_once(live: Live) -> None:
    transport = httpx.ASGITransport(app=live.app, client=("203.0.113.10", 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", timeout=60, event_hooks=CHECKED
    ) as client:
        world = await build_world(live.app)
        contract_id = await visiting(client, live.clock, world)
        url = f"/api/v1/contracts/{contract_id}/invoices"
        rounds = {
            "2026-03-26": ["from_visits"] * PARALLEL,
            "2026-03-27": ["typed"] * PARALLEL,
            "2026-03-28": ["from_visits", "typed"] * (PARALLEL // 2),
        }
        all_visits: list[str] = []
        for day, kinds in rounds.items():
            ids = await day_of_visits(client, contract_id, world, day)
            all_visits += ids["a"] + ids["b"]
            answers = await asyncio.gather(
                *(
                    client.post(
                        url, json=bodies(world, day, ids, kind), headers=world.staff_2.headers
                    )
                    for kind in kinds
                )
            )
            statuses = Counter(a.status_code for a in answers)
            assert statuses[201] == 1, (day, [a.text for a in answers])
            for kind, answer in zip(kinds, answers, strict=True):
                if answer.status_code != 201:
                    assert (answer.status_code, answer.json()["code"]) == REFUSED[kind], answer.text
            [made] = [a.json() for a in answers if a.status_code == 201]
            assert sorted(v for line in made["lines"] for v in line["visit_ids"]) == sorted(
                ids["a"] + ids["b"]
            )

    async with live.app.state.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Invoice)) == len(rounds)
        rows = (
            await session.execute(
                select(Visit.id, InvoiceLine.invoice_id).join(
                    InvoiceLine, InvoiceLine.id == Visit.invoice_line_id
                )
            )
        ).all()
        assert sorted(str(visit_id) for visit_id, _ in rows) == sorted(all_visits)
