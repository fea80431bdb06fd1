"""Three pay periods of a holder's own personal assistant (four-weekly) and of the co-op's
employee shared by two holders (monthly): timesheets, confirmations, exports and results,
down to the ledger, the statements and the Direct Payment returns, to the penny."""

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.employment import service as employment
from tests.employment.conftest import Employer, fund
from tests.factories import Person, sign_in_again
from tests.helpers import ok, problem
from tests.ledger.checks import assert_books_balance

COOP = "Cydweithfa Gofal Caerdydd"
HEADER = (
    '"employment_id","worker_name","employer","period_start","period_end","minutes","hours",'
    '"hourly_rate_pence","gross_pence"\r\n'
)


def export_bytes(*rows: tuple[uuid.UUID, str, str, str, str, int, str, int, int]) -> bytes:
    text = HEADER + "".join(",".join(f'"{cell}"' for cell in row) + "\r\n" for row in rows)
    return ("\ufeff" + text).encode("utf-8")


def day(text: str, minutes: int, member: uuid.UUID | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"date": text, "minutes": minutes}
    if member is not None:
        entry["member_id"] = str(member)
    return entry


def result(employment_id: uuid.UUID, gross: int, ni: int, pension: int, net: int) -> dict[str, Any]:
    return {
        "employment_id": str(employment_id),
        "gross_pence": gross,
        "employer_ni_pence": ni,
        "employer_pension_pence": pension,
        "net_pence": net,
    }


