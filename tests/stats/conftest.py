"""A small world for the councils' figures, built in February 2026 and read in March.

One co-op spans Cardiff and Swansea. Nine of its holders are paid by Cardiff (the first pays
in twice) and three by Swansea, all in February: Cardiff sees 9 holders (published 10) and
10 x 12,345p = 123,450p (published 120,000p, the nearest £100); Swansea's 3 holders and their
money are suppressed, though they pool in the same co-op. The test clock then stands on
2026-03-02, so the public table of March covers March 2025 to February 2026.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.clock import FrozenClock
from tests.conftest import START
from tests.factories import CARDIFF, SWANSEA, Person
from tests.replay import replayed
from tests.stats.built import Builder, built

BUILT_AT = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
PAYMENT = 12_345
CARDIFF_PENCE = 10 * PAYMENT  # 123,450
CARDIFF_PUBLISHED = 120_000
HIDDEN = {"value": None, "suppressed": True}


@dataclass
class World:
    admin: Person
    cardiff_officer: Person
    swansea_officer: Person
    coop: uuid.UUID
    founder: Person
    # Holders act only through the builder: they are never signed in.
    holders: list[Person] = field(default_factory=list)

    @property
    def signed_in(self) -> list[Person]:
        return [self.admin, self.cardiff_officer, self.swansea_officer, self.founder]


async def holder(
    b: Builder,
    coop_id: uuid.UUID,
    admin: Person,
    *,
    area: str,
    amounts: list[int],
    award_from: date = date(2026, 2, 1),
    officer: Person | None = None,
) -> Person:
    """A holder paid by `area`'s council who joins the co-op and pays in `amounts` now; their
    award is confirmed by `officer` when one is given (only confirmed awards count in the
    public table). They are not signed in."""
    person = await b.person(full_name="Holder", signed_in=False)
    award = await b.award(person, area_code=area, start_date=award_from)
    if officer is not None:
        await b.confirm(officer, award)
    member = await b.join(await b.coop_by_id(coop_id), person, admin)
    for amount in amounts:
        await b.contribute(member, person, amount_pence=amount)
    return person


@pytest.fixture
async def world(app: FastAPI, connection: AsyncConnection, clock: FrozenClock) -> World:
    """The same world in every test: built once per backend, then its rows written back
    (tests.replay)."""
    return await replayed("stats.world", connection, app, lambda: build_world(app, clock))


async def build_world(app: FastAPI, clock: FrozenClock) -> World:
    clock.set(BUILT_AT)
    async with built(app) as b:
        admin = await b.person(full_name="Admin", platform_admin=True, signed_in=False)
        founder = await b.person(full_name="Founder", signed_in=False)
        coop = await b.coop(founder, area_codes=(CARDIFF, SWANSEA))
        officers = {}
        for area in (CARDIFF, SWANSEA):
            officers[area] = await b.person(full_name="Officer", signed_in=False)
            await b.appoint(admin, area, officers[area])
        paid_in = (
            [(CARDIFF, [PAYMENT, PAYMENT])] + [(CARDIFF, [PAYMENT])] * 8 + [(SWANSEA, [500])] * 3
        )
        holders = [
            await holder(b, coop.id, founder, area=area, amounts=amounts, officer=officers[area])
            for area, amounts in paid_in
        ]
        # Listed rates in Cardiff: (2200 + 2301) / 2 = 2250.5, published 2251 (half up).
        await b.verified_provider(admin, hourly_rate_pence=2200)
        await b.verified_provider(admin, hourly_rate_pence=2301, welsh_language="full")
        world = World(
            admin=admin,
            cardiff_officer=officers[CARDIFF],
            swansea_officer=officers[SWANSEA],
            coop=coop.id,
            founder=founder,
            holders=holders,
        )
        clock.set(START)
        for person in world.signed_in:
            await b.sign_in(person)
    return world
