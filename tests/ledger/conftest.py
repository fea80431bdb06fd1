import uuid
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.factories import (
    Person,
    create_coop,
    grant_mandate,
    join_coop,
    member_id_of,
    register_person,
    set_direct_payment,
)
from tests.ledger.checks import Books, read_books
from tests.replay import replayed

WEEKLY = 25_000  # a cycle's allowance is four times this: 100,000
THRESHOLD = 50_000  # refunds above this wait for a second administrator
REP_LIMIT = 60_000


@dataclass
class Pool:
    """A co-op with two administrators, two holders (each with an award), a representative
    of the first holder, and someone who belongs to another co-op."""

    coop_id: uuid.UUID
    admin: Person
    admin_member: uuid.UUID
    second_admin: Person
    second_admin_member: uuid.UUID
    holder: Person
    holder_member: uuid.UUID
    other: Person
    other_member: uuid.UUID
    rep: Person
    outsider: Person
    elsewhere: Person

    def url(self, path: str = "") -> str:
        return f"/api/v1/coops/{self.coop_id}{path}"

    @property
    def holder_account(self) -> str:
        return f"member:{self.holder_member}"

    @property
    def other_account(self) -> str:
        return f"member:{self.other_member}"

    @property
    def as_rep(self) -> dict[str, str]:
        return self.rep.on_behalf_of(self.holder)

    async def books(self, session: AsyncSession) -> Books:
        return await read_books(session, self.coop_id)


@pytest.fixture
async def pool(client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI) -> Pool:
    """The same world in every test: built once per backend, then its rows written back
    (tests.replay)."""
    return await replayed("ledger.pool", connection, app, lambda: build_pool(client))


async def build_pool(client: httpx.AsyncClient) -> Pool:
    admin = await register_person(client, full_name="Admin")
    coop_id = await create_coop(client, admin, refund_second_approval_pence=THRESHOLD)
    second = await register_person(client, full_name="Second Admin")
    second_member = await join_coop(client, coop_id, second, admin)
    response = await client.post(
        f"/api/v1/coops/{coop_id}/members/{second_member}/admin",
        json={"is_admin": True},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    holder = await register_person(client, full_name="Gwenllïan ap Rhys")
    holder_member = await join_coop(client, coop_id, holder, admin)
    await set_direct_payment(client, holder, weekly_amount_pence=WEEKLY)
    other = await register_person(client, full_name="Other Holder")
    other_member = await join_coop(client, coop_id, other, admin)
    await set_direct_payment(client, other, weekly_amount_pence=WEEKLY)
    rep = await register_person(client, full_name="Representative")
    await grant_mandate(
        client,
        holder,
        rep,
        scopes=("view", "contribute", "refund"),
        limit_pence_per_cycle=REP_LIMIT,
    )
    elsewhere = await register_person(client, full_name="Elsewhere")
    await create_coop(client, elsewhere, name="Cwmni Arall")
    return Pool(
        coop_id=coop_id,
        admin=admin,
        admin_member=await member_id_of(client, coop_id, admin),
        second_admin=second,
        second_admin_member=second_member,
        holder=holder,
        holder_member=holder_member,
        other=other,
        other_member=other_member,
        rep=rep,
        outsider=await register_person(client, full_name="Outsider"),
        elsewhere=elsewhere,
    )
