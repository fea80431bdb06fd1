"""A co-op to file compliance records in: an administrator, a member, a worker of the co-op,
a provider serving its area, and people and things that belong elsewhere."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.employment.models import Worker
from tests.conftest import START
from tests.factories import (
    SWANSEA,
    Person,
    create_coop,
    join_coop,
    member_id_of,
    platform_admin,
    register_person,
    verified_provider,
)
from tests.notifications.conftest import mail_settings, mailbox, worker  # noqa: F401  (fixtures)
from tests.webhook_receiver import webhook_receiver  # noqa: F401  (a fixture)


@dataclass(frozen=True)
class World:
    coop_id: uuid.UUID
    admin: Person
    admin_member_id: uuid.UUID
    member: Person
    member_id: uuid.UUID
    other_member: Person
    other_member_id: uuid.UUID
    pa: Person
    worker_id: uuid.UUID
    staff: Person
    provider_id: uuid.UUID
    elsewhere: Person
    elsewhere_coop_id: uuid.UUID
    elsewhere_member_id: uuid.UUID
    elsewhere_worker_id: uuid.UUID
    swansea_provider_id: uuid.UUID

    @property
    def url(self) -> str:
        return records_url(self.coop_id)

    def people(self) -> list[Person]:
        return [self.admin, self.member, self.other_member, self.pa, self.staff, self.elsewhere]


def records_url(coop_id: uuid.UUID) -> str:
    return f"/api/v1/coops/{coop_id}/compliance"


def record_body(world: World, **overrides: Any) -> dict[str, Any]:
    """An enhanced DBS check of the member, issued last year, good for three years."""
    body: dict[str, Any] = {
        "subject_kind": "member",
        "subject_id": str(world.member_id),
        "kind": "dbs_enhanced",
        "reference": "001234567890",
        "issued_on": "2025-06-01",
        "expires_on": "2028-05-31",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


async def file(
    client: httpx.AsyncClient, world: World, person: Person | None = None, **overrides: Any
) -> dict[str, Any]:
    """File a record (as the administrator unless `person` is given); the 201 body."""
    response = await client.post(
        world.url, json=record_body(world, **overrides), headers=(person or world.admin).headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def add_worker(
    session: AsyncSession, coop_id: uuid.UUID, by: Person, *, user: Person | None = None
) -> uuid.UUID:
    """A worker of the co-op (the employment routes are built elsewhere: the row is written
    directly, as they would write it)."""
    row = Worker(
        coop_id=coop_id,
        full_name="Pat Assistant",
        email=user.email if user else None,
        user_id=user.id if user else None,
        created_at=START,
        created_by_user_id=by.id,
    )
    session.add(row)
    await session.commit()
    return row.id


@pytest.fixture
async def world(client: httpx.AsyncClient, session: AsyncSession) -> World:
    admin = await register_person(client, full_name="Ada Admin")
    coop_id = await create_coop(client, admin)
    member = await register_person(client, full_name="Mari Member")
    other_member = await register_person(client, full_name="Osian Other")
    member_id = await join_coop(client, coop_id, member, admin, "worker")
    other_member_id = await join_coop(client, coop_id, other_member, admin)
    pa = await register_person(client, full_name="Pat Assistant")
    staff = await register_person(client, full_name="Provider Staff")
    checker = await platform_admin(client, session)
    provider = await verified_provider(client, session, staff=staff, admin=checker)
    swansea = await verified_provider(
        client, session, admin=checker, area_codes=[SWANSEA], name="Gofal Abertawe"
    )
    elsewhere = await register_person(client, full_name="Elen Elsewhere")
    elsewhere_coop_id = await create_coop(
        client, elsewhere, name="Cydweithfa Abertawe", area_codes=(SWANSEA,)
    )
    return World(
        coop_id=coop_id,
        admin=admin,
        admin_member_id=await member_id_of(client, coop_id, admin),
        member=member,
        member_id=member_id,
        other_member=other_member,
        other_member_id=other_member_id,
        pa=pa,
        worker_id=await add_worker(session, coop_id, admin, user=pa),
        staff=staff,
        provider_id=uuid.UUID(provider["id"]),
        elsewhere=elsewhere,
        elsewhere_coop_id=elsewhere_coop_id,
        elsewhere_member_id=await member_id_of(client, elsewhere_coop_id, elsewhere),
        elsewhere_worker_id=await add_worker(session, elsewhere_coop_id, elsewhere),
        swansea_provider_id=uuid.UUID(swansea["id"]),
    )