class Payroll:
    def __init__(self, client: httpx.AsyncClient, employer: Employer) -> None:
        self.client, self.e = client, employer

    async def keep(
        self, who: Person, employment_id: uuid.UUID, start: str, entries: list[dict[str, Any]]
    ) -> None:
        ok(
            await self.client.put(
                self.e.timesheet(employment_id, start),
                json={"entries": entries},
                headers=who.headers,
            )
        )

    async def confirm(self, headers: dict[str, str], employment_id: uuid.UUID, start: str) -> None:
        url = self.e.timesheet(employment_id, start) + "/confirm"
        assert ok(await self.client.post(url, headers=headers)).json()["status"] == "confirmed"

    async def export(self, start: str) -> httpx.Response:
        response = await self.client.post(
            self.e.url(f"/payroll/{start}/export"), headers=self.e.admin.headers
        )
        assert response.status_code == 201, response.text
        again = await self.client.get(
            self.e.url(f"/payroll/{start}/export"), headers=self.e.admin.headers
        )
        assert again.content == response.content
        return response

    async def results(
        self, start: str, lines: list[dict[str, Any]], key: str | None = None
    ) -> dict[str, Any]:
        response = await self.client.post(
            self.e.url(f"/payroll/{start}/results"),
            json={"lines": lines},
            headers={**self.e.admin.headers, "Idempotency-Key": key or uuid.uuid4().hex},
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


async def move_to(client: httpx.AsyncClient, clock: FrozenClock, e: Employer, at: datetime) -> None:
    clock.set(at)
    await sign_in_again(client, e.admin, e.huw, e.bryn, e.carys, e.rep, e.sian, e.gareth)


async def test_three_pay_periods_from_timesheets_to_statements(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, employer: Employer
) -> None:
    e, payroll = employer, Payroll(client, employer)
    own, shared = e.huw_employment, e.coop_employment

    # Period 1 (today is 2 March): Siân's four weeks from 2 February, Gareth's February.
    await payroll.keep(
        e.sian,
        own,
        "2026-02-02",
        [day("2026-02-03", 300), day("2026-02-10", 300), day("2026-02-24", 305)],
    )
    await payroll.keep(
        e.gareth,
        shared,
        "2026-02-01",
        [
            day("2026-02-03", 120, e.bryn_member),
            day("2026-02-05", 200, e.carys_member),
            day("2026-02-10", 125, e.bryn_member),
        ],
    )
    problem(
        await client.post(e.url("/payroll/2026-02-02/export"), headers=e.admin.headers),
        409,
        "timesheets_unconfirmed",
    )
    await payroll.confirm(e.huw.headers, own, "2026-02-02")
    await payroll.confirm(e.admin.headers, shared, "2026-02-01")
    first_own = await payroll.export("2026-02-02")
    assert first_own.content == export_bytes(
        (own, "Siân Jones", "Huw Holder", "2026-02-02", "2026-03-01", 905, "15.08", 1250, 18854)
    )
    first_shared = await payroll.export("2026-02-01")
    assert first_shared.content == export_bytes(
        (shared, "Gareth Pugh", COOP, "2026-02-01", "2026-02-28", 445, "7.42", 1100, 8158)
    )
    problem(
        await client.put(
            e.timesheet(own, "2026-02-02"), json={"entries": []}, headers=e.sian.headers
        ),
        409,
        "period_exported",
    )
    key = uuid.uuid4().hex
    posted = await payroll.results("2026-02-02", [result(own, 18854, 1020, 566, 15000)], key)
    replayed = await payroll.results("2026-02-02", [result(own, 18854, 1020, 566, 15000)], key)
    assert replayed == posted
    problem(
        await client.post(
            e.url("/payroll/2026-02-02/results"),
            json={"lines": [result(own, 18854, 1020, 566, 15000)]},
            headers={**e.admin.headers, "Idempotency-Key": uuid.uuid4().hex},
        ),
        409,
        "payroll_posted",
    )
    assert posted["lines"][0]["cost_pence"] == 20_440
    shared_posted = await payroll.results("2026-02-01", [result(shared, 8158, 0, 245, 7900)])
    assert shared_posted["lines"][0]["shares"] == [
        {"member_id": str(m), "minutes": minutes, "amount_pence": pence}
        for m, minutes, pence in sorted(
            [(e.bryn_member, 245, 4_626), (e.carys_member, 200, 3_777)], key=lambda s: str(s[0])
        )
    ]

    # Period 2 (1 April): Huw pays in again; his representative confirms.
    await move_to(client, clock, e, datetime(2026, 4, 1, 9, tzinfo=UTC))
    await fund(client, e.coop_id, e.huw)
    await payroll.keep(
        e.sian,
        own,
        "2026-03-02",
        [day("2026-03-03", 340), day("2026-03-10", 340), day("2026-03-17", 340)],
    )
    await payroll.keep(
        e.admin,
        shared,
        "2026-03-01",
        [day("2026-03-03", 300, e.bryn_member), day("2026-03-04", 330, e.carys_member)],
    )
    await payroll.confirm(e.rep.on_behalf_of(e.huw), own, "2026-03-02")
    await payroll.confirm(e.admin.headers, shared, "2026-03-01")
    assert (await payroll.export("2026-03-02")).content == export_bytes(
        (own, "Siân Jones", "Huw Holder", "2026-03-02", "2026-03-29", 1020, "17.00", 1250, 21250)
    )
    assert (await payroll.export("2026-03-01")).content == export_bytes(
        (shared, "Gareth Pugh", COOP, "2026-03-01", "2026-03-31", 630, "10.50", 1100, 11550)
    )
    await payroll.results("2026-03-02", [result(own, 21250, 1300, 638, 17000)])
    # The bureau's gross (with holiday pay) need not be the export's.
    await payroll.results("2026-03-01", [result(shared, 11600, 150, 348, 10900)])

    # Period 3 (1 May): only Bryn had Gareth's hours.
    await move_to(client, clock, e, datetime(2026, 5, 1, 9, tzinfo=UTC))
    await payroll.keep(e.sian, own, "2026-03-30", [day("2026-03-31", 435), day("2026-04-14", 435)])
    await payroll.keep(e.gareth, shared, "2026-04-01", [day("2026-04-07", 180, e.bryn_member)])
    await payroll.confirm(e.huw.headers, own, "2026-03-30")
    await payroll.confirm(e.admin.headers, shared, "2026-04-01")
    assert (await payroll.export("2026-03-30")).content == export_bytes(
        (own, "Siân Jones", "Huw Holder", "2026-03-30", "2026-04-26", 870, "14.50", 1250, 18125)
    )
    assert (await payroll.export("2026-04-01")).content == export_bytes(
        (shared, "Gareth Pugh", COOP, "2026-04-01", "2026-04-30", 180, "3.00", 1100, 3300)
    )
    await payroll.results("2026-03-30", [result(own, 18125, 900, 544, 14800)])
    last = await payroll.results("2026-04-01", [result(shared, 3300, 0, 99, 3300)])

    # The books: every payroll cost left through external:payouts.
    books = await assert_books_balance(session, e.coop_id)
    assert books.balance(f"member:{e.huw_member}") == 100_000 - 20_440 - 23_188 - 19_569
    assert books.balance(f"member:{e.bryn_member}") == 50_000 - 4_626 - 5_761 - 3_399
    assert books.balance(f"member:{e.carys_member}") == 50_000 - 3_777 - 6_337
    assert books.balance("external:payouts") == (20_440 + 8_403 + 23_188 + 12_098 + 19_569 + 3_399)
    ledger = ok(
        await client.get(e.url("/ledger"), params={"limit": 200}, headers=e.admin.headers)
    ).json()["items"]
    payrolls = [t for t in ledger if t["kind"] == "payroll"]
    assert len(payrolls) == 6
    assert {p["account"]: p["amount_pence"] for p in payrolls[0]["postings"]} == {
        f"member:{e.bryn_member}": -3_399,
        "external:payouts": 3_399,
    }
    assert payrolls[0]["id"] == str(last["transaction_ids"][0])

    # Huw's statement and returns show his payroll, quarter by quarter.
    statement = ok(
        await client.get(
            e.url(f"/members/{e.huw_member}/statement"),
            params={"from": "2026-03-01", "to": "2026-05-31"},
            headers=e.huw.headers,
        )
    ).json()
    assert [(m["kind"], m["amount_pence"]) for m in statement["movements"]] == [
        ("contribution", 50_000),
        ("payroll", -20_440),
        ("contribution", 50_000),
        ("payroll", -23_188),
        ("payroll", -19_569),
    ]
    assert statement["closing_balance_pence"] == 36_803
    returns = {
        (who, quarter): ok(
            await client.get(
                e.url(f"/members/{member}/dp-return"),
                params={"period": quarter},
                headers=e.admin.headers,
            )
        ).json()
        for who, member in (("huw", e.huw_member), ("bryn", e.bryn_member))
        for quarter in ("2026-Q1", "2026-Q2")
    }
    assert returns["huw", "2026-Q1"]["payroll_pence"] == 20_440
    assert returns["huw", "2026-Q1"]["closing_balance_pence"] == 29_560
    assert returns["huw", "2026-Q2"]["payroll_pence"] == 42_757
    assert returns["huw", "2026-Q2"]["closing_balance_pence"] == 36_803
    assert returns["bryn", "2026-Q1"]["payroll_pence"] == 4_626
    assert returns["bryn", "2026-Q2"]["payroll_pence"] == 5_761 + 3_399
    for body in returns.values():
        assert body["closing_balance_pence"] == (
            body["opening_balance_pence"]
            + body["contributions_pence"]
            - body["care_total_pence"]
            - body["shared_charges_pence"]
            - body["payroll_pence"]
            - body["refunds_pence"]
        )
    csv_return = await client.get(
        e.url(f"/members/{e.huw_member}/dp-return"),
        params={"period": "2026-Q2", "format": "csv"},
        headers=e.huw.headers,
    )
    assert '"payroll_pence","","","","42757"' in csv_return.text

    # What the lead's checks ask: who works for whom, and what each transaction paid for.
    for member, expected in (
        (e.huw_member, [(e.sian.id, True)]),
        (e.bryn_member, [(e.gareth.id, False)]),
        (e.carys_member, [(e.gareth.id, False)]),
        (e.admin_member, []),
    ):
        found = await employment.workers_employed_for(session, member)
        assert [(w.user_id, w.as_employer) for w in found] == expected
    lines = await employment.payroll_lines_of(session, [uuid.UUID(payrolls[0]["id"])])
    [paid] = lines[uuid.UUID(payrolls[0]["id"])]
    assert (paid.employment_id, paid.minutes, paid.cost_pence) == (shared, 180, 3_399)
    assert paid.shares == {e.bryn_member: 3_399}

    # The evidence pack names the payroll lines behind each of Bryn's payroll payments: the
    # shared worker's minutes and pay, and what Bryn paid of their cost.
    evidence = ok(
        await client.get(
            e.url(f"/members/{e.bryn_member}/evidence"),
            params={"from": "2026-04-01", "to": "2026-05-31"},
            headers=e.admin.headers,
        )
    ).json()
    [april] = [m for m in evidence["movements"] if m["transaction_id"] == payrolls[0]["id"]]
    assert april["payroll_lines"] == [
        {
            "employment_id": str(shared),
            "worker_name": "Gareth Pugh",
            "period_start": "2026-04-01",
            "period_end": "2026-04-30",
            "minutes": 180,
            "gross_pence": 3300,
            "employer_ni_pence": 0,
            "employer_pension_pence": 99,
            "share_pence": 3_399,
        }
    ]
    assert evidence["totals"]["payroll_pence"] == 5_761 + 3_399
    assert all(m["payroll_lines"] == [] for m in evidence["movements"] if m["kind"] != "payroll")
