import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.auth.actor import Actor
from app.auth.models import User
from app.core.clock import FrozenClock
from app.ledger import service as ledger
from app.ledger.models import LedgerAccount, LedgerTransaction
from app.tenders.invoices.limits import allowance_minutes, line_amount
from app.tenders.models import Invoice
from tests.factories import Person, contribute, grant_mandate, register_person, set_direct_payment
from tests.helpers import ok, problem
from tests.lock_order import watching_locks
from tests.tenders.conftest import World, travel
from tests.tenders.helpers import audit_entries, count
from tests.tenders.test_contracts import contracted

RATE = 2135
WEEK = ("2026-03-27", "2026-04-02")


def line(member_id: uuid.UUID, minutes: int, description: str = "Morning calls") -> dict[str, Any]:
    return {"member_id": str(member_id), "minutes": minutes, "description": description}


def invoice_body(*lines: dict[str, Any], period: tuple[str, str] = WEEK) -> dict[str, Any]:
    return {"period_start": period[0], "period_end": period[1], "lines": list(lines)}


# The day after the last period these tests invoice: care is invoiced once delivered.
INVOICING_DAY = datetime(2026, 4, 13, 9, tzinfo=UTC)


async def invoiceable(clock: FrozenClock, world: World) -> tuple[uuid.UUID, uuid.UUID]:
    """(tender, contract), contracted before WEEK and the clock moved on to INVOICING_DAY."""
    ids = await contracted(clock, world)
    await travel(clock, world, INVOICING_DAY - clock.now())
    return ids


async def submit(
    client: httpx.AsyncClient, contract_id: uuid.UUID, staff: Person, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        f"/api/v1/contracts/{contract_id}/invoices", json=body, headers=staff.headers
    )


async def submitted(
    client: httpx.AsyncClient, contract_id: uuid.UUID, staff: Person, body: dict[str, Any]
) -> dict[str, Any]:
    response = await submit(client, contract_id, staff, body)
    assert response.status_code == 201, response.text
    invoice: dict[str, Any] = response.json()
    return invoice


DISPUTE_WINDOW = timedelta(days=2)


