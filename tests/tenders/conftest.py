"""A co-op to tender in: an administrator, two holders and a carer; three verified providers
serving Cardiff, their staff, and people with no part in it."""

import uuid
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    create_coop,
    join_coop,
    member_id_of,
    platform_admin,
    register_person,
    sign_in_again,
    verified_provider,
)

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

    def people(self) -> list[Person]:
        return [getattr(self, f.name) for f in fields(self) if f.type is Person]


@pytest.fixture
async def world(client: httpx.AsyncClient, session: AsyncSession) -> World:
    return await build_world(client, session)


async def build_world(client: httpx.AsyncClient, session: AsyncSession) -> World:
    """The world through any client (a test's own, or one of a live app)."""
    admin = await register_person(client, full_name="Alys Admin")
    coop_id = await create_coop(client, admin, area_codes=(CARDIFF, SWANSEA))
    holder_a = await register_person(client, full_name="Huw Holder")
    holder_b = await register_person(client, full_name="Hawys Holder")
    carer = await register_person(client, full_name="Cerys Carer")
    holder_a_member_id = await join_coop(client, coop_id, holder_a, admin)
    holder_b_member_id = await join_coop(client, coop_id, holder_b, admin)
    await join_coop(client, coop_id, carer, admin, "carer")
    platform = await platform_admin(client, session)
    staff = [await register_person(client, full_name=f"Staff {n}") for n in (1, 2, 3)]
    providers = [
        uuid.UUID(
            (
                await verified_provider(
                    client, session, staff=person, admin=platform, welsh_language="full"
                )
            )["id"]
        )
        for person in staff
    ]
    return World(
        coop_id=coop_id,
        admin=admin,
        admin_member_id=await member_id_of(client, coop_id, admin),
        holder_a=holder_a,
        holder_a_member_id=holder_a_member_id,
        holder_b=holder_b,
        holder_b_member_id=holder_b_member_id,
        carer=carer,
        staff_1=staff[0],
        staff_2=staff[1],
        staff_3=staff[2],
        provider_1=providers[0],
        provider_2=providers[1],
        provider_3=providers[2],
        platform_admin=platform,
        outsider=await register_person(client, full_name="Owen Outsider"),
    )


async def travel(
    client: httpx.AsyncClient, clock: FrozenClock, world: World, delta: timedelta
) -> None:
    """Move the clock; everyone signs in again, as their 15-minute tokens have expired."""
    clock.advance(delta)
    await sign_in_again(client, *world.people())
