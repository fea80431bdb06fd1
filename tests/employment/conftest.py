"""A co-op whose holders employ personal assistants: one holder employs their own, the co-op
employs another for two holders; representatives, non-holders and outsiders around them."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.factories import (
    Person,
    contribute,
    create_coop,
    grant_mandate,
    join_coop,
    member_id_of,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok
from tests.replay import replayed

# Today is 2026-03-02 (the suite's clock): these employments each have one period behind them.
FOUR_WEEKLY_START = "2026-02-02"  # periods 2 Feb - 1 Mar, 2 Mar - 29 Mar, ...
MONTHLY_START = "2026-02-01"  # February, March, ...
FUNDS = 50_000


@dataclass
class Employer:
    """The co-op, its people, and two employments with their workers."""

    coop_id: uuid.UUID
    admin: Person
    admin_member: uuid.UUID
    huw: Person  # a holder who employs Siân
    huw_member: uuid.UUID
    bryn: Person  # holders the co-op's employee, Gareth, works for
    bryn_member: uuid.UUID
    carys: Person
    carys_member: uuid.UUID
    carer: Person  # an active member who is not a holder
    carer_member: uuid.UUID
    rep: Person  # Huw's representative, with `view`
    sian: Person  # Huw's personal assistant, with an account
    gareth: Person  # the co-op's employee, with an account
    outsider: Person
    elsewhere: Person  # administrator of another co-op
    elsewhere_coop_id: uuid.UUID
    sian_worker: uuid.UUID
    gareth_worker: uuid.UUID
    huw_employment: uuid.UUID  # Siân for Huw: four-weekly, 1,250p an hour
    coop_employment: uuid.UUID  # Gareth for the co-op: monthly, 1,100p an hour

    def url(self, path: str = "") -> str:
        return f"/api/v1/coops/{self.coop_id}{path}"

    def timesheet(self, employment: uuid.UUID, period_start: str) -> str:
        return f"/api/v1/employments/{employment}/timesheets/{period_start}"


async def add_worker(
    client: httpx.AsyncClient, coop_id: uuid.UUID, who: Person, name: str, email: str | None
) -> uuid.UUID:
    body: dict[str, Any] = {"full_name": name}
    if email is not None:
        body["email"] = email
    response = ok(
        await client.post(f"/api/v1/coops/{coop_id}/workers", json=body, headers=who.headers)
    )
    return uuid.UUID(response.json()["id"])


def employment_body(worker_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    return {
        "worker_id": str(worker_id),
        "employer_kind": "member",
        "hourly_rate_pence": 1_250,
        "contracted_hours_per_week": 16,
        "pay_frequency": "four_weekly",
        "first_period_start": FOUR_WEEKLY_START,
        **overrides,
    }


async def employ(
    client: httpx.AsyncClient, coop_id: uuid.UUID, who: Person, body: dict[str, Any]
) -> uuid.UUID:
    response = ok(
        await client.post(f"/api/v1/coops/{coop_id}/employments", json=body, headers=who.headers)
    )
    return uuid.UUID(response.json()["id"])


async def fund(
    client: httpx.AsyncClient, coop_id: uuid.UUID, holder: Person, amount_pence: int = FUNDS
) -> None:
    ok(await contribute(client, coop_id, holder, amount_pence=amount_pence))


@pytest.fixture
async def employer(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI
) -> Employer:
    """The same world in every test: built once per backend, then its rows written back
    (tests.replay)."""
    return await replayed("employment.employer", connection, app, lambda: build_employer(client))


async def build_employer(client: httpx.AsyncClient) -> Employer:
    admin = await register_person(client, full_name="Ada Admin")
    coop_id = await create_coop(client, admin)
    people = {
        name: await register_person(client, full_name=full)
        for name, full in (
            ("huw", "Huw Holder"),
            ("bryn", "Bryn Bevan"),
            ("carys", "Carys Cadwaladr"),
            ("carer", "Cerys Carer"),
            ("rep", "Rhys Rep"),
            ("sian", "Siân Jones"),
            ("gareth", "Gareth Pugh"),
            ("outsider", "Owen Outsider"),
            ("elsewhere", "Elen Elsewhere"),
        )
    }
    members = {}
    for name in ("huw", "bryn", "carys"):
        members[name] = await join_coop(client, coop_id, people[name], admin)
        await set_direct_payment(client, people[name])
        await fund(client, coop_id, people[name])
    members["carer"] = await join_coop(client, coop_id, people["carer"], admin, "carer")
    await grant_mandate(client, people["huw"], people["rep"], scopes=("view",))
    elsewhere_coop_id = await create_coop(client, people["elsewhere"], name="Cydweithfa Arall")
    sian = await add_worker(client, coop_id, people["huw"], "Siân Jones", people["sian"].email)
    gareth = await add_worker(client, coop_id, admin, "Gareth Pugh", people["gareth"].email)
    huw_employment = await employ(client, coop_id, people["huw"], employment_body(sian))
    coop_employment = await employ(
        client,
        coop_id,
        admin,
        employment_body(
            gareth,
            employer_kind="coop",
            hourly_rate_pence=1_100,
            pay_frequency="monthly",
            first_period_start=MONTHLY_START,
        ),
    )
    return Employer(
        coop_id=coop_id,
        admin=admin,
        admin_member=await member_id_of(client, coop_id, admin),
        huw=people["huw"],
        huw_member=members["huw"],
        bryn=people["bryn"],
        bryn_member=members["bryn"],
        carys=people["carys"],
        carys_member=members["carys"],
        carer=people["carer"],
        carer_member=members["carer"],
        rep=people["rep"],
        sian=people["sian"],
        gareth=people["gareth"],
        outsider=people["outsider"],
        elsewhere=people["elsewhere"],
        elsewhere_coop_id=elsewhere_coop_id,
        sian_worker=sian,
        gareth_worker=gareth,
        huw_employment=huw_employment,
        coop_employment=coop_employment,
    )
