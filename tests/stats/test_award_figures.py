"""Which awards and which money the councils' figures count (SPEC sections 17 and 25).

Each posting counts under the award version it was made under, so a holder who moves
council leaves their past with the old one; officers count declared and confirmed versions,
the public table confirmed ones only; only Direct Payment money is counted as paid in.

Amounts are whole hundreds of pounds and periods whole months, so the figures read the same
whatever rounding of money or choice of months a published figure uses.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.core.clock import FrozenClock
from app.ledger.models import ContributionSource
from tests.factories import CARDIFF, SWANSEA, Person
from tests.helpers import ok
from tests.stats.built import built

PEOPLE = 8  # the fewest people whose money is published


@dataclass
class Holder:
    person: Person
    member_id: uuid.UUID
    award_id: str


@dataclass
class World:
    admin: Person
    cardiff: Person
    swansea: Person
    founder: Person
    coop: uuid.UUID

    def everyone(self) -> list[Person]:
        return [self.admin, self.cardiff, self.swansea, self.founder]


@pytest.fixture
async def world(app: FastAPI) -> World:
    async with built(app) as b:
        admin = await b.person(full_name="Admin", platform_admin=True)
        founder = await b.person(full_name="Founder")
        officers = {}
        for area in (CARDIFF, SWANSEA):
            officers[area] = await b.person(full_name="Council Officer")
            await b.appoint(admin, area, officers[area])
        coop = await b.coop(founder, area_codes=(CARDIFF, SWANSEA))
    return World(
        admin=admin,
        cardiff=officers[CARDIFF],
        swansea=officers[SWANSEA],
        founder=founder,
        coop=coop.id,
    )


async def holders(
    app: FastAPI,
    world: World,
    *,
    area: str,
    pay: int,
    confirm: Person | None,
    top_up: int = 0,
) -> list[Holder]:
    """Eight holders paid by `area`, each paying `pay` in (and `top_up` of their own)."""
    made = []
    async with built(app) as b:
        coop = await b.coop_by_id(world.coop)
        for _ in range(PEOPLE):
            person = await b.person(full_name="Holder", signed_in=False)
            award = await b.award(person, area_code=area)
            if confirm is not None:
                await b.confirm(confirm, award)
            member = await b.join(coop, person, world.founder)
            await b.contribute(member, person, amount_pence=pay)
            if top_up:
                await b.contribute(
                    member,
                    person,
                    amount_pence=top_up,
                    reference="Fy arian i",
                    source=ContributionSource.top_up,
                )
            made.append(Holder(person=person, member_id=member.id, award_id=str(award.id)))
    return made


async def summary(
    client: httpx.AsyncClient, officer: Person, area: str, first: str, last: str
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/la/areas/{area}/summary",
        params={"from": first, "to": last},
        headers=officer.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def wales(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    response = await client.get("/api/v1/stats/wales")
    assert response.status_code == 200, response.text
    return {row["area_code"]: row for row in response.json()["items"]}


def shown(value: int) -> dict[str, object]:
    return {"value": value, "suppressed": False}


async def test_an_unconfirmed_award_counts_in_no_public_figure(
    app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> None:
    await holders(app, world, area=CARDIFF, pay=10_000, confirm=world.cardiff, top_up=30_000)
    await holders(app, world, area=CARDIFF, pay=20_000, confirm=None)

    # The officer, who confirms, counts both: 16 holders (published 15), Direct Payment money
    # only (the top-ups are the holders' own).
    march = await summary(client, world.cardiff, CARDIFF, "2026-03-01", "2026-03-31")
    assert march["holders_pooling"] == shown(15)
    assert march["contributions_pence"] == shown(8 * 10_000 + 8 * 20_000)
    assert march["awards"] == {"declared": shown(10), "confirmed": shown(10)}

    # The public table, once March is over, counts the confirmed eight alone.
    clock.advance(timedelta(days=31))
    table = await wales(client)
    assert table[CARDIFF]["holders_pooling"] == shown(10)
    assert table[CARDIFF]["contributions_pence"] == shown(8 * 10_000)


async def test_a_rejected_award_counts_nowhere(
    app: FastAPI, client: httpx.AsyncClient, world: World
) -> None:
    await holders(app, world, area=CARDIFF, pay=10_000, confirm=world.cardiff)
    refused = await holders(app, world, area=CARDIFF, pay=20_000, confirm=None)
    for holder in refused:
        ok(
            await client.post(
                f"/api/v1/la/awards/{holder.award_id}/reject",
                json={"reason": "No such award"},
                headers=world.cardiff.headers,
            )
        )
    march = await summary(client, world.cardiff, CARDIFF, "2026-03-01", "2026-03-31")
    assert march["holders_pooling"] == shown(10)
    assert march["contributions_pence"] == shown(8 * 10_000)
    assert march["awards"] == {"declared": shown(0), "confirmed": shown(10)}


async def test_a_holder_who_moves_council_keeps_their_past_in_the_old_councils_figures(
    app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> None:
    movers = await holders(app, world, area=CARDIFF, pay=10_000, confirm=world.cardiff)
    # In April each moves to Swansea, which confirms the new version; they pay in again.
    clock.advance(timedelta(days=35))  # 2026-04-06
    async with built(app) as b:
        coop = await b.coop_by_id(world.coop)
        for holder in movers:
            moved = await b.award(holder.person, area_code=SWANSEA, start_date=date(2026, 4, 6))
            await b.confirm(world.swansea, moved)
            await b.contribute(
                await b.member_of(coop, holder.person), holder.person, amount_pence=5_000
            )

    clock.advance(timedelta(days=28))  # 2026-05-04: March and April are closed months
    async with built(app) as b:
        for person in world.everyone():
            await b.sign_in(person)
    cardiff = await summary(client, world.cardiff, CARDIFF, "2026-03-01", "2026-04-30")
    swansea = await summary(client, world.swansea, SWANSEA, "2026-03-01", "2026-04-30")
    assert (cardiff["holders_pooling"], cardiff["contributions_pence"]) == (
        shown(10),
        shown(8 * 10_000),
    )
    assert (swansea["holders_pooling"], swansea["contributions_pence"]) == (
        shown(10),
        shown(8 * 5_000),
    )
    # Cardiff's version ended the day before Swansea's began: in April, Cardiff still paid
    # them for five days, and saw none of their money that month.
    april = await summary(client, world.cardiff, CARDIFF, "2026-04-01", "2026-04-30")
    assert april["contributions_pence"] == shown(0)
    assert april["awards"]["confirmed"] == shown(10)
    may = await summary(client, world.cardiff, CARDIFF, "2026-05-01", "2026-05-04")
    assert may["awards"] == {"declared": shown(0), "confirmed": shown(0)}

    table = await wales(client)
    assert table[CARDIFF]["contributions_pence"] == shown(8 * 10_000)
    assert table[SWANSEA]["contributions_pence"] == shown(8 * 5_000)


async def test_the_public_table_counts_awards_as_confirmed_by_the_end_of_its_months(
    app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> None:
    late = await holders(app, world, area=CARDIFF, pay=10_000, confirm=None)
    # Cardiff confirms on 2 April what was paid in under it in March.
    clock.advance(timedelta(days=31))
    async with built(app) as b:
        for holder in late:
            await b.confirm(world.cardiff, await b.award_by_id(holder.award_id))
    # April's table is made from the data as it stood at the end of March: not yet confirmed.
    april = await wales(client)
    assert april[CARDIFF]["holders_pooling"] == shown(0)
    assert april[CARDIFF]["contributions_pence"] == shown(0)
    # May's, made from the data at the end of April, counts them.
    clock.advance(timedelta(days=30))
    may = await wales(client)
    assert may[CARDIFF]["holders_pooling"] == shown(10)
    assert may[CARDIFF]["contributions_pence"] == shown(8 * 10_000)
