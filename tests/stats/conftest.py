"""A small world for the councils' figures, built in February 2026 and read in March.

One co-op spans Cardiff and Swansea. Nine of its holders are paid by Cardiff (the first pays
in twice) and three by Swansea, all in February: Cardiff sees 9 holders (published 10) and
10 x 12,345p = 123,450p (published 120,000p, the nearest £100); Swansea's 3 holders and their
money are suppressed, though they pool in the same co-op. The test clock then stands on
2026-03-02, so the public table of March covers March 2025 to February 2026.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from tests.conftest import START
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    confirm_award,
    contribute,
    create_coop,
    join_coop,
    platform_admin,
    register_person,
    set_direct_payment,
    sign_in_again,
    verified_provider,
)

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
    coop: Any
    founder: Person
    holders: list[Person] = field(default_factory=list)

    @property
    def people(self) -> list[Person]:
        return [self.admin, self.cardiff_officer, self.swansea_officer, self.founder, *self.holders]


async def holder(
    client: httpx.AsyncClient,
    coop: Any,
    admin: Person,
    *,
    area: str,
    amounts: list[int],
    award_from: date = date(2026, 2, 1),
    officer: Person | None = None,
) -> Person:
    """A holder paid by `area`'s council who joins the co-op and pays in `amounts` now; their
    award is confirmed by `officer` when one is given (only confirmed awards count in the
    public table)."""
    person = await register_person(client, full_name="Holder")
    award = await set_direct_payment(client, person, area_code=area, start_date=award_from)
    if officer is not None:
        await confirm_award(client, officer, award["id"])
    await join_coop(client, coop, person, admin)
    for amount in amounts:
        response = await contribute(client, coop, person, amount_pence=amount)
        assert response.status_code == 201, response.text
    return person


async def appoint(client: httpx.AsyncClient, admin: Person, area: str) -> Person:
    officer = await register_person(client, full_name="Officer")
    response = await client.post(
        "/api/v1/admin/la-officers",
        json={"user_id": str(officer.id), "area_code": area},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    return officer


@pytest.fixture
async def world(client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock) -> World:
    clock.set(BUILT_AT)
    admin = await platform_admin(client, session)
    founder = await register_person(client, full_name="Founder")
    coop = await create_coop(client, founder, area_codes=(CARDIFF, SWANSEA))
    officers = {CARDIFF: await appoint(client, admin, CARDIFF)}
    officers[SWANSEA] = await appoint(client, admin, SWANSEA)
    paid_in = [(CARDIFF, [PAYMENT, PAYMENT])] + [(CARDIFF, [PAYMENT])] * 8 + [(SWANSEA, [500])] * 3
    holders = [
        await holder(client, coop, founder, area=area, amounts=amounts, officer=officers[area])
        for area, amounts in paid_in
    ]
    # Listed rates in Cardiff: (2200 + 2301) / 2 = 2250.5, published 2251 (half up).
    await verified_provider(client, session, admin=admin, hourly_rate_pence=2200)
    await verified_provider(
        client, session, admin=admin, hourly_rate_pence=2301, welsh_language="full"
    )
    built = World(
        admin=admin,
        cardiff_officer=officers[CARDIFF],
        swansea_officer=officers[SWANSEA],
        coop=coop,
        founder=founder,
        holders=holders,
    )
    clock.set(START)
    await sign_in_again(client, *built.people)
    return built