async def past_the_dispute_window(
    client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> None:
    """The co-op's default `invoice_dispute_days` (2) after the invoices were submitted: the
    members have had their time to dispute, and approval is open."""
    await travel(clock, world, DISPUTE_WINDOW)


async def fund(client: httpx.AsyncClient, world: World, holder: Person, pence: int) -> None:
    await set_direct_payment(client, holder, weekly_amount_pence=50_000)
    response = await contribute(client, world.coop_id, holder, amount_pence=pence)
    assert response.status_code == 201, response.text


async def balances(session: AsyncSession, coop_id: uuid.UUID) -> dict[str, int]:
    rows = await session.execute(
        select(LedgerAccount.code, LedgerAccount.balance_pence).where(
            LedgerAccount.coop_id == coop_id
        )
    )
    return {row[0]: row[1] for row in rows.all()}


class TestArithmetic:
    @pytest.mark.parametrize(
        ("minutes", "pence"),
        [(600, 21_350), (45, 1_601), (6, 214), (1, 36), (60, 2_135)],
    )
    def test_a_line_costs_the_rate_for_its_minutes_to_the_nearest_penny_halves_up(
        self, minutes: int, pence: int
    ) -> None:
        # 6 minutes at 2135 an hour is 213.5 pence exactly: half up, 214.
        assert line_amount(RATE, minutes) == pence

    def test_the_allowance_is_exact(self) -> None:
        assert allowance_minutes(10, date(2026, 3, 27), date(2026, 4, 2)) == 600
        assert allowance_minutes(10, date(2026, 3, 27), date(2026, 3, 27)) * 7 == 600


class TestSubmitInvoice:
    async def test_the_provider_invoices_within_the_call_offs(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        response = await submit(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 600), line(world.holder_b_member_id, 6)),
        )
        assert response.status_code == 201, response.text
        body = response.json()
        provider = (await client.get(f"/api/v1/providers/{world.provider_2}")).json()
        assert body == {
            "id": body["id"],
            "contract_id": str(contract_id),
            "provider_name": provider["name"],
            "period_start": "2026-03-27",
            "period_end": "2026-04-02",
            "status": "submitted",
            "total_pence": 21_350 + 214,
            "lines": [
                {
                    "id": body["lines"][0]["id"],
                    **line(world.holder_a_member_id, 600),
                    "amount_pence": 21_350,
                    "status": "ok",
                    "visit_ids": [],
                    "accepted_at": None,
                },
                {
                    "id": body["lines"][1]["id"],
                    **line(world.holder_b_member_id, 6),
                    "amount_pence": 214,
                    "status": "ok",
                    "visit_ids": [],
                    "accepted_at": None,
                },
            ],
        }
        [entry] = await audit_entries(session, prefix="invoice.submitted")
        assert entry.data == {
            "contract_id": str(contract_id),
            "total_pence": 21_564,
            "lines": 2,
            "visits": 0,
        }

    async def test_a_line_beyond_the_call_off_is_refused(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        body = problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(line(world.holder_a_member_id, 601)),
            ),
            422,
            "beyond_call_off",
        )
        assert body["members"] == [str(world.holder_a_member_id)]
        assert await count(session, Invoice) == 0

    async def test_the_allowance_of_a_single_day_is_compared_exactly(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        # 10 hours a week for one day is 600/7 = 85.71 minutes: 85 fits, 86 does not.
        _, contract_id = await invoiceable(clock, world)
        day = ("2026-03-27", "2026-03-27")
        problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(line(world.holder_a_member_id, 86), period=day),
            ),
            422,
            "beyond_call_off",
        )
        await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 85), period=day),
        )

    async def test_lines_of_one_invoice_add_up_against_the_call_off(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(
                    line(world.holder_b_member_id, 200), line(world.holder_b_member_id, 161)
                ),
            ),
            422,
            "beyond_call_off",
        )

    async def test_invoices_for_overlapping_periods_share_the_allowance(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 300))
        )
        overlapping = ("2026-03-30", "2026-04-05")
        problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(line(world.holder_a_member_id, 301), period=overlapping),
            ),
            422,
            "beyond_call_off",
        )
        await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 300), period=overlapping),
        )
        following = ("2026-04-06", "2026-04-12")
        await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 600), period=following),
        )
        assert await count(session, Invoice) == 3

    async def test_a_voided_line_does_not_count(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        first = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 600))
        )
        line_id = first["lines"][0]["id"]
        ok(
            await client.post(
                f"/api/v1/invoices/{first['id']}/lines/{line_id}/dispute",
                json={"reason": "Nobody came on Tuesday."},
                headers=world.holder_a.headers,
            )
        )
        ok(
            await client.post(
                f"/api/v1/invoices/{first['id']}/lines/{line_id}/resolve",
                json={"outcome": "upheld", "note": "The rota confirms it."},
                headers=world.admin.headers,
            )
        )
        await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 600))
        )

    async def test_a_line_for_someone_without_a_call_off_is_refused(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        stranger = uuid.uuid4()
        body = problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(line(world.holder_a_member_id, 60), line(stranger, 60)),
            ),
            422,
            "no_call_off",
        )
        assert body["members"] == [str(stranger)]
        assert await count(session, Invoice) == 0

    async def test_a_period_that_ends_before_it_starts_is_refused(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(
                    line(world.holder_a_member_id, 60), period=("2026-04-02", "2026-03-27")
                ),
            ),
            422,
            "validation_error",
        )

    async def test_only_the_providers_staff_invoice(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        body = invoice_body(line(world.holder_a_member_id, 60))
        for person in (world.admin, world.holder_a):
            problem(await submit(client, contract_id, person, body), 403, "forbidden")
        for person in (world.staff_1, world.outsider):
            problem(await submit(client, contract_id, person, body), 404, "not_found")
        assert await count(session, Invoice) == 0


class TestReadInvoices:
    async def test_a_member_sees_their_own_lines_and_total_only(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 600), line(world.holder_b_member_id, 60)),
        )
        url = f"/api/v1/invoices/{invoice['id']}"
        mine = (await client.get(url, headers=world.holder_b.headers)).json()
        assert [ln["member_id"] for ln in mine["lines"]] == [str(world.holder_b_member_id)]
        assert mine["total_pence"] == 2_135
        for person in (world.admin, world.staff_2):
            everything = (await client.get(url, headers=person.headers)).json()
            assert everything["total_pence"] == 21_350 + 2_135
            assert len(everything["lines"]) == 2
        for person in (world.carer, world.staff_1, world.outsider, world.platform_admin):
            problem(await client.get(url, headers=person.headers), 404, "not_found")

    async def test_the_contracts_invoices_newest_first_a_member_only_theirs(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        first = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 60))
        )
        clock.advance(timedelta(minutes=1))
        second = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_b_member_id, 60))
        )
        url = f"/api/v1/contracts/{contract_id}/invoices"
        everything = (await client.get(url, headers=world.admin.headers)).json()
        assert [i["id"] for i in everything["items"]] == [second["id"], first["id"]]
        mine = (await client.get(url, headers=world.holder_a.headers)).json()
        assert [i["id"] for i in mine["items"]] == [first["id"]]
        problem(await client.get(url, headers=world.outsider.headers), 404, "not_found")


