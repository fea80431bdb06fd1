"""Closing an account redacts the reasons its holder gave for disputing invoice lines and
querying visits; the export holds their visits."""

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.me.privacy import REDACTED, redact_what_they_wrote
from app.tenders.models import InvoiceLine
from tests.helpers import ok
from tests.tenders.conftest import World
from tests.tenders.conftest import world as world  # the tenders' fixture, used here
from tests.tenders.test_invoices import disputed
from tests.tenders.visiting import act, recorded, stored, visit_body, visiting


async def test_a_dispute_reason_is_redacted_and_the_line_stays(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
) -> None:
    _, line_id = await disputed(client, clock, world)
    await redact_what_they_wrote(session, world.holder_b.id)  # someone else: nothing changes
    line = await session.get(InvoiceLine, uuid.UUID(line_id), populate_existing=True)
    assert line is not None
    assert line.dispute_reason == "Only one visit took place."
    await redact_what_they_wrote(session, world.holder_a.id)
    line = await session.get(InvoiceLine, uuid.UUID(line_id), populate_existing=True)
    assert line is not None
    assert line.dispute_reason == REDACTED
    assert line.disputed_by_user_id == world.holder_a.id
    reasons = (await session.scalars(select(InvoiceLine.dispute_reason))).all()
    assert reasons.count(REDACTED) == 1


async def test_a_visits_query_reason_is_redacted_and_the_visit_stays(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
) -> None:
    contract_id = await visiting(client, clock, world)
    visit = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
    ok(await act(client, visit["id"], "query", world.holder_a.headers, {"reason": "My knee hurt"}))
    await redact_what_they_wrote(session, world.holder_b.id)
    assert (await stored(session, visit["id"])).query_reason == "My knee hurt"
    await redact_what_they_wrote(session, world.holder_a.id)
    kept = await stored(session, visit["id"])
    assert (kept.query_reason, kept.status) == (REDACTED, "queried")


async def test_the_export_holds_the_members_visits(
    client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> None:
    contract_id = await visiting(client, clock, world)
    visit = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
    export = ok(await client.get("/api/v1/me/export", headers=world.holder_a.headers)).json()
    assert [v["id"] for v in export["visits"]] == [visit["id"]]
    other = ok(await client.get("/api/v1/me/export", headers=world.holder_b.headers)).json()
    assert other["visits"] == []
