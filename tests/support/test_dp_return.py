"""The quarterly Direct Payment return: it reconciles with the ledger, figure by figure."""

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock, day_range
from app.ledger import service as ledger
from app.ledger.models import LedgerAccount, LedgerPosting, LedgerTransaction, TransactionKind
from tests.factories import (
    Person,
    contribute,
    create_coop,
    create_provider,
    create_support_service,
    grant_mandate,
    join_coop,
    register_person,
    request_refund,
    set_direct_payment,
    sign_in_again,
)
from tests.helpers import problem

WELSH_NAME = "Gofal Ŵyn a'i Ffrindiau, Llŷn"


@dataclass(frozen=True)
class Quarterly:
    coop_id: uuid.UUID
    admin: Person
    anwen: Person
    anwen_member: uuid.UUID
    bryn: Person
    bryn_member: uuid.UUID
    single_provider: uuid.UUID
    several_provider: uuid.UUID

    def url(self, member_id: uuid.UUID | None = None) -> str:
        return f"/api/v1/coops/{self.coop_id}/members/{member_id or self.anwen_member}/dp-return"


async def invoice(
    session: AsyncSession,
    world: Quarterly,
    provider_id: uuid.UUID,
    pence: int,
    at: datetime,
) -> uuid.UUID:
    """An approved invoice as the invoices domain will post it (member -> provider)."""
    await ledger.open_provider_account(
        session, coop_id=world.coop_id, provider_id=provider_id, now=at
    )
    transaction = await ledger.post(
        session,
        None,
        coop_id=world.coop_id,
        kind=TransactionKind.invoice_approval,
        memo="Invoice",
        lines=[
            ledger.Line(ledger.member_account(world.anwen_member), -pence),
            ledger.Line(ledger.provider_account(provider_id), pence),
        ],
        now=at,
    )
    await session.commit()
    return transaction.id


@pytest.fixture
async def quarterly(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
) -> Quarterly:
    """Q1 2026 (from 2 March): Anwen pays in 50,000; March's 1,000 payroll is split with Bryn
    (500 each); she buys 3,000 of care from a one-service provider (plus 500 more, reversed)
    and 2,000 from a provider of several; she takes 1,000 back. Q2: she pays in 10,000, April
    is charged, and she leaves on 20 April (the rest is refunded)."""
    admin = await register_person(client, full_name="Ada Admin")
    coop_id = await create_coop(client, admin)
    anwen = await register_person(client, full_name="Anwen")
    anwen_member = await join_coop(client, coop_id, anwen, admin)
    clock.advance(timedelta(minutes=1))
    bryn = await register_person(client, full_name="Bryn")
    bryn_member = await join_coop(client, coop_id, bryn, admin)
    await set_direct_payment(client, anwen, weekly_amount_pence=25_000)
    await set_direct_payment(client, bryn)
    staff = await register_person(client, full_name="Staff")
    single = await create_provider(client, staff, name=WELSH_NAME, service_types=["respite"])
    several = await create_provider(client, staff, service_types=["respite", "domiciliary_support"])
    world = Quarterly(
        coop_id,
        admin,
        anwen,
        anwen_member,
        bryn,
        bryn_member,
        uuid.UUID(single["id"]),
        uuid.UUID(several["id"]),
    )
    service = await create_support_service(client, coop_id, admin, monthly_fee_pence=1_000)
    for person in (anwen, bryn):
        subscribed = await client.post(
            f"/api/v1/coops/{coop_id}/support/services/{service}/subscription",
            headers=person.headers,
        )
        assert subscribed.status_code == 201, subscribed.text
    assert (await contribute(client, coop_id, anwen, amount_pence=50_000)).status_code == 201
    assert (await contribute(client, coop_id, bryn, amount_pence=5_000)).status_code == 201

    async def charge(period: str) -> None:
        response = await client.post(
            f"/api/v1/coops/{coop_id}/support/services/{service}/charges",
            json={"period": period},
            headers={**admin.headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.status_code == 201, response.text

    await charge("2026-03")
    march = clock.now() + timedelta(days=5)
    await invoice(session, world, world.single_provider, 3_000, march)
    mistaken = await invoice(session, world, world.single_provider, 500, march)
    await ledger.post(
        session,
        None,
        coop_id=coop_id,
        kind=TransactionKind.reversal,
        memo="Invoice entered twice",
        lines=[
            ledger.Line(ledger.provider_account(world.single_provider), -500),
            ledger.Line(ledger.member_account(anwen_member), 500),
        ],
        now=march,
        reverses_id=mistaken,
    )
    await session.commit()
    await invoice(session, world, world.several_provider, 2_000, march)
    refund = await request_refund(
        client, coop_id, anwen, member_id=anwen_member, amount_pence=1_000
    )
    assert refund.json()["status"] == "posted", refund.text

    clock.set(datetime(2026, 4, 10, 9, 0, tzinfo=UTC))
    await sign_in_again(client, admin, anwen, bryn)
    assert (await contribute(client, coop_id, anwen, amount_pence=10_000)).status_code == 201
    await charge("2026-04")
    clock.set(datetime(2026, 4, 20, 9, 0, tzinfo=UTC))
    await sign_in_again(client, admin, anwen, bryn)
    left = await client.post(
        f"/api/v1/coops/{coop_id}/members/{anwen_member}/leave", headers=admin.headers
    )
    assert left.status_code == 200, left.text
    return world


async def postings_of_kind(
    session: AsyncSession, world: Quarterly, first: date, last: date, *kinds: TransactionKind
) -> int:
    """The sum of the member's postings of those kinds on those days, straight from the ledger."""
    start, end = day_range(first, last)
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerPosting.amount_pence), 0))
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .where(
            LedgerAccount.code == ledger.member_account(world.anwen_member),
            LedgerTransaction.kind.in_(kinds),
            LedgerPosting.created_at >= start,
            LedgerPosting.created_at < end,
        )
    )
    return int(total or 0)


