"""Charging a month of a shared service: the exact split, one transaction, once a month."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock, local_date
from app.ledger.models import LedgerTransaction, TransactionKind
from app.support import shared_services
from app.support.models import SupportCharge
from tests.factories import (
    Person,
    create_support_service,
    grant_mandate,
    register_person,
    sign_in_again,
)
from tests.helpers import problem
from tests.replay import replayed
from tests.stats.built import built
from tests.support.conftest import subscribe, support_service


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
async def charged(app: FastAPI, clock: FrozenClock, connection: AsyncConnection) -> Charged:
    """Built once per backend, then its rows written back into each test (tests.replay)."""
    return await replayed(
        "support.charges.charged", connection, app, lambda: build_charged(app, clock)
    )


async def build_charged(app: FastAPI, clock: FrozenClock) -> Charged:
    """Three holders approved in the order Anwen, Bryn, Carys, each with 5,000p in the pool
    (Carys only when asked), all subscribed to a 1,000p-a-month payroll service."""
    async with built(app) as b:
        admin = await b.person(full_name="Ada Admin")
        coop = await b.coop(admin)
        holders, members = [], []
        for name in ("Anwen", "Bryn", "Carys"):
            clock.advance(timedelta(minutes=1))  # approved one after another
            person = await b.person(full_name=name)
            members.append(await b.join(coop, person, admin))
            await b.award(person)
            holders.append(person)
        service = await support_service(b, coop, admin, monthly_fee_pence=1_000)
        for person, member in zip(holders, members, strict=True):
            await subscribe(b, service, member, person)
    return Charged(coop.id, admin, holders, [m.id for m in members], service.id)


async def fund(app: FastAPI, world: Charged, *people: Person) -> None:
    """Each of `people` pays 5,000p into the pool."""
    async with built(app) as b:
        coop = await b.coop_by_id(world.coop_id)
        for person in people:
            await b.contribute(await b.member_of(coop, person), person, amount_pence=5_000)


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
    app: FastAPI, client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(app, charged, *charged.holders)
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


async def test_an_amount_overrides_the_fee(
    app: FastAPI, client: httpx.AsyncClient, charged: Charged
) -> None:
    await fund(app, charged, *charged.holders)
    response = await charge(client, charged, {"period": "2026-03", "amount_pence": 1_001})
    assert response.status_code == 201, response.text
    assert [p["amount_pence"] for p in response.json()["postings"]] == [-334, -334, -333, 1_001]


@pytest.mark.parametrize("amount", [0, -5, "100", 1.5, True])
async def test_a_bad_amount_is_refused(
    client: httpx.AsyncClient, charged: Charged, session: AsyncSession, amount: object
) -> None:
    response = await charge(client, charged, {"period": "2026-03", "amount_pence": amount})
    body = problem(response, 422, "validation_error")
    assert [e["loc"] for e in body["errors"]] == [["body", "amount_pence"]]
    assert await charges_posted(session, charged.coop_id) == 0


@pytest.mark.parametrize("period", ["2026-3", "2026-13", "March", "2026-03-01", ""])
async def test_a_bad_period_is_refused(
    client: httpx.AsyncClient, charged: Charged, session: AsyncSession, period: str
) -> None:
    body = problem(await charge(client, charged, {"period": period}), 422, "validation_error")
    assert [e["loc"] for e in body["errors"]] == [["body", "period"]]
    assert await charges_posted(session, charged.coop_id) == 0


async def test_a_month_not_yet_begun_cannot_be_charged(
    app: FastAPI, client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(app, charged, *charged.holders)
    problem(await charge(client, charged, {"period": "2026-04"}), 422, "validation_error")
    assert await charges_posted(session, charged.coop_id) == 0


async def test_a_replay_returns_the_same_answer_and_posts_once(
    app: FastAPI, client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(app, charged, *charged.holders)
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
    app: FastAPI, client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(app, charged, *charged.holders)
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
    app: FastAPI, client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    anwen, bryn, carys = charged.holders
    await fund(app, charged, anwen)  # Bryn and Carys have nothing in the pool
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
    await fund(app, charged, bryn, carys)
    assert (await charge(client, charged, {"period": "2026-03"})).status_code == 201


async def test_a_past_month_falls_on_that_months_subscribers(
    app: FastAPI, client: httpx.AsyncClient, charged: Charged, clock: FrozenClock
) -> None:
    """Carys stops on 20 March; Dai joins and subscribes in April. March's charge falls on
    all three March subscribers, April's on Anwen, Bryn and Dai."""
    await fund(app, charged, *charged.holders)
    anwen, bryn, carys = charged.holders
    clock.set(datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
    async with built(app) as b:
        coop = await b.coop_by_id(charged.coop_id)
        service = await shared_services.get_service(
            b.session, coop_id=coop.id, service_id=charged.service_id
        )
        await shared_services.unsubscribe(
            b.session,
            await b.actor(carys),
            service,
            await b.member_of(coop, carys),
            today=local_date(b.now),
        )
    clock.set(datetime(2026, 4, 6, 9, 0, tzinfo=UTC))
    async with built(app) as b:
        await b.sign_in(charged.admin)
        coop = await b.coop_by_id(charged.coop_id)
        service = await shared_services.get_service(
            b.session, coop_id=coop.id, service_id=charged.service_id
        )
        dai = await b.person(full_name="Dai")
        dai_member = await b.join(coop, dai, charged.admin)
        await b.award(dai, start_date=clock.now().date())
        await subscribe(b, service, dai_member, dai)
        await b.contribute(dai_member, dai, amount_pence=2_000)

    march = await charge(client, charged, {"period": "2026-03"})
    assert march.status_code == 201, march.text
    first, second, third = charged.member_ids
    assert [(p["account"], p["amount_pence"]) for p in march.json()["postings"]] == [
        (f"member:{first}", -334),
        (f"member:{second}", -333),
        (f"member:{third}", -333),
        ("shared", 1_000),
    ]
    april = await charge(client, charged, {"period": "2026-04"})
    assert april.status_code == 201, april.text
    assert [(p["account"], p["amount_pence"]) for p in april.json()["postings"]] == [
        (f"member:{first}", -334),
        (f"member:{second}", -333),
        (f"member:{dai_member.id}", -333),
        ("shared", 1_000),
    ]
    del anwen, bryn


async def test_a_member_who_left_in_the_month_is_named_when_charged_after_leaving(
    app: FastAPI,
    client: httpx.AsyncClient,
    charged: Charged,
    clock: FrozenClock,
    session: AsyncSession,
) -> None:
    """SPEC's rule keeps a leaver among the month's subscribers, but leaving refunded their
    balance: charge the month before they leave."""
    await fund(app, charged, *charged.holders)
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
    app: FastAPI, client: httpx.AsyncClient, charged: Charged, session: AsyncSession
) -> None:
    await fund(app, charged, *charged.holders)
    response = await charge(client, charged, {"period": "2026-03"}, who=charged.holders[0])
    problem(response, 403, "forbidden")
    async with built(app) as b:
        elsewhere = await b.person(full_name="Elen")
        other_coop = await b.coop(elsewhere, name="Cwmni Arall")
        other_service = await support_service(b, other_coop, elsewhere)
    problem(await charge(client, charged, {"period": "2026-03"}, who=elsewhere), 404, "not_found")
    problem(
        await charge(client, charged, {"period": "2026-03"}, service_id=other_service.id),
        404,
        "not_found",
    )
    # A mandate never carries an administrator's powers, whatever its scopes.
    representative = await register_person(client, full_name="Rhys")
    await grant_mandate(
        client,
        charged.admin,
        representative,
        scopes=("view", "contribute", "vote", "refund", "support"),
    )
    problem(
        await client.post(
            charged.url(),
            json={"period": "2026-03"},
            headers={
                **representative.on_behalf_of(charged.admin),
                "Idempotency-Key": uuid.uuid4().hex,
            },
        ),
        403,
        "outside_mandate",
    )
    assert await charges_posted(session, charged.coop_id) == 0


async def test_each_member_charged_sees_their_share_in_their_activity(
    app: FastAPI, client: httpx.AsyncClient, charged: Charged
) -> None:
    await fund(app, charged, *charged.holders)
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
