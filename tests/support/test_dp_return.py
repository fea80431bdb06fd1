"""The quarterly Direct Payment return: it reconciles with the ledger, figure by figure."""

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.core.clock import FrozenClock, day_range
from app.ledger import refunds
from app.ledger import service as ledger
from app.ledger.models import LedgerAccount, LedgerPosting, LedgerTransaction, TransactionKind
from app.support import charges, shared_services
from app.workflows import membership
from tests.factories import (
    Person,
    create_coop,
    grant_mandate,
    join_coop,
    register_person,
)
from tests.helpers import ok, problem
from tests.replay import replayed
from tests.stats.built import built
from tests.support.conftest import subscribe, support_service

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
    app: FastAPI, session: AsyncSession, clock: FrozenClock, connection: AsyncConnection
) -> Quarterly:
    """The same quarter in every test: built once per backend, then its rows written back
    (tests.replay); the clock is left on 20 April as the build leaves it."""
    return await replayed(
        "support.quarterly", connection, app, lambda: build_quarterly(app, session, clock)
    )


async def build_quarterly(app: FastAPI, session: AsyncSession, clock: FrozenClock) -> Quarterly:
    """Q1 2026 (from 2 March): Anwen pays in 50,000; March's 1,000 payroll is split with Bryn
    (500 each); she buys 3,000 of care from a one-service provider (plus 500 more, reversed)
    and 2,000 from a provider of several; she takes 1,000 back. Q2: she pays in 10,000, April
    is charged, and she leaves on 20 April (the rest is refunded)."""
    async with built(app) as b:
        admin = await b.person(full_name="Ada Admin")
        coop = await b.coop(admin)
        anwen = await b.person(full_name="Anwen")
        anwen_member = await b.join(coop, anwen, admin)
        clock.advance(timedelta(minutes=1))
        bryn = await b.person(full_name="Bryn")
        bryn_member = await b.join(coop, bryn, admin)
        await b.award(anwen, weekly_amount_pence=25_000)
        await b.award(bryn)
        staff = await b.person(full_name="Staff", signed_in=False)
        single = await b.provider(staff, name=WELSH_NAME, service_types=["respite"])
        several = await b.provider(staff, service_types=["respite", "domiciliary_support"])
        service = await support_service(b, coop, admin, monthly_fee_pence=1_000)
        await subscribe(b, service, anwen_member, anwen)
        await subscribe(b, service, bryn_member, bryn)
        await b.contribute(anwen_member, anwen, amount_pence=50_000)
        await b.contribute(bryn_member, bryn, amount_pence=5_000)
        await charges.charge(
            b.session, await b.actor(admin), service, period="2026-03", amount_pence=None, now=b.now
        )
    world = Quarterly(
        coop.id, admin, anwen, anwen_member.id, bryn, bryn_member.id, single.id, several.id
    )
    march = clock.now() + timedelta(days=5)
    await invoice(session, world, world.single_provider, 3_000, march)
    mistaken = await invoice(session, world, world.single_provider, 500, march)
    await ledger.post(
        session,
        None,
        coop_id=coop.id,
        kind=TransactionKind.reversal,
        memo="Invoice entered twice",
        lines=[
            ledger.Line(ledger.provider_account(world.single_provider), -500),
            ledger.Line(ledger.member_account(anwen_member.id), 500),
        ],
        now=march,
        reverses_id=mistaken,
    )
    await session.commit()
    await invoice(session, world, world.several_provider, 2_000, march)
    async with built(app) as b:
        member = await b.member(coop.id, anwen_member.id)
        refund = await refunds.request_refund(
            b.session,
            await b.actor(anwen),
            member,
            member,
            amount_pence=1_000,
            reason="Moving to a care home",
            now=b.now,
        )
        assert refund.status == "posted"

    clock.set(datetime(2026, 4, 10, 9, 0, tzinfo=UTC))
    async with built(app) as b:
        await b.contribute(await b.member(coop.id, anwen_member.id), anwen, amount_pence=10_000)
        service = await shared_services.get_service(
            b.session, coop_id=coop.id, service_id=service.id
        )
        await charges.charge(
            b.session, await b.actor(admin), service, period="2026-04", amount_pence=None, now=b.now
        )
    clock.set(datetime(2026, 4, 20, 9, 0, tzinfo=UTC))
    async with built(app) as b:
        leaver = await b.member(coop.id, anwen_member.id)
        await membership.leave_coop(b.session, await b.actor(admin), leaver, now=b.now)
        for person in (admin, anwen, bryn):
            await b.sign_in(person)
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
        "care_movements": response.json()["care_movements"],
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
    body = ok(
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
    statement = ok(
        await client.get(
            f"/api/v1/coops/{quarterly.coop_id}/members/{quarterly.anwen_member}/statement",
            params={"from": first.isoformat(), "to": last.isoformat()},
            headers=quarterly.admin.headers,
        )
    ).json()
    assert body["opening_balance_pence"] == statement["opening_balance_pence"]
    assert body["closing_balance_pence"] == statement["closing_balance_pence"]


async def test_leaving_counts_as_a_refund(client: httpx.AsyncClient, quarterly: Quarterly) -> None:
    body = ok(
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
    assert rows[0] == [
        "line",
        "service_type",
        "provider_id",
        "provider_name",
        "value",
        "invoice_id",
    ]
    figures = {row[0]: row[4] for row in rows[1:] if row[0] not in ("care_bought", "care_movement")}
    assert figures["closing_balance_pence"] == "43500"
    assert figures["period"] == "2026-Q1"
    care = [row for row in rows if row[0] == "care_bought"]
    assert care[0] == [
        "care_bought",
        "respite",
        str(quarterly.single_provider),
        WELSH_NAME,
        "3000",
        "",
    ]
    # Each payment for care, with its provider (posted here without an invoice).
    several_name = care[1][3]
    assert [row[3:] for row in rows if row[0] == "care_movement"] == [
        [WELSH_NAME, "3000", ""],
        [WELSH_NAME, "500", ""],
        [WELSH_NAME, "-500", ""],
        [several_name, "2000", ""],
    ]


async def test_a_member_without_an_account_history_gets_zeros(
    client: httpx.AsyncClient, quarterly: Quarterly
) -> None:
    body = ok(
        await client.get(
            quarterly.url(quarterly.bryn_member),
            params={"period": "2025-Q4"},
            headers=quarterly.bryn.headers,
        )
    ).json()
    assert body["opening_balance_pence"] == body["closing_balance_pence"] == 0
    assert body["care_bought"] == []


@pytest.mark.parametrize("period", ["2026-Q5", "2026-Q0", "2026Q1", "2026-13", "FY26", ""])
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


async def test_each_payment_for_care_is_listed_with_its_provider(
    client: httpx.AsyncClient, quarterly: Quarterly
) -> None:
    body = (
        await client.get(
            quarterly.url(), params={"period": "2026-Q1"}, headers=quarterly.admin.headers
        )
    ).json()
    movements = body["care_movements"]
    several_name = body["care_bought"][1]["provider_name"]
    assert [(m["amount_pence"], m["provider_name"], m["invoice_id"]) for m in movements] == [
        (3_000, WELSH_NAME, None),
        (500, WELSH_NAME, None),
        (-500, WELSH_NAME, None),
        (2_000, several_name, None),
    ]
    assert sum(m["amount_pence"] for m in movements) == body["care_total_pence"]


@pytest.mark.parametrize(
    ("params", "period", "first", "last"),
    [
        ({"period": "2026-03"}, "2026-03", "2026-03-01", "2026-03-31"),
        ({"period": "2026-02"}, "2026-02", "2026-02-01", "2026-02-28"),
        ({"period": "FY2025"}, "FY2025", "2025-04-01", "2026-03-31"),
        ({"period": "FY2026"}, "FY2026", "2026-04-01", "2027-03-31"),
        ({"from": "2026-03-05", "to": "2026-04-15"}, None, "2026-03-05", "2026-04-15"),
    ],
)
async def test_a_month_a_financial_year_or_any_days(
    client: httpx.AsyncClient,
    quarterly: Quarterly,
    params: dict[str, str],
    period: str | None,
    first: str,
    last: str,
) -> None:
    response = await client.get(quarterly.url(), params=params, headers=quarterly.admin.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["period"], body["from"], body["to"]) == (period, first, last)
    assert body["closing_balance_pence"] == (
        body["opening_balance_pence"]
        + body["contributions_pence"]
        - body["care_total_pence"]
        - body["shared_charges_pence"]
        - body["refunds_pence"]
    )


async def test_the_financial_year_holds_both_quarters_of_spring(
    client: httpx.AsyncClient, quarterly: Quarterly
) -> None:
    async def get(period: str) -> dict[str, int]:
        response = await client.get(
            quarterly.url(), params={"period": period}, headers=quarterly.admin.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, int] = response.json()
        return body

    year, march = await get("FY2025"), await get("2026-03")
    # Everything of FY2025 happened in March 2026 (the account opened on 2 March).
    assert year["contributions_pence"] == march["contributions_pence"] == 50_000
    assert year["closing_balance_pence"] == march["closing_balance_pence"] == 43_500
    april = await get("FY2026")
    assert april["opening_balance_pence"] == 43_500
    assert april["closing_balance_pence"] == 0


@pytest.mark.parametrize(
    ("params", "locs"),
    [
        ({}, [["query", "period"]]),
        ({"from": "2026-03-01"}, [["query", "to"]]),
        ({"to": "2026-03-31"}, [["query", "from"]]),
        ({"period": "2026-Q1", "from": "2026-03-01"}, [["query", "from"]]),
        (
            {"period": "2026-Q1", "from": "2026-03-01", "to": "2026-03-31"},
            [["query", "from"], ["query", "to"]],
        ),
        ({"from": "2026-03-31", "to": "2026-03-01"}, [["query", "from"]]),
    ],
)
async def test_exactly_one_of_period_or_from_and_to(
    client: httpx.AsyncClient,
    quarterly: Quarterly,
    params: dict[str, str],
    locs: list[list[str]],
) -> None:
    response = await client.get(quarterly.url(), params=params, headers=quarterly.admin.headers)
    body = problem(response, 422, "validation_error")
    assert [error["loc"] for error in body["errors"]] == locs
