"""Charging a month of a shared service: the exact split, one transaction, once a month."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock
from app.ledger.models import LedgerTransaction, TransactionKind
from app.support.models import SupportCharge
from tests.factories import (
    Person,
    contribute,
    create_coop,
    create_support_service,
    join_coop,
    register_person,
    set_direct_payment,
    sign_in_again,
)
from tests.helpers import problem


@dataclass(frozen=True)
class Charged:
    coop_id: uuid.UUID
    admin: Person
    holders: list[Person]
    member_ids: list[uuid.UUID]
    service_id: uuid.UUID

    def url(self, service_id: uuid.UUID | None = None) -> str:
        sid = service_id or self.service_id
        return f"/api/v1/coops/{self.coop_id}/support/services/{sid}/charges"


async def subscribe(
    client: httpx.AsyncClient, coop_id: uuid.UUID, sid: uuid.UUID, p: Person
) -> None:
    response = await client.post(
        f"/api/v1/coops/{coop_id}/support/services/{sid}/subscription", headers=p.headers
    )
    assert response.status_code in (200, 201), response.text


async def charge(
    client: httpx.AsyncClient,
    world: Charged,
    body: dict[str, object],
    *,
    key: str | None = None,
    service_id: uuid.UUID | None = None,
    who: Person | None = None,
) -> httpx.Response:
    return await client.post(
        world.url(service_id),
        json=body,
        headers={**(who or world.admin).headers, "Idempotency-Key": key or uuid.uuid4().hex},
    )


@pytest.fixture
async def charged(client: httpx.AsyncClient, clock: FrozenClock) -> Charged:
    """Three holders approved in the order Anwen, Bryn, Carys, each with 5,000p in the pool
    (Carys only when asked), all subscribed to a 1,000p-a-month payroll service."""
    admin = await register_person(client, full_name="Ada Admin")
    coop_id = await create_coop(client, admin)
    holders, member_ids = [], []
    for name in ("Anwen", "Bryn", "Carys"):
        clock.advance(timedelta(minutes=1))  # approved one after another
        person = await register_person(client, full_name=name)
        member_ids.append(await join_coop(client, coop_id, person, admin))
        await set_direct_payment(client, person)
        holders.append(person)
    service_id = await create_support_service(client, coop_id, admin, monthly_fee_pence=1_000)
    for person in holders:
        await subscribe(client, coop_id, service_id, person)
    return Charged(coop_id, admin, holders, member_ids, service_id)


async def fund(client: httpx.AsyncClient, world: Charged, *people: Person) -> None:
    for person in people:
        response = await contribute(client, world.coop_id, person, amount_pence=5_000)
        assert response.status_code == 201, response.text


async def charges_posted(session: AsyncSession, coop_id: uuid.UUID) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(
                LedgerTransaction.coop_id == coop_id,
                LedgerTransaction.kind == TransactionKind.support_charge,
            )
        )
        or 0
    )


async def test_the_fee_is_split_exactly_with_the_odd_penny_to_the_earliest_approved(
    client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(client, charged, *charged.holders)
    response = await charge(client, charged, {"period": "2026-03"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "support_charge"
    a, b, c = charged.member_ids
    assert body["postings"] == [
        {"account": f"member:{a}", "amount_pence": -334},
        {"account": f"member:{b}", "amount_pence": -333},
        {"account": f"member:{c}", "amount_pence": -333},
        {"account": "shared", "amount_pence": 1_000},
    ]
    pool = (
        await client.get(f"/api/v1/coops/{charged.coop_id}/pool", headers=charged.admin.headers)
    ).json()
    assert pool["shared_pence"] == 1_000
    assert pool["members_pence"] == 15_000 - 1_000
    # The answer is the transaction as the ledger shows it to an administrator.
    ledger = (
        await client.get(f"/api/v1/coops/{charged.coop_id}/ledger", headers=charged.admin.headers)
    ).json()
    assert ledger["items"][0] == body
    record = await session.scalar(select(SupportCharge))
    assert record is not None
    assert (record.period, record.amount_pence, str(record.transaction_id)) == (
        "2026-03",
        1_000,
        body["id"],
    )
    audit = await session.scalar(
        select(AuditEntry).where(AuditEntry.action == "support_charge.posted")
    )
    assert audit is not None
    assert audit.data["shares"] == [[str(a), 334], [str(b), 333], [str(c), 333]]


async def test_an_amount_overrides_the_fee(client: httpx.AsyncClient, charged: Charged) -> None:
    await fund(client, charged, *charged.holders)
    response = await charge(client, charged, {"period": "2026-03", "amount_pence": 1_001})
    assert response.status_code == 201, response.text
    assert [p["amount_pence"] for p in response.json()["postings"]] == [-334, -334, -333, 1_001]


@pytest.mark.parametrize("amount", [0, -5, "100", 1.5, True])
async def test_a_bad_amount_is_refused(
    client: httpx.AsyncClient, charged: Charged, amount: object
) -> None:
    response = await charge(client, charged, {"period": "2026-03", "amount_pence": amount})
    problem(response, 422, "validation_error")


@pytest.mark.parametrize("period", ["2026-3", "2026-13", "March", "2026-03-01", ""])
async def test_a_bad_period_is_refused(
    client: httpx.AsyncClient, charged: Charged, period: str
) -> None:
    problem(await charge(client, charged, {"period": period}), 422, "validation_error")


async def test_a_month_not_yet_begun_cannot_be_charged(
    client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(client, charged, *charged.holders)
    problem(await charge(client, charged, {"period": "2026-04"}), 422, "validation_error")
    assert await charges_posted(session, charged.coop_id) == 0


async def test_a_replay_returns_the_same_answer_and_posts_once(
    client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(client, charged, *charged.holders)
    first = await charge(client, charged, {"period": "2026-03"}, key="march-payroll")
    again = await charge(client, charged, {"period": "2026-03"}, key="march-payroll")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert await charges_posted(session, charged.coop_id) == 1
    reused = await charge(
        client, charged, {"period": "2026-03", "amount_pence": 5}, key="march-payroll"
    )
    problem(reused, 422, "idempotency_key_reused")
    missing = await client.post(
        charged.url(), json={"period": "2026-03"}, headers=charged.admin.headers
    )
    problem(missing, 400, "idempotency_key_required")


async def test_a_month_is_charged_once(
    client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(client, charged, *charged.holders)
    assert (await charge(client, charged, {"period": "2026-03"})).status_code == 201
    second = await charge(client, charged, {"period": "2026-03", "amount_pence": 50})
    body = problem(second, 409, "already_charged")
    assert "2026-03" in body["detail"]
    assert await charges_posted(session, charged.coop_id) == 1


async def test_a_month_without_subscribers_is_422(
    client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    lonely = await create_support_service(client, charged.coop_id, charged.admin, name="Training")
    response = await charge(client, charged, {"period": "2026-03"}, service_id=lonely)
    problem(response, 422, "no_subscribers")
    assert await charges_posted(session, charged.coop_id) == 0
    assert await session.scalar(select(func.count()).select_from(SupportCharge)) == 0


async def test_members_short_of_their_share_are_named_and_nothing_is_posted(
    client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    anwen, bryn, carys = charged.holders
    await fund(client, charged, anwen)  # Bryn and Carys have nothing in the pool
    before = (
        await client.get(f"/api/v1/coops/{charged.coop_id}/pool", headers=charged.admin.headers)
    ).json()
    body = problem(
        await charge(client, charged, {"period": "2026-03"}), 409, "insufficient_member_funds"
    )
    # Shares of 334p, 333p and 333p: Bryn and Carys are short by their whole share.
    assert body["members"] == [
        {"member_id": str(charged.member_ids[1]), "holder_name": "Bryn", "short_by_pence": 333},
        {"member_id": str(charged.member_ids[2]), "holder_name": "Carys", "short_by_pence": 333},
    ]
    after = (
        await client.get(f"/api/v1/coops/{charged.coop_id}/pool", headers=charged.admin.headers)
    ).json()
    assert after == before
    assert await charges_posted(session, charged.coop_id) == 0
    # Once they have paid in, the same month can be charged.
    await fund(client, charged, bryn, carys)
    assert (await charge(client, charged, {"period": "2026-03"})).status_code == 201


async def test_a_past_month_falls_on_that_months_subscribers(
    client: httpx.AsyncClient, charged: Charged, clock: FrozenClock
) -> None:
    """Carys stops on 20 March; Dai joins and subscribes in April. March's charge falls on
    all three March subscribers, April's on Anwen, Bryn and Dai."""
    await fund(client, charged, *charged.holders)
    anwen, bryn, carys = charged.holders
    clock.set(datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
    await sign_in_again(client, charged.admin, *charged.holders)
    stopped = await client.delete(
        f"/api/v1/coops/{charged.coop_id}/support/services/{charged.service_id}/subscription",
        headers=carys.headers,
    )
    assert stopped.status_code == 200, stopped.text
    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=UTC))
    await sign_in_again(client, charged.admin, *charged.holders)
    dai = await register_person(client, full_name="Dai")
    dai_member = await join_coop(client, charged.coop_id, dai, charged.admin)
    await set_direct_payment(client, dai, start_date=clock.now().date())
    await subscribe(client, charged.coop_id, charged.service_id, dai)
    assert (await contribute(client, charged.coop_id, dai, amount_pence=2_000)).status_code == 201

    march = await charge(client, charged, {"period": "2026-03"})
    assert march.status_code == 201, march.text
    a, b, c = charged.member_ids
    assert [(p["account"], p["amount_pence"]) for p in march.json()["postings"]] == [
        (f"member:{a}", -334),
        (f"member:{b}", -333),
        (f"member:{c}", -333),
        ("shared", 1_000),
    ]
    april = await charge(client, charged, {"period": "2026-04"})
    assert april.status_code == 201, april.text
    assert [(p["account"], p["amount_pence"]) for p in april.json()["postings"]] == [
        (f"member:{a}", -334),
        (f"member:{b}", -333),
        (f"member:{dai_member}", -333),
        ("shared", 1_000),
    ]
    del anwen, bryn