async def test_the_first_quarter(client: httpx.AsyncClient, quarterly: Quarterly) -> None:
    response = await client.get(
        quarterly.url(), params={"period": "2026-Q1"}, headers=quarterly.admin.headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "member_id": str(quarterly.anwen_member),
        "period": "2026-Q1",
        "from": "2026-01-01",
        "to": "2026-03-31",
        "opening_balance_pence": 0,
        "contributions_pence": 50_000,
        "contributions_by_source": {
            "direct_payment_pence": 50_000,
            "top_up_pence": 0,
            "client_contribution_pence": 0,
        },
        "care_bought": [
            {
                "service_type": "respite",
                "provider_id": str(quarterly.single_provider),
                "provider_name": WELSH_NAME,
                "amount_pence": 3_000,
            },
            {
                "service_type": None,
                "provider_id": str(quarterly.several_provider),
                "provider_name": response.json()["care_bought"][1]["provider_name"],
                "amount_pence": 2_000,
            },
        ],
        "care_total_pence": 5_000,
        "shared_charges_pence": 500,
        "payroll_pence": 0,
        "refunds_pence": 1_000,
        "closing_balance_pence": 43_500,
        "weeks_of_budget_held": "1.7",
        "surplus": False,
    }


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
async def test_the_return_reconciles_with_the_ledger(
    client: httpx.AsyncClient,
    session: AsyncSession,
    quarterly: Quarterly,
    period: str,
    first: date,
    last: date,
) -> None:
    body = (
        await client.get(
            quarterly.url(), params={"period": period}, headers=quarterly.admin.headers
        )
    ).json()
    assert (body["from"], body["to"]) == (first.isoformat(), last.isoformat())
    assert body["closing_balance_pence"] == (
        body["opening_balance_pence"]
        + body["contributions_pence"]
        - body["care_total_pence"]
        - body["shared_charges_pence"]
        - body["payroll_pence"]
        - body["refunds_pence"]
    )
    assert body["care_total_pence"] == sum(item["amount_pence"] for item in body["care_bought"])
    kinds = TransactionKind
    assert body["contributions_pence"] == await postings_of_kind(
        session, quarterly, first, last, kinds.contribution
    )
    # Care bought is net of reversals of invoices.
    assert -body["care_total_pence"] == await postings_of_kind(
        session, quarterly, first, last, kinds.invoice_approval, kinds.reversal
    )
    assert -body["shared_charges_pence"] == await postings_of_kind(
        session, quarterly, first, last, kinds.support_charge
    )
    assert -body["refunds_pence"] == await postings_of_kind(
        session, quarterly, first, last, kinds.refund, kinds.leaving_refund
    )
    # The balances agree with the member's statement for the same days.
    statement = (
        await client.get(
            f"/api/v1/coops/{quarterly.coop_id}/members/{quarterly.anwen_member}/statement",
            params={"from": first.isoformat(), "to": last.isoformat()},
            headers=quarterly.admin.headers,
        )
    ).json()
    assert body["opening_balance_pence"] == statement["opening_balance_pence"]
    assert body["closing_balance_pence"] == statement["closing_balance_pence"]


async def test_leaving_counts_as_a_refund(client: httpx.AsyncClient, quarterly: Quarterly) -> None:
    body = (
        await client.get(
            quarterly.url(), params={"period": "2026-Q2"}, headers=quarterly.admin.headers
        )
    ).json()
    assert body["opening_balance_pence"] == 43_500
    assert body["contributions_pence"] == 10_000
    assert body["shared_charges_pence"] == 500
    assert body["care_bought"] == []
    assert body["refunds_pence"] == 53_000
    assert body["closing_balance_pence"] == 0
    assert (body["weeks_of_budget_held"], body["surplus"]) == ("0.0", False)


