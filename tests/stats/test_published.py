"""Properties of the public Wales table, on the world of tests/stats/conftest.py: no sequence
of pulls in one month moves a published figure, and holders the table does not count change
nothing in it.

Each example runs in a savepoint of the test's transaction, rolled back at its end, so every
example starts from the world as built (with no table stored for March) and its first pull
makes March's table afresh.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.clock import WALES, FrozenClock
from app.providers.models import ServiceType
from tests.conftest import START
from tests.factories import CARDIFF, SWANSEA, Person
from tests.helpers import ok
from tests.stats.built import Builder, built
from tests.stats.conftest import CARDIFF_PUBLISHED, HIDDEN, World, holder

WALES_TABLE = "/api/v1/stats/wales"
QUIET = "W06000001"
MARCH_ENDS = datetime(2026, 4, 1, tzinfo=WALES)
AREAS = st.sampled_from([CARDIFF, SWANSEA, QUIET])

EXAMPLES = settings(
    max_examples=8,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@dataclass(frozen=True)
class Pull:
    csv: bool


@dataclass(frozen=True)
class Later:
    """The clock moves on, never past the end of March in Wales."""

    minutes: int


@dataclass(frozen=True)
class NewHolder:
    """Someone the table does not count yet joins and pays in during March."""

    area: str
    amount: int


@dataclass(frozen=True)
class PaysAgain:
    """A holder counted in February pays in again in March."""

    pick: int
    amount: int


@dataclass(frozen=True)
class NewProvider:
    """A provider starts to offer a service in an area (the directory keeps no history)."""

    area: str
    service_type: ServiceType


AMOUNTS = st.integers(min_value=1, max_value=15_000)
STEPS = st.lists(
    st.one_of(
        st.builds(Pull, csv=st.booleans()),
        st.builds(Later, minutes=st.integers(min_value=1, max_value=60 * 24 * 40)),
        st.builds(NewHolder, area=AREAS, amount=AMOUNTS),
        st.builds(PaysAgain, pick=st.integers(min_value=0, max_value=11), amount=AMOUNTS),
        st.builds(NewProvider, area=AREAS, service_type=st.sampled_from(list(ServiceType))),
    ),
    min_size=1,
    max_size=6,
)


async def in_savepoint(connection: AsyncConnection, body: Callable[[], Awaitable[None]]) -> None:
    savepoint = await connection.begin_nested()
    try:
        await body()
    finally:
        await savepoint.rollback()


def assert_march_figures(body: dict[str, Any]) -> None:
    """The table of March, as checked by hand from the February world."""
    rows = {row["area_code"]: row for row in body["items"]}
    assert len(rows) == 22
    cardiff = rows[CARDIFF]
    assert (cardiff["from"], cardiff["to"]) == ("2025-03-01", "2026-02-28")
    assert cardiff["holders_pooling"] == {"value": 10, "suppressed": False}
    assert cardiff["contributions_pence"] == {"value": CARDIFF_PUBLISHED, "suppressed": False}
    assert rows[SWANSEA]["holders_pooling"] == HIDDEN
    assert rows[SWANSEA]["contributions_pence"] == HIDDEN
    assert rows[QUIET]["holders_pooling"] == {"value": 0, "suppressed": False}
    assert rows[QUIET]["coops_active"] == 0


async def add_unconfirmed_holder(b: Builder, world: World, *, area: str, amount: int) -> Person:
    """A holder the public table must not count, paying in.

    Awards carry no confirmation yet, so the holders the table leaves out are those who join
    and pay in during the month it is served in. Once awards are confirmed by councils, an
    unconfirmed holder is one whose award is only declared: give them contributions in the
    months the table counts, and this property must still hold.
    """
    return await holder(
        b, world.coop, world.founder, area=area, amounts=[amount], award_from=date(2026, 3, 1)
    )


@EXAMPLES
@given(steps=STEPS)
async def test_no_sequence_of_pulls_in_a_month_changes_a_published_figure(
    app: FastAPI,
    client: httpx.AsyncClient,
    connection: AsyncConnection,
    clock: FrozenClock,
    world: World,
    steps: list[Any],
) -> None:
    async def example() -> None:
        clock.set(START)
        seen: dict[bool, bytes] = {}
        for step in [*steps, Pull(csv=False), Pull(csv=True)]:
            if isinstance(step, Pull):
                params = {"format": "csv"} if step.csv else {}
                answer = ok(await client.get(WALES_TABLE, params=params))
                if not step.csv:
                    assert_march_figures(answer.json())
                assert seen.setdefault(step.csv, answer.content) == answer.content
            elif isinstance(step, Later):
                later = clock.now() + timedelta(minutes=step.minutes)
                clock.set(min(later, MARCH_ENDS - timedelta(minutes=1)))
            elif isinstance(step, NewHolder):
                async with built(app) as b:
                    await add_unconfirmed_holder(b, world, area=step.area, amount=step.amount)
            elif isinstance(step, PaysAgain):
                payer = world.holders[step.pick % len(world.holders)]
                async with built(app) as b:
                    member = await b.member_of(await b.coop_by_id(world.coop), payer)
                    await b.contribute(member, payer, amount_pence=step.amount)
            else:
                async with built(app) as b:
                    await b.verified_provider(
                        world.admin,
                        area_codes=[step.area],
                        service_types=[step.service_type.value],
                    )

    await in_savepoint(connection, example)


@EXAMPLES
@given(
    fakes=st.lists(st.tuples(AREAS, AMOUNTS), min_size=1, max_size=5),
    csv=st.booleans(),
)
async def test_holders_the_table_does_not_count_change_nothing_published(
    app: FastAPI,
    client: httpx.AsyncClient,
    connection: AsyncConnection,
    clock: FrozenClock,
    world: World,
    fakes: list[tuple[str, int]],
    csv: bool,
) -> None:
    params = {"format": "csv"} if csv else {}
    clock.set(START)
    without: list[bytes] = []

    async def baseline() -> None:
        without.append(ok(await client.get(WALES_TABLE, params=params)).content)

    async def with_fakes() -> None:
        async with built(app) as b:
            for area, amount in fakes:
                await add_unconfirmed_holder(b, world, area=area, amount=amount)
        # The month's first pull comes after them: they are in the data it is made from.
        answer = ok(await client.get(WALES_TABLE, params=params))
        assert answer.content == without[0]

    await in_savepoint(connection, baseline)
    await in_savepoint(connection, with_fakes)
