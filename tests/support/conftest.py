"""A co-op to test shared support in: an administrator, a holder, a support worker, and
people who are not members of it."""

import uuid
from dataclasses import dataclass

import httpx
import pytest

from tests.factories import Person, create_coop, join_coop, member_id_of, register_person


@dataclass(frozen=True)
class World:
    coop_id: uuid.UUID
    admin: Person
    admin_member_id: uuid.UUID
    holder: Person
    holder_member_id: uuid.UUID
    worker: Person
    worker_member_id: uuid.UUID
    carer: Person
    carer_member_id: uuid.UUID
    outsider: Person
    elsewhere: Person
    elsewhere_coop_id: uuid.UUID


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    admin = await register_person(client, full_name="Ada Admin")
    coop_id = await create_coop(client, admin)
    holder = await register_person(client, full_name="Huw Holder")
    worker = await register_person(client, full_name="Wyn Worker")
    carer = await register_person(client, full_name="Cerys Carer")
    holder_member_id = await join_coop(client, coop_id, holder, admin)
    worker_member_id = await join_coop(client, coop_id, worker, admin, "worker")
    carer_member_id = await join_coop(client, coop_id, carer, admin, "carer")
    elsewhere = await register_person(client, full_name="Elen Elsewhere")
    elsewhere_coop_id = await create_coop(client, elsewhere, name="Cydweithfa Abertawe")
    return World(
        coop_id=coop_id,
        admin=admin,
        admin_member_id=await member_id_of(client, coop_id, admin),
        holder=holder,
        holder_member_id=holder_member_id,
        worker=worker,
        worker_member_id=worker_member_id,
        carer=carer,
        carer_member_id=carer_member_id,
        outsider=await register_person(client, full_name="Owen Outsider"),
        elsewhere=elsewhere,
        elsewhere_coop_id=elsewhere_coop_id,
    )
