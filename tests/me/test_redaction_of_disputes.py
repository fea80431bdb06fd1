"""Closing an account redacts the reasons its holder gave for disputing invoice lines."""

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.me.privacy import REDACTED, redact_what_they_wrote
from app.tenders.models import InvoiceLine
from tests.tenders.conftest import World
from tests.tenders.conftest import world as world  # the tenders' fixture, used here
from tests.tenders.test_invoices import disputed


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
