"""The treasurer's month end in the ledger: the ledger by Welsh days and kind, as CSV, and
every account's balance at the end of a day."""

import csv
import io
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.ledger import books
from app.ledger import service as ledger
from app.ledger.models import ContributionSource, TransactionKind
from tests.helpers import ok, problem
from tests.ledger.conftest import Pool


@pytest.fixture
async def month(session: AsyncSession, pool: Pool) -> Pool:
    """The holder pays in 5,000 on 2 March and takes 1,000 back on 15 March; the other holder
    pays in 2,000 at 00:30 on 1 April in Wales (23:30 on 31 March in UTC)."""

    async def post(
        kind: TransactionKind, lines: list[ledger.Line], at: datetime, memo: str
    ) -> None:
        source = ContributionSource.direct_payment if kind is TransactionKind.contribution else None
        await ledger.post(
            session,
            None,
            coop_id=pool.coop_id,
            kind=kind,
            memo=memo,
            lines=lines,
            now=at,
            source=source,
        )

    await post(
        TransactionKind.contribution,
        [ledger.Line(ledger.DEPOSITS, -5_000), ledger.Line(pool.holder_account, 5_000)],
        datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        "Mawrth",
    )
    await post(
        TransactionKind.refund,
        [ledger.Line(pool.holder_account, -1_000), ledger.Line(ledger.PAYOUTS, 1_000)],
        datetime(2026, 3, 15, 12, 0, tzinfo=UTC),
        "Ad-daliad",
    )
    await post(
        TransactionKind.contribution,
        [ledger.Line(ledger.DEPOSITS, -2_000), ledger.Line(pool.other_account, 2_000)],
        datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        "Ebrill",
    )
    await session.commit()
    return pool


async def memos(client: httpx.AsyncClient, pool: Pool, **params: str) -> list[str]:
    response = ok(await client.get(pool.url("/ledger"), params=params, headers=pool.admin.headers))
    return [item["memo"] for item in response.json()["items"]]


class TestLedgerFilters:
    async def test_from_and_to_are_whole_welsh_days(
        self, client: httpx.AsyncClient, month: Pool
    ) -> None:
        assert await memos(client, month, **{"from": "2026-03-01", "to": "2026-03-31"}) == [
            "Ad-daliad",
            "Mawrth",
        ]
        assert await memos(client, month, **{"from": "2026-04-01"}) == ["Ebrill"]
        assert await memos(client, month, to="2026-03-02") == ["Mawrth"]
        assert await memos(client, month, **{"from": "2026-03-15", "to": "2026-03-15"}) == [
            "Ad-daliad"
        ]

    async def test_kind_filters_and_payroll_finds_nothing_yet(
        self, client: httpx.AsyncClient, month: Pool
    ) -> None:
        assert await memos(client, month, kind="refund") == ["Ad-daliad"]
        assert await memos(client, month, kind="contribution", to="2026-03-31") == ["Mawrth"]
        assert await memos(client, month, kind="payroll") == []
        assert set(books.LedgerKind.__args__) >= {k.value for k in TransactionKind}  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        "params",
        [{"kind": "salary"}, {"from": "2026-03-31", "to": "2026-03-01"}, {"from": "31/03/2026"}],
    )
    async def test_a_bad_filter_is_refused(
        self, client: httpx.AsyncClient, month: Pool, params: dict[str, str]
    ) -> None:
        response = await client.get(
            month.url("/ledger"), params=params, headers=month.admin.headers
        )
        problem(response, 422, "validation_error")


def rows_of(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


class TestLedgerCsv:
    async def test_a_month_as_csv_oldest_first_one_row_per_posting(
        self, client: httpx.AsyncClient, month: Pool
    ) -> None:
        response = await client.get(
            month.url("/ledger"),
            params={"from": "2026-03-01", "to": "2026-03-31", "limit": "1"},
            headers={**month.admin.headers, "Accept": "text/csv"},
        )
        rows = rows_of(response)
        assert rows[0] == list(books.CSV_COLUMNS)
        assert [(r[0], r[3], r[5], r[6], r[7]) for r in rows[1:]] == [
            ("2026-03-02", "contribution", "external:deposits", "-5000", "Mawrth"),
            ("2026-03-02", "contribution", month.holder_account, "5000", "Mawrth"),
            ("2026-03-15", "refund", month.holder_account, "-1000", "Ad-daliad"),
            ("2026-03-15", "refund", "external:payouts", "1000", "Ad-daliad"),
        ]
        assert rows[1][4] == "direct_payment"

    async def test_a_member_sees_others_postings_summed(
        self, client: httpx.AsyncClient, month: Pool
    ) -> None:
        response = await client.get(
            month.url("/ledger"),
            params={"format": "csv", "from": "2026-04-01"},
            headers=month.holder.headers,
        )
        rows = rows_of(response)
        assert [(r[5], r[6], r[7]) for r in rows[1:]] == [
            ("external:deposits", "-2000", ""),
            ("members", "2000", ""),
        ]


class TestBalances:
    async def test_every_account_at_the_end_of_a_day_zeros_included(
        self, client: httpx.AsyncClient, month: Pool
    ) -> None:
        body = ok(
            await client.get(
                month.url("/balances"), params={"at": "2026-03-31"}, headers=month.admin.headers
            )
        ).json()
        assert body["at"] == "2026-03-31"
        assert body["total_pence"] == 0
        found = {item["account"]: item for item in body["items"]}
        assert {k: v["balance_pence"] for k, v in found.items()} == {
            "external:deposits": -5_000,
            "external:payouts": 1_000,
            "shared": 0,
            f"member:{month.admin_member}": 0,
            f"member:{month.second_admin_member}": 0,
            month.holder_account: 4_000,
            month.other_account: 0,
        }
        assert found[month.holder_account]["holder_name"] == "Gwenllïan ap Rhys"
        assert found[month.holder_account]["member_id"] == str(month.holder_member)
        assert found["shared"]["member_id"] is None
        assert found["shared"]["holder_name"] is None
        later = ok(
            await client.get(
                month.url("/balances"), params={"at": "2026-04-01"}, headers=month.admin.headers
            )
        ).json()
        by_account: dict[str, Any] = {i["account"]: i["balance_pence"] for i in later["items"]}
        assert by_account[month.other_account] == 2_000
        assert by_account["external:deposits"] == -7_000
        assert later["total_pence"] == 0

    async def test_accounts_not_yet_opened_are_not_listed(
        self, client: httpx.AsyncClient, month: Pool
    ) -> None:
        body = ok(
            await client.get(
                month.url("/balances"), params={"at": "2026-03-01"}, headers=month.admin.headers
            )
        ).json()
        assert body == {"at": "2026-03-01", "items": [], "total_pence": 0}

    async def test_for_administrators_only(self, client: httpx.AsyncClient, month: Pool) -> None:
        url = month.url("/balances")
        problem(await client.get(url, headers=month.holder.headers), 403, "forbidden")
        problem(await client.get(url, headers=month.outsider.headers), 404, "not_found")
        problem(await client.get(url, headers=month.as_rep), 403, "outside_mandate")
