"""A family in a co-op: a mother who holds a Direct Payment, her daughter (her suitable person,
who may ask for refunds for her) and her son (her attorney), and two administrators."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.factories import (
    Person,
    contribute,
    create_coop,
    join_coop,
    register_person,
    set_admin,
    set_direct_payment,
)


@dataclass
class Family:
    coop_id: uuid.UUID
    admin: Person
    second_admin: Person
    mother: Person
    mother_member_id: uuid.UUID
    daughter: Person
    son: Person
    daughter_mandate: uuid.UUID
    son_mandate: uuid.UUID

    def capacity_url(self) -> str:
        return f"/api/v1/coops/{self.coop_id}/members/{self.mother_member_id}/capacity"


async def family(client: httpx.AsyncClient) -> Family:
    admin = await register_person(client, full_name="Alys Admin")
    coop_id = await create_coop(client, admin)
    second = await register_person(client, full_name="Bethan Admin")
    await join_coop(client, coop_id, second, admin, "carer")
    await set_admin(client, coop_id, second, admin, True)
    mother = await register_person(client, full_name="Mair Mother")
    mother_member_id = await join_coop(client, coop_id, mother, admin)
    await set_direct_payment(client, mother, weekly_amount_pence=50_000)
    paid = await contribute(client, coop_id, mother, amount_pence=100_000)
    assert paid.status_code == 201, paid.text
    daughter = await register_person(client, full_name="Dilys Daughter")
    son = await register_person(client, full_name="Siôn Son")
    daughter_mandate = await grant(
        client, mother, daughter, role="suitable_person", scopes=["view", "refund"]
    )
    son_mandate = await grant(client, mother, son, role="lpa_property_financial")
    return Family(
        coop_id=coop_id,
        admin=admin,
        second_admin=second,
        mother=mother,
        mother_member_id=mother_member_id,
        daughter=daughter,
        son=son,
        daughter_mandate=daughter_mandate,
        son_mandate=son_mandate,
    )


async def grant(
    client: httpx.AsyncClient,
    holder: Person,
    representative: Person,
    *,
    role: str = "helper",
    scopes: list[str] | None = None,
    limit_pence_per_cycle: int = 100_000,
) -> uuid.UUID:
    """A mandate of `role`, accepted by the representative."""
    response = await client.post(
        "/api/v1/me/representatives",
        json={
            "email": representative.email,
            "scopes": scopes or ["view"],
            "limit_pence_per_cycle": limit_pence_per_cycle,
            "role": role,
        },
        headers=holder.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["role"] == role
    mandate_id = uuid.UUID(response.json()["id"])
    accepted = await client.post(
        f"/api/v1/me/representing/{mandate_id}/accept", headers=representative.headers
    )
    assert accepted.status_code == 200, accepted.text
    return mandate_id


async def mark_lacking(
    client: httpx.AsyncClient, world: Family, *, approver: uuid.UUID | None
) -> None:
    """Both administrators mark the mother as lacking capacity, naming `approver`."""
    body: dict[str, Any] = {
        "lacks_capacity": True,
        "approver_mandate_id": approver and str(approver),
    }
    first = await client.post(world.capacity_url(), json=body, headers=world.admin.headers)
    assert first.status_code == 202, first.text
    second = await client.post(world.capacity_url(), json=body, headers=world.second_admin.headers)
    assert second.status_code == 200, second.text


async def daughter_asks_for_refund(
    client: httpx.AsyncClient, world: Family, amount_pence: int = 20_000
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/coops/{world.coop_id}/pool/refunds",
        json={
            "member_id": str(world.mother_member_id),
            "amount_pence": amount_pence,
            "reason": "Moving to a care home",
        },
        headers={**world.daughter.on_behalf_of(world.mother), "Idempotency-Key": uuid.uuid4().hex},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "pending_holder_approval"
    return body


async def waiting_for(client: httpx.AsyncClient, person: Person) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/me/approvals", headers=person.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def notified(client: httpx.AsyncClient, person: Person, type_: str) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/me/notifications", headers=person.headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["type"] == type_]
