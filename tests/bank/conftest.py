import uuid
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.errors import must_exist
from app.ledger.models import RefundStatus
from tests.factories import Person
from tests.helpers import ok
from tests.replay import replayed
from tests.worlds import building


@dataclass
class Books:
    """A co-op whose ledger holds, all on 2 March 2026: Gwenllïan's contribution of 25,000
    (reference DPC-0001) and Dafydd's of 12,345 (DPC-0002); refunds to Gwenllïan of 4,050 and
    of 1,000, and to Dafydd of 1,000 (so the pool holds 31,295). Another co-op's administrator
    and a plain member stand by."""

    coop_id: uuid.UUID
    admin: Person
    gwen: Person
    gwen_member: uuid.UUID
    dafydd: Person
    dafydd_member: uuid.UUID
    elsewhere: Person
    contribution_gwen: uuid.UUID
    contribution_dafydd: uuid.UUID
    refund_4050: uuid.UUID
    refund_gwen_1000: uuid.UUID
    refund_dafydd_1000: uuid.UUID

    def url(self, path: str = "") -> str:
        return f"/api/v1/coops/{self.coop_id}{path}"


@pytest.fixture
async def books(app: FastAPI, connection: AsyncConnection) -> Books:
    """The same books in every test: built once per backend, then their rows written back
    (tests.replay)."""
    return await replayed("bank.books", connection, app, lambda: build_books(app))


async def build_books(app: FastAPI) -> Books:
    """Built through the services the routes call; the people in it are signed in."""
    async with building(app) as b:
        admin = await b.person(full_name="Trysorydd")
        coop = await b.coop(admin, refund_second_approval_pence=1_000_000)
        gwen = await b.person(full_name="Gwenllïan ap Rhys")
        gwen_member = await b.join(coop, gwen, admin)
        await b.award(gwen, weekly_amount_pence=50_000)
        dafydd = await b.person(full_name="Dafydd Llŷr")
        dafydd_member = await b.join(coop, dafydd, admin)
        await b.award(dafydd, weekly_amount_pence=50_000)
        elsewhere = await b.person(full_name="Elsewhere")
        await b.coop(elsewhere, name="Cwmni Arall")
        paid_gwen = await b.contribute(gwen_member, gwen, amount_pence=25_000, reference="DPC-0001")
        paid_dafydd = await b.contribute(
            dafydd_member, dafydd, amount_pence=12_345, reference="DPC-0002"
        )
        refunded = [
            await b.refund(member, admin, amount_pence=pence)
            for member, pence in (
                (gwen_member, 4_050),
                (gwen_member, 1_000),
                (dafydd_member, 1_000),
            )
        ]
        assert all(r.status == RefundStatus.posted for r in refunded), refunded
        posted = [must_exist(r.transaction_id, "a posted refund") for r in refunded]
        return Books(
            coop_id=coop.id,
            admin=admin,
            gwen=gwen,
            gwen_member=gwen_member.id,
            dafydd=dafydd,
            dafydd_member=dafydd_member.id,
            elsewhere=elsewhere,
            contribution_gwen=paid_gwen,
            contribution_dafydd=paid_dafydd,
            refund_4050=posted[0],
            refund_gwen_1000=posted[1],
            refund_dafydd_1000=posted[2],
        )


# The co-op's bank as a treasurer exports it to CSV: Welsh letters, pence, a refund, two
# lines that could each be either refund of 10.00, interest and a bank charge.
STATEMENT_CSV = (
    "date,description,amount,reference,balance\n"
    "2026-03-02,Taliad gan Gwenllïan i ŵyr,250.00,DPC-0001,250.00\n"
    "2026-03-03,DAFYDD LLŶR DPC-0002 â diolch,123.45,,373.45\n"
    "2026-03-04,Ad-daliad i Gwenllïan,-40.50,,332.95\n"
    "2026-03-05,Ad-daliad,-10.00,,322.95\n"
    "2026-03-05,Ad-daliad,-10.00,,312.95\n"
    "2026-03-06,Llog,0.07,,313.02\n"
    "2026-03-20,Tâl banc,-5.00,,308.02\n"
)


async def import_csv(
    client: httpx.AsyncClient, books: Books, text: str, person: Person | None = None
) -> httpx.Response:
    return await client.post(
        books.url("/bank/statements"),
        content=text.encode("utf-8"),
        headers={**(person or books.admin).headers, "Content-Type": "text/csv"},
    )


async def lines(
    client: httpx.AsyncClient, books: Books, state: str | None = None
) -> list[dict[str, object]]:
    params = {"limit": "200", **({"state": state} if state else {})}
    response = ok(
        await client.get(books.url("/bank/lines"), params=params, headers=books.admin.headers)
    )
    items: list[dict[str, object]] = response.json()["items"]
    return items