async def test_csv_keeps_welsh_names(client: httpx.AsyncClient, quarterly: Quarterly) -> None:
    by_param = await client.get(
        quarterly.url(),
        params={"period": "2026-Q1", "format": "csv"},
        headers=quarterly.admin.headers,
    )
    by_accept = await client.get(
        quarterly.url(),
        params={"period": "2026-Q1"},
        headers={**quarterly.admin.headers, "Accept": "text/csv"},
    )
    for response in (by_param, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
    assert by_param.content == by_accept.content
    rows = list(csv.reader(io.StringIO(by_param.content.decode("utf-8-sig"))))
    assert rows[0] == ["line", "service_type", "provider_id", "provider_name", "value"]
    figures = {row[0]: row[4] for row in rows[1:] if row[0] != "care_bought"}
    assert figures["closing_balance_pence"] == "43500"
    assert figures["period"] == "2026-Q1"
    care = [row for row in rows if row[0] == "care_bought"]
    assert care[0] == [
        "care_bought",
        "respite",
        str(quarterly.single_provider),
        WELSH_NAME,
        "3000",
    ]


async def test_a_member_without_an_account_history_gets_zeros(
    client: httpx.AsyncClient, quarterly: Quarterly
) -> None:
    body = (
        await client.get(
            quarterly.url(quarterly.bryn_member),
            params={"period": "2025-Q4"},
            headers=quarterly.bryn.headers,
        )
    ).json()
    assert body["opening_balance_pence"] == body["closing_balance_pence"] == 0
    assert body["care_bought"] == []


@pytest.mark.parametrize("period", ["2026-Q5", "2026-Q0", "2026Q1", "2026-03", ""])
async def test_a_bad_period_is_422(
    client: httpx.AsyncClient, quarterly: Quarterly, period: str
) -> None:
    response = await client.get(
        quarterly.url(quarterly.bryn_member),
        params={"period": period},
        headers=quarterly.bryn.headers,
    )
    problem(response, 422, "validation_error")


class TestWhoMayRead:
    async def test_anonymous_is_401(self, client: httpx.AsyncClient, quarterly: Quarterly) -> None:
        response = await client.get(quarterly.url(), params={"period": "2026-Q1"})
        problem(response, 401, "not_authenticated")

    async def test_outsiders_and_other_coops_are_404(
        self, client: httpx.AsyncClient, quarterly: Quarterly
    ) -> None:
        outsider = await register_person(client, full_name="Owen")
        elsewhere = await register_person(client, full_name="Elen")
        await create_coop(client, elsewhere, name="Cwmni Arall")
        for person in (outsider, elsewhere):
            response = await client.get(
                quarterly.url(quarterly.bryn_member),
                params={"period": "2026-Q1"},
                headers=person.headers,
            )
            problem(response, 404, "not_found")

    async def test_a_member_may_not_read_another_members_return(
        self, client: httpx.AsyncClient, quarterly: Quarterly
    ) -> None:
        carys = await register_person(client, full_name="Carys")
        await join_coop(client, quarterly.coop_id, carys, quarterly.admin)
        response = await client.get(
            quarterly.url(quarterly.bryn_member),
            params={"period": "2026-Q1"},
            headers=carys.headers,
        )
        problem(response, 404, "not_found")

    async def test_the_member_and_an_administrator_may(
        self, client: httpx.AsyncClient, quarterly: Quarterly
    ) -> None:
        for person in (quarterly.bryn, quarterly.admin):
            response = await client.get(
                quarterly.url(quarterly.bryn_member),
                params={"period": "2026-Q1"},
                headers=person.headers,
            )
            assert response.status_code == 200, response.text
            assert response.json()["shared_charges_pence"] == 500

    async def test_a_representative_needs_view(
        self, client: httpx.AsyncClient, quarterly: Quarterly
    ) -> None:
        viewer = await register_person(client, full_name="Viewer")
        payer = await register_person(client, full_name="Payer")
        await grant_mandate(client, quarterly.bryn, viewer, scopes=("view",))
        await grant_mandate(
            client, quarterly.bryn, payer, scopes=("contribute",), limit_pence_per_cycle=100
        )
        url = quarterly.url(quarterly.bryn_member)
        allowed = await client.get(
            url, params={"period": "2026-Q1"}, headers=viewer.on_behalf_of(quarterly.bryn)
        )
        assert allowed.status_code == 200, allowed.text
        assert allowed.json()["contributions_pence"] == 5_000
        refused = await client.get(
            url, params={"period": "2026-Q1"}, headers=payer.on_behalf_of(quarterly.bryn)
        )
        problem(refused, 403, "outside_mandate")
