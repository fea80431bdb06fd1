"""A co-op to tender in: an administrator, two holders and a carer; three verified providers
serving Cardiff, their staff, and people with no part in it."""

import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.clock import FrozenClock
from tests.factories import CARDIFF, SWANSEA, Person
from tests.replay import replayed
from tests.worlds import building, sign_in_again

DEADLINE = datetime.fromisoformat("2026-03-16T12:00:00+00:00")


@dataclass
class World:
    coop_id: uuid.UUID
    admin: Person
    admin_member_id: uuid.UUID
    holder_a: Person
    holder_a_member_id: uuid.UUID
    holder_b: Person
    holder_b_member_id: uuid.UUID
    carer: Person
    staff_1: Person
    staff_2: Person
    staff_3: Person
    provider_1: uuid.UUID
    provider_2: uuid.UUID
    provider_3: uuid.UUID
    platform_admin: Person
    outsider: Person
    # The app whose services built the world: arranging steps after it go through them too.
    app: FastAPI = field(repr=False, compare=False)

    def people(self) -> list[Person]:
        return [getattr(self, f.name) for f in fields(self) if f.type is Person]


@pytest.fixture
async def world(app: FastAPI, connection: AsyncConnection) -> World:
    """The same co-op in every test: built once per backend, then its rows written back
    (tests.replay)."""
    return await replayed("tenders.world", connection, app, lambda: build_world(app))


async def build_world(app: FastAPI) -> World:
    """The world through the services of any app (the test's own, or a live one), everyone
    signed in."""
    async with building(app) as b:
        admin = await b.person(full_name="Alys Admin")
        coop = await b.coop(admin, area_codes=(CARDIFF, SWANSEA))
        holder_a = await b.person(full_name="Huw Holder")
        holder_b = await b.person(full_name="Hawys Holder")
        carer = await b.person(full_name="Cerys Carer")
        holder_a_member = await b.join(coop, holder_a, admin)
        holder_b_member = await b.join(coop, holder_b, admin)
        await b.join(coop, carer, admin, "carer")
        platform = await b.person(full_name="Admin", platform_admin=True)
        staff = [await b.person(full_name=f"Staff {n}") for n in (1, 2, 3)]
        providers = [
            (await b.verify(platform, await b.provider(person, welsh_language="full"))).id
            for person in staff
        ]
        return World(
            coop_id=coop.id,
            admin=admin,
            admin_member_id=(await b.member_of(coop, admin)).id,
            holder_a=holder_a,
            holder_a_member_id=holder_a_member.id,
            holder_b=holder_b,
            holder_b_member_id=holder_b_member.id,
            carer=carer,
            staff_1=staff[0],
            staff_2=staff[1],
            staff_3=staff[2],
            provider_1=providers[0],
            provider_2=providers[1],
            provider_3=providers[2],
            platform_admin=platform,
            outsider=await b.person(full_name="Owen Outsider"),
            app=app,
        )


async def travel(clock: FrozenClock, world: World, delta: timedelta) -> None:
    """Move the clock; everyone signs in again, as their 15-minute tokens have expired."""
    clock.advance(delta)
    await sign_in_again(world.app, *world.people())