async def disputed(
    client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> tuple[dict[str, Any], str]:
    """An invoice with a line for each holder; holder A's is disputed."""
    _, contract_id = await invoiceable(clock, world)
    invoice = await submitted(
        client,
        contract_id,
        world.staff_2,
        invoice_body(line(world.holder_a_member_id, 120), line(world.holder_b_member_id, 60)),
    )
    line_id = str(invoice["lines"][0]["id"])
    response = await client.post(
        f"/api/v1/invoices/{invoice['id']}/lines/{line_id}/dispute",
        json={"reason": "Only one visit took place."},
        headers=world.holder_a.headers,
    )
    assert response.status_code == 200, response.text
    return response.json(), line_id


class TestDispute:
    async def test_the_member_disputes_their_line(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        invoice, line_id = await disputed(client, clock, world)
        assert [ln["status"] for ln in invoice["lines"]] == ["disputed"]
        [entry] = await audit_entries(session, prefix="invoice.line_disputed")
        assert entry.data == {"line_id": line_id, "member_id": str(world.holder_a_member_id)}

    async def test_a_line_is_disputed_once(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        invoice, line_id = await disputed(client, clock, world)
        problem(
            await client.post(
                f"/api/v1/invoices/{invoice['id']}/lines/{line_id}/dispute",
                json={"reason": "Again"},
                headers=world.holder_a.headers,
            ),
            409,
            "invalid_transition",
        )

    async def test_nobody_else_disputes_a_members_line(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 60), line(world.holder_b_member_id, 60)),
        )
        url = f"/api/v1/invoices/{invoice['id']}/lines/{invoice['lines'][0]['id']}/dispute"
        body = {"reason": "Not mine to dispute"}
        for person in (world.admin, world.staff_2):
            problem(await client.post(url, json=body, headers=person.headers), 403, "forbidden")
        problem(await client.post(url, json=body, headers=world.holder_b.headers), 404, "not_found")

    async def test_a_representative_with_view_disputes_for_the_holder(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 60))
        )
        representative = await register_person(client)
        await grant_mandate(client, world.holder_a, representative, scopes=("view",))
        response = await client.post(
            f"/api/v1/invoices/{invoice['id']}/lines/{invoice['lines'][0]['id']}/dispute",
            json={"reason": "Mam says nobody came."},
            headers=representative.on_behalf_of(world.holder_a),
        )
        assert response.status_code == 200, response.text


