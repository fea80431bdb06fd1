"""A co-op to file compliance records in: an administrator, a member, a worker of the co-op,
a provider serving its area, and people and things that belong elsewhere."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.employment.models import Worker
from tests.conftest import START
from tests.factories import SWANSEA, Person
from tests.notifications.conftest import mail_settings, mailbox, worker  # noqa: F401  (fixtures)
from tests.replay import replayed
from tests.webhook_receiver import webhook_receiver  # noqa: F401  (a fixture)
from tests.worlds import building


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
async def world(app: FastAPI, connection: AsyncConnection) -> World:
    """The same world in every test: built once per backend, then its rows written back
    (tests.replay)."""
    return await replayed("compliance.world", connection, app, lambda: build_world(app))


async def build_world(app: FastAPI) -> World:
    """Built through the services the routes call, everyone in it signed in."""
    async with building(app) as b:
        admin = await b.person(full_name="Ada Admin")
        coop = await b.coop(admin)
        member = await b.person(full_name="Mari Member")
        other_member = await b.person(full_name="Osian Other")
        member_row = await b.join(coop, member, admin, "worker")
        other_member_row = await b.join(coop, other_member, admin)
        pa = await b.person(full_name="Pat Assistant")
        staff = await b.person(full_name="Provider Staff")
        checker = await b.person(full_name="Admin", platform_admin=True)
        provider = await b.verify(checker, await b.provider(staff))
        swansea = await b.verified_provider(checker, area_codes=[SWANSEA], name="Gofal Abertawe")
        elsewhere = await b.person(full_name="Elen Elsewhere")
        elsewhere_coop = await b.coop(elsewhere, name="Cydweithfa Abertawe", area_codes=(SWANSEA,))
        ids = {
            "coop": coop.id,
            "admin_member": (await b.member_of(coop, admin)).id,
            "member": member_row.id,
            "other_member": other_member_row.id,
            "provider": provider.id,
            "swansea_provider": swansea.id,
            "elsewhere_coop": elsewhere_coop.id,
            "elsewhere_member": (await b.member_of(elsewhere_coop, elsewhere)).id,
        }
    # A session of the build's own: the replay rolls back all that the build opened.
    async with app.state.sessionmaker() as session:
        worker_id = await add_worker(session, ids["coop"], admin, user=pa)
        elsewhere_worker_id = await add_worker(session, ids["elsewhere_coop"], elsewhere)
    return World(
        coop_id=ids["coop"],
        admin=admin,
        admin_member_id=ids["admin_member"],
        member=member,
        member_id=ids["member"],
        other_member=other_member,
        other_member_id=ids["other_member"],
        pa=pa,
        worker_id=worker_id,
        staff=staff,
        provider_id=ids["provider"],
        elsewhere=elsewhere,
        elsewhere_coop_id=ids["elsewhere_coop"],
        elsewhere_member_id=ids["elsewhere_member"],
        elsewhere_worker_id=elsewhere_worker_id,
        swansea_provider_id=ids["swansea_provider"],
    )
