"""Worlds replayed into a test (tests.replay) are the worlds their builders wrote."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.audit.service import verify_chain
from app.core.clock import FrozenClock
from tests.factories import (
    Person,
    contribute,
    create_coop,
    grant_mandate,
    join_coop,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok
from tests.mail_server import Mailbox
from tests.replay import _rows, replayed


@dataclass
class Small:
    coop_id: uuid.UUID
    admin: Person
    member: Person
    member_id: uuid.UUID


async def build_small(client: httpx.AsyncClient) -> Small:
    admin = await register_person(client, full_name="Admin")
    member = await register_person(client, full_name="Member")
    coop_id = await create_coop(client, admin)
    member_id = await join_coop(client, coop_id, member, admin)
    return Small(coop_id, admin, member, member_id)


def fresh_name() -> str:
    """A world's name this run has not built yet."""
    return f"test_replay.{uuid.uuid4().hex}"


async def counts(connection: AsyncConnection) -> dict[str, int]:
    return {table: len(rows) for table, rows in (await _rows(connection)).items()}


async def works(client: httpx.AsyncClient, session: AsyncSession, world: Small) -> None:
    """The world answers as a built one does: its people's tokens work, the member is in, the
    audit chain holds, and it goes on changing as any world would."""
    listed = await client.get(f"/api/v1/coops/{world.coop_id}/members", headers=world.admin.headers)
    assert listed.status_code == 200, listed.text
    assert str(world.member_id) in {m["id"] for m in listed.json()["items"]}
    me = await client.get("/api/v1/me", headers=world.member.headers)
    assert me.status_code == 200, me.text
    assert [m["status"] for m in me.json()["memberships"]] == ["active"]
    suspended = await client.post(
        f"/api/v1/coops/{world.coop_id}/members/{world.member_id}/suspend",
        headers=world.admin.headers,
    )
    assert suspended.status_code == 200, suspended.text
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": world.admin.refresh_token}
    )
    assert refreshed.status_code == 200, refreshed.text
    assert (await verify_chain(session)).ok
    await session.rollback()  # its savepoint, before the test's own is rolled back


async def test_a_replayed_world_has_every_row_its_build_wrote_and_works(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI, session: AsyncSession
) -> None:
    async with connection.begin_nested() as built_here:
        await build_small(client)
        built = await counts(connection)
        await built_here.rollback()
    name = fresh_name()
    for _ in range(2):  # the first builds and writes back, the second only writes back
        async with connection.begin_nested() as replaying:
            world = await replayed(name, connection, app, lambda: build_small(client))
            assert await counts(connection) == built
            await works(client, session, world)
            await replaying.rollback()


async def test_each_replay_writes_the_same_rows_and_gives_its_own_copy_of_the_value(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI
) -> None:
    name = fresh_name()
    async with connection.begin_nested() as first_test:
        first = await replayed(name, connection, app, lambda: build_small(client))
        first_rows = await _rows(connection)
        first.admin.token = "changed by the first test"
        await first_test.rollback()
    async with connection.begin_nested() as second_test:
        second = await replayed(name, connection, app, lambda: build_small(client))
        assert await _rows(connection) == first_rows
        await second_test.rollback()
    assert second.coop_id == first.coop_id
    assert second.admin.token != "changed by the first test"


async def test_a_world_is_built_again_on_a_database_that_already_has_people(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI, session: AsyncSession
) -> None:
    name = fresh_name()
    async with connection.begin_nested() as empty:
        plain = await replayed(name, connection, app, lambda: build_small(client))
        await empty.rollback()
    await register_person(client, full_name="Already here")
    on_top = await replayed(name, connection, app, lambda: build_small(client))
    assert on_top.coop_id != plain.coop_id
    await works(client, session, on_top)


async def test_a_world_is_built_again_at_another_time(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI, clock: FrozenClock
) -> None:
    name = fresh_name()
    async with connection.begin_nested() as today:
        now = await replayed(name, connection, app, lambda: build_small(client))
        await today.rollback()
    clock.advance(timedelta(days=1))
    tomorrow = await replayed(name, connection, app, lambda: build_small(client))
    assert tomorrow.coop_id != now.coop_id


async def test_the_mail_a_build_sends_reaches_no_test(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI, mailbox: Mailbox
) -> None:
    async def invited() -> tuple[Person, Person]:
        holder = await register_person(client, full_name="Holder")
        helper = await register_person(client, full_name="Helper")
        await grant_mandate(client, holder, helper, accept=False)
        return holder, helper

    holder, helper = await replayed(fresh_name(), connection, app, invited)
    # The invitation the build mailed went to a stand-in; one the test sends arrives.
    assert mailbox.to(helper.email) == []
    other = await register_person(client, full_name="Other Helper")
    await grant_mandate(client, holder, other, accept=False)
    assert len(await mailbox.wait_for(other.email)) == 1
    assert mailbox.to(helper.email) == []


@pytest.mark.postgresql_only
async def test_rows_numbered_by_a_sequence_leave_it_ahead_of_them(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI
) -> None:
    async def paid_in() -> Small:
        world = await build_small(client)
        await set_direct_payment(client, world.member)
        ok(await contribute(client, world.coop_id, world.member, amount_pence=1_000))
        return world

    name = fresh_name()
    async with connection.begin_nested() as building:
        await replayed(name, connection, app, paid_in)
        await building.rollback()
    # As after the schema was rebuilt: the sequence starts again below the rows to come back.
    sequence = await connection.scalar(
        text("SELECT pg_get_serial_sequence('ledger_transaction', 'seq')")
    )
    await connection.execute(text(f"ALTER SEQUENCE {sequence} RESTART WITH 1"))
    world = await replayed(name, connection, app, paid_in)
    again = await contribute(client, world.coop_id, world.member, amount_pence=1_000)
    assert again.status_code == 201, again.text


async def test_a_build_that_moves_the_clock_leaves_every_test_where_it_left_the_first(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI, clock: FrozenClock
) -> None:
    start = clock.now()

    async def a_week_on() -> Small:
        world = await build_small(client)
        clock.advance(timedelta(days=7))
        return world

    name = fresh_name()
    for _ in range(2):  # built, then only written back
        async with connection.begin_nested() as test:
            await replayed(name, connection, app, a_week_on)
            assert clock.now() == start + timedelta(days=7)
            await test.rollback()
        clock.set(start)