class TestResolve:
    @pytest.mark.parametrize(
        ("outcome", "status", "total"), [("upheld", "voided", 2_135), ("rejected", "ok", 6_405)]
    )
    async def test_an_admin_settles_the_dispute(
        self,
        client: httpx.AsyncClient,
        clock: FrozenClock,
        world: World,
        outcome: str,
        status: str,
        total: int,
    ) -> None:
        invoice, line_id = await disputed(client, clock, world)
        response = await client.post(
            f"/api/v1/invoices/{invoice['id']}/lines/{line_id}/resolve",
            json={"outcome": outcome, "note": "Checked against the visit log."},
            headers=world.admin.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["lines"][0]["status"] == status
        assert response.json()["total_pence"] == total

    async def test_only_a_disputed_line_is_resolved_and_only_by_an_admin(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        invoice, line_id = await disputed(client, clock, world)
        url = f"/api/v1/invoices/{invoice['id']}/lines/{line_id}/resolve"
        body = {"outcome": "upheld", "note": "Agreed"}
        for person in (world.holder_a, world.staff_2):
            problem(await client.post(url, json=body, headers=person.headers), 403, "forbidden")
        assert (await client.post(url, json=body, headers=world.admin.headers)).status_code == 200
        problem(
            await client.post(url, json=body, headers=world.admin.headers),
            409,
            "invalid_transition",
        )


class TestApprove:
    async def test_approval_charges_each_member_and_credits_the_provider_in_one_transaction(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        await fund(client, world, world.holder_a, 30_000)
        await fund(client, world, world.holder_b, 5_000)
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(
                line(world.holder_a_member_id, 300),
                line(world.holder_a_member_id, 300),
                line(world.holder_b_member_id, 6),
            ),
        )
        await past_the_dispute_window(client, clock, world)
        key = {"Idempotency-Key": "approve-march"}
        url = f"/api/v1/invoices/{invoice['id']}/approve"
        response = await client.post(url, headers={**world.admin.headers, **key})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "approved"
        books = await balances(session, world.coop_id)
        assert books[f"member:{world.holder_a_member_id}"] == 30_000 - 21_350
        assert books[f"member:{world.holder_b_member_id}"] == 5_000 - 214
        assert books[f"provider:{world.provider_2}"] == 21_564
        stored = await session.get(Invoice, uuid.UUID(invoice["id"]))
        assert stored is not None
        transaction = await session.scalar(
            select(LedgerTransaction).where(LedgerTransaction.id == stored.approval_transaction_id)
        )
        assert transaction is not None
        assert transaction.kind == "invoice_approval"
        replay = await client.post(url, headers={**world.admin.headers, **key})
        assert (replay.status_code, replay.content) == (200, response.content)
        assert await count(session, LedgerTransaction, kind="invoice_approval") == 1

    async def test_approval_with_an_open_dispute_is_refused(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        await fund(client, world, world.holder_a, 30_000)
        await fund(client, world, world.holder_b, 30_000)
        invoice, _ = await disputed(client, clock, world)
        before = await balances(session, world.coop_id)
        problem(
            await client.post(
                f"/api/v1/invoices/{invoice['id']}/approve", headers=world.admin.headers
            ),
            409,
            "invoice_disputed",
        )
        assert await balances(session, world.coop_id) == before
        assert await count(session, LedgerTransaction, kind="invoice_approval") == 0

    async def test_a_member_short_of_funds_refuses_the_whole_invoice(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        await fund(client, world, world.holder_a, 30_000)
        await fund(client, world, world.holder_b, 100)
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 600), line(world.holder_b_member_id, 60)),
        )
        await past_the_dispute_window(client, clock, world)
        before = await balances(session, world.coop_id)
        body = problem(
            await client.post(
                f"/api/v1/invoices/{invoice['id']}/approve", headers=world.admin.headers
            ),
            409,
            "insufficient_member_funds",
        )
        # 60 minutes at 2,135p an hour with 100p in the pool: 2,035p short. Administrators
        # are told who.
        assert body["members"] == [
            {
                "member_id": str(world.holder_b_member_id),
                "holder_name": "Hawys Holder",
                "short_by_pence": 2_035,
            }
        ]
        assert await balances(session, world.coop_id) == before
        assert await count(session, LedgerTransaction, kind="invoice_approval") == 0
        stored = await session.get(Invoice, uuid.UUID(invoice["id"]))
        assert stored is not None
        assert stored.status == "submitted"

    async def test_only_the_coops_administrators_are_told_who_is_short(
        self, session: AsyncSession, world: World
    ) -> None:
        short = [ledger.Shortfall(member_id=world.holder_b_member_id, short_by_pence=2_035)]
        for person, name in (
            (world.admin, "Hawys Holder"),
            (world.holder_a, None),
            (world.platform_admin, None),
            (world.outsider, None),
        ):
            user = await session.get(User, person.id)
            assert user is not None
            error = await ledger.insufficient_member_funds(
                session, Actor(user=user), coop_id=world.coop_id, short=short
            )
            assert error.extra["members"] == [
                {
                    "member_id": str(world.holder_b_member_id),
                    "holder_name": name,
                    "short_by_pence": 2_035,
                }
            ]

    async def test_a_voided_line_is_not_charged(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        await fund(client, world, world.holder_b, 30_000)
        invoice, line_id = await disputed(client, clock, world)
        ok(
            await client.post(
                f"/api/v1/invoices/{invoice['id']}/lines/{line_id}/resolve",
                json={"outcome": "upheld", "note": "No visit."},
                headers=world.admin.headers,
            )
        )
        await past_the_dispute_window(client, clock, world)
        response = await client.post(
            f"/api/v1/invoices/{invoice['id']}/approve", headers=world.admin.headers
        )
        assert response.status_code == 200, response.text
        books = await balances(session, world.coop_id)
        assert books[f"member:{world.holder_a_member_id}"] == 0
        assert books[f"member:{world.holder_b_member_id}"] == 30_000 - 2_135

    async def test_only_admins_approve_and_only_once(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        await fund(client, world, world.holder_a, 30_000)
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 60))
        )
        url = f"/api/v1/invoices/{invoice['id']}/approve"
        for person in (world.holder_a, world.staff_2):
            problem(await client.post(url, headers=person.headers), 403, "forbidden")
        await past_the_dispute_window(client, clock, world)
        assert (await client.post(url, headers=world.admin.headers)).status_code == 200
        problem(await client.post(url, headers=world.admin.headers), 409, "invalid_transition")


