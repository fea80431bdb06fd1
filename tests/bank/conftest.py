import uuid
from dataclasses import dataclass

import httpx
import pytest

from tests.factories import (
    Person,
    contribute,
    create_coop,
    join_coop,
    register_person,
    request_refund,
    set_direct_payment,
)
from tests.helpers import ok


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


async def _refund(
    client: httpx.AsyncClient, coop_id: uuid.UUID, admin: Person, member: uuid.UUID, pence: int
) -> uuid.UUID:
    response = ok(
        await request_refund(client, coop_id, admin, member_id=member, amount_pence=pence)
    )
    assert response.json()["status"] == "posted", response.text
    return uuid.UUID(response.json()["transaction_id"])


@pytest.fixture
async def books(client: httpx.AsyncClient) -> Books:
    admin = await register_person(client, full_name="Trysorydd")
    coop_id = await create_coop(client, admin, refund_second_approval_pence=1_000_000)
    gwen = await register_person(client, full_name="Gwenllïan ap Rhys")
    gwen_member = await join_coop(client, coop_id, gwen, admin)
    await set_direct_payment(client, gwen, weekly_amount_pence=50_000)
    dafydd = await register_person(client, full_name="Dafydd Llŷr")
    dafydd_member = await join_coop(client, coop_id, dafydd, admin)
    await set_direct_payment(client, dafydd, weekly_amount_pence=50_000)
    elsewhere = await register_person(client, full_name="Elsewhere")
    await create_coop(client, elsewhere, name="Cwmni Arall")
    paid_gwen = ok(
        await contribute(client, coop_id, gwen, amount_pence=25_000, reference="DPC-0001")
    )
    paid_dafydd = ok(
        await contribute(client, coop_id, dafydd, amount_pence=12_345, reference="DPC-0002")
    )
    return Books(
        coop_id=coop_id,
        admin=admin,
        gwen=gwen,
        gwen_member=gwen_member,
        dafydd=dafydd,
        dafydd_member=dafydd_member,
        elsewhere=elsewhere,
        contribution_gwen=uuid.UUID(paid_gwen.json()["id"]),
        contribution_dafydd=uuid.UUID(paid_dafydd.json()["id"]),
        refund_4050=await _refund(client, coop_id, admin, gwen_member, 4_050),
        refund_gwen_1000=await _refund(client, coop_id, admin, gwen_member, 1_000),
        refund_dafydd_1000=await _refund(client, coop_id, admin, dafydd_member, 1_000),
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