async def test_a_member_who_left_in_the_month_is_named_when_charged_after_leaving(
    client: httpx.AsyncClient, charged: Charged, clock: FrozenClock, session: AsyncSession
) -> None:
    """SPEC's rule keeps a leaver among the month's subscribers, but leaving refunded their
    balance: charge the month before they leave."""
    await fund(client, charged, *charged.holders)
    carys = charged.holders[2]
    clock.advance(timedelta(days=3))
    await sign_in_again(client, charged.admin, *charged.holders)
    left = await client.post(
        f"/api/v1/coops/{charged.coop_id}/members/{charged.member_ids[2]}/leave",
        headers={**carys.headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert left.status_code == 200, left.text
    body = problem(
        await charge(client, charged, {"period": "2026-03"}), 409, "insufficient_member_funds"
    )
    assert body["members"] == [
        {"member_id": str(charged.member_ids[2]), "holder_name": "Carys", "short_by_pence": 333}
    ]
    assert await charges_posted(session, charged.coop_id) == 0


async def test_only_an_administrator_in_person_charges(
    client: httpx.AsyncClient, charged: Charged
) -> None:
    await fund(client, charged, *charged.holders)
    response = await charge(client, charged, {"period": "2026-03"}, who=charged.holders[0])
    problem(response, 403, "forbidden")
    elsewhere = await register_person(client, full_name="Elen")
    problem(await charge(client, charged, {"period": "2026-03"}, who=elsewhere), 404, "not_found")
    other_coop = await create_coop(client, elsewhere, name="Cwmni Arall")
    other_service = await create_support_service(client, other_coop, elsewhere)
    problem(
        await charge(client, charged, {"period": "2026-03"}, service_id=other_service),
        404,
        "not_found",
    )


async def test_each_member_charged_sees_their_share_in_their_activity(
    client: httpx.AsyncClient, charged: Charged
) -> None:
    await fund(client, charged, *charged.holders)
    response = await charge(client, charged, {"period": "2026-03"})
    assert response.status_code == 201, response.text
    transaction_id = response.json()["id"]
    for person, member_id, share in zip(
        charged.holders, charged.member_ids, (334, 333, 333), strict=True
    ):
        activity = await client.get("/api/v1/me/activity", headers=person.headers)
        assert activity.status_code == 200, activity.text
        mine = [e for e in activity.json()["items"] if e["action"].startswith("support_charge")]
        assert len(mine) == 1, activity.json()
        assert mine[0]["data"] == {
            "member_id": str(member_id),
            "amount_pence": share,
            "transaction_id": transaction_id,
        }
    # Nobody sees another member's share in their own activity.
    outsider = await register_person(client, full_name="Outsider")
    activity = await client.get("/api/v1/me/activity", headers=outsider.headers)
    assert not [e for e in activity.json()["items"] if e["action"].startswith("support_charge")]