class TestPay:
    async def test_paying_moves_the_providers_money_out(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        await fund(client, world, world.holder_a, 30_000)
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 600))
        )
        url = f"/api/v1/invoices/{invoice['id']}"
        problem(
            await client.post(url + "/pay", headers=world.admin.headers), 409, "invalid_transition"
        )
        await past_the_dispute_window(client, clock, world)
        ok(await client.post(url + "/approve", headers=world.admin.headers))
        key = {"Idempotency-Key": "pay-march"}
        paid = await client.post(url + "/pay", headers={**world.admin.headers, **key})
        assert paid.status_code == 200, paid.text
        assert paid.json()["status"] == "paid"
        books = await balances(session, world.coop_id)
        assert books[f"provider:{world.provider_2}"] == 0
        replay = await client.post(url + "/pay", headers={**world.admin.headers, **key})
        assert replay.content == paid.content
        assert await count(session, LedgerTransaction, kind="invoice_payment") == 1
        problem(
            await client.post(url + "/pay", headers=world.admin.headers), 409, "invalid_transition"
        )

    async def test_only_admins_pay(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        invoice = await submitted(
            client, contract_id, world.staff_2, invoice_body(line(world.holder_a_member_id, 60))
        )
        for person in (world.holder_a, world.staff_2):
            problem(
                await client.post(f"/api/v1/invoices/{invoice['id']}/pay", headers=person.headers),
                403,
                "forbidden",
            )


class TestInvoicePeriod:
    async def test_care_not_yet_delivered_cannot_be_invoiced(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await invoiceable(clock, world)
        today = clock.now().date()
        ends_tomorrow = (today.isoformat(), (today + timedelta(days=1)).isoformat())
        body = problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(line(world.holder_a_member_id, 60), period=ends_tomorrow),
            ),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [["body", "period_end"]]
        assert await count(session, Invoice) == 0
        ends_today = (today.isoformat(), today.isoformat())
        await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(line(world.holder_a_member_id, 60), period=ends_today),
        )

    async def test_care_before_the_contract_cannot_be_invoiced_under_it(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        _, contract_id = await contracted(clock, world)
        began = clock.now().date()
        await travel(clock, world, timedelta(days=7))
        day_before = (began - timedelta(days=1)).isoformat()
        body = problem(
            await submit(
                client,
                contract_id,
                world.staff_2,
                invoice_body(line(world.holder_a_member_id, 60), period=(day_before, day_before)),
            ),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [["body", "period_start"]]
        assert began.isoformat() in body["errors"][0]["msg"]
        assert await count(session, Invoice) == 0
        await submitted(
            client,
            contract_id,
            world.staff_2,
            invoice_body(
                line(world.holder_a_member_id, 60), period=(began.isoformat(), began.isoformat())
            ),
        )


@pytest.mark.postgresql_only
async def test_approval_locks_every_charged_membership_before_the_accounts(
    client: httpx.AsyncClient, connection: AsyncConnection, clock: FrozenClock, world: World
) -> None:
    """The lock order of money (membership, co-op, accounts) holds for invoice approval too,
    so it cannot wait in a circle with a leave, nor charge past one."""
    await fund(client, world, world.holder_a, 30_000)
    await fund(client, world, world.holder_b, 5_000)
    _, contract_id = await invoiceable(clock, world)
    invoice = await submitted(
        client,
        contract_id,
        world.staff_2,
        invoice_body(line(world.holder_a_member_id, 300), line(world.holder_b_member_id, 6)),
    )
    await past_the_dispute_window(client, clock, world)
    with watching_locks(connection) as locks:
        response = await client.post(
            f"/api/v1/invoices/{invoice['id']}/approve", headers=world.admin.headers
        )
    assert response.status_code == 200, response.text
    locks.assert_memberships_before_accounts(world.holder_a_member_id, world.holder_b_member_id)
