"""A co-op to test shared support in: an administrator, a holder, a support worker, and
people who are not members of it."""

import uuid
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.coops.models import Coop, Member
from app.core.clock import local_date
from app.support import shared_services
from app.support.models import SupportCategory, SupportService
from tests.factories import Person
from tests.replay import replayed
from tests.stats.built import Builder, built


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
async def world(app: FastAPI, connection: AsyncConnection) -> World:
    """The same co-op in every test: built once per backend, then its rows written back
    (tests.replay)."""
    return await replayed("support.world", connection, app, lambda: build_world(app))


async def build_world(app: FastAPI) -> World:
    async with built(app) as b:
        admin = await b.person(full_name="Ada Admin")
        coop = await b.coop(admin)
        holder = await b.person(full_name="Huw Holder")
        worker = await b.person(full_name="Wyn Worker")
        carer = await b.person(full_name="Cerys Carer")
        holder_member = await b.join(coop, holder, admin)
        worker_member = await b.join(coop, worker, admin, "worker")
        carer_member = await b.join(coop, carer, admin, "carer")
        elsewhere = await b.person(full_name="Elen Elsewhere")
        elsewhere_coop = await b.coop(elsewhere, name="Cydweithfa Abertawe")
        return World(
            coop_id=coop.id,
            admin=admin,
            admin_member_id=(await b.member_of(coop, admin)).id,
            holder=holder,
            holder_member_id=holder_member.id,
            worker=worker,
            worker_member_id=worker_member.id,
            carer=carer,
            carer_member_id=carer_member.id,
            outsider=await b.person(full_name="Owen Outsider"),
            elsewhere=elsewhere,
            elsewhere_coop_id=elsewhere_coop.id,
        )


async def support_service(
    b: Builder,
    coop: Coop,
    admin: Person,
    *,
    name: str = "Payroll for personal assistants",
    category: str = "payroll",
    monthly_fee_pence: int = 10_000,
) -> SupportService:
    """A service in the co-op's catalogue (POST .../support/services)."""
    return await shared_services.create_service(
        b.session,
        await b.actor(admin),
        coop.id,
        name=name,
        category=SupportCategory(category),
        description="Payslips, PAYE and pensions for the PAs members employ.",
        monthly_fee_pence=monthly_fee_pence,
        now=b.now,
    )


async def subscribe(b: Builder, service: SupportService, member: Member, holder: Person) -> None:
    """The holder subscribes from today (POST .../subscription)."""
    await shared_services.subscribe(
        b.session, await b.actor(holder), service, member, today=local_date(b.now)
    )
