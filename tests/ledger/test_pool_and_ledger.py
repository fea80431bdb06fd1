from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.ledger import service as ledger
from app.ledger.models import TransactionKind
from tests.factories import contribute, request_refund
from tests.helpers import problem
from tests.ledger.conftest import Pool

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def busy(client: httpx.AsyncClient, session: AsyncSession, pool: Pool) -> Pool:
    """Holder pays 5,000, the other holder 7,000, the holder takes 1,000 back, and a
    shared charge takes 300 from each of them (posted directly: no charges route yet)."""
    assert (await contribute(client, pool.coop_id, pool.holder, amount_pence=5_000)).is_success
    response = await contribute(
        client, pool.coop_id, pool.other, amount_pence=7_000, reference="Preifat"
    )
    assert response.is_success
    response = await request_refund(
        client, pool.coop_id, pool.holder, member_id=pool.holder_member, amount_pence=1_000
    )
    assert response.is_success
    await ledger.post(
        session,
        None,
        coop_id=pool.coop_id,
        kind=TransactionKind.support_charge,
        memo="Payroll, March",
        lines=[
            ledger.Line(pool.holder_account, -300),
            ledger.Line(pool.other_account, -300),
            ledger.Line(ledger.SHARED, 600),
        ],
        now=NOW,
    )
    await session.commit()
    return pool


async def ledger_items(
    client: httpx.AsyncClient, pool: Pool, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(pool.url("/ledger"), params=params, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


class TestGetPool:
    async def test_the_totals_add_up(self, client: httpx.AsyncClient, busy: Pool) -> None:
        response = await client.get(busy.url("/pool"), headers=busy.other.headers)
        assert response.status_code == 200, response.text
        assert response.json() == {
            "balance_pence": 11_000,
            "members_pence": 10_400,
            "shared_pence": 600,
            "provider_payable_pence": 0,
        }

    async def test_an_empty_pool_is_all_zero(self, client: httpx.AsyncClient, pool: Pool) -> None:
        response = await client.get(pool.url("/pool"), headers=pool.as_rep)
        assert response.json() == {
            "balance_pence": 0,
            "members_pence": 0,
            "shared_pence": 0,
            "provider_payable_pence": 0,
        }


class TestListLedger:
    async def test_admins_see_every_posting_newest_first(
        self, client: httpx.AsyncClient, busy: Pool
    ) -> None:
        items = await ledger_items(client, busy, busy.admin.headers)
        assert [i["kind"] for i in items] == [
            "support_charge",
            "refund",
            "contribution",
            "contribution",
        ]
        assert items[0]["postings"] == [
            {"account": busy.holder_account, "amount_pence": -300},
            {"account": busy.other_account, "amount_pence": -300},
            {"account": "shared", "amount_pence": 600},
        ]
        assert items[2]["memo"] == "Preifat"
        for item in items:
            assert sum(p["amount_pence"] for p in item["postings"]) == 0

    async def test_a_member_sees_other_members_only_summed_and_without_the_memo(
        self, client: httpx.AsyncClient, busy: Pool
    ) -> None:
        items = await ledger_items(client, busy, busy.holder.headers)
        charge, refund, theirs, mine = items
        assert charge["postings"] == [
            {"account": busy.holder_account, "amount_pence": -300},
            {"account": "members", "amount_pence": -300},
            {"account": "shared", "amount_pence": 600},
        ]
        assert charge["memo"] == "Payroll, March"
        assert theirs["postings"] == [
            {"account": "external:deposits", "amount_pence": -7_000},
            {"account": "members", "amount_pence": 7_000},
        ]
        assert theirs["memo"] is None
        assert theirs["actor_user_id"] is None
        assert mine["postings"][1] == {"account": busy.holder_account, "amount_pence": 5_000}
        assert mine["actor_user_id"] == str(busy.holder.id)
        assert refund["postings"][0]["account"] == busy.holder_account
        for item in items:
            assert sum(p["amount_pence"] for p in item["postings"]) == 0
            assert all(p["account"] != busy.other_account for p in item["postings"])

    async def test_a_representative_with_view_sees_what_the_holder_sees(
        self, client: httpx.AsyncClient, busy: Pool
    ) -> None:
        assert await ledger_items(client, busy, busy.as_rep) == await ledger_items(
            client, busy, busy.holder.headers
        )

    async def test_an_admin_filters_by_any_member(
        self, client: httpx.AsyncClient, busy: Pool
    ) -> None:
        items = await ledger_items(
            client, busy, busy.admin.headers, member_id=str(busy.other_member)
        )
        assert [i["kind"] for i in items] == ["support_charge", "contribution"]

    async def test_a_member_filters_by_themselves_only(
        self, client: httpx.AsyncClient, busy: Pool
    ) -> None:
        items = await ledger_items(
            client, busy, busy.holder.headers, member_id=str(busy.holder_member)
        )
        assert [i["kind"] for i in items] == ["support_charge", "refund", "contribution"]
        problem(
            await client.get(
                busy.url("/ledger"),
                params={"member_id": str(busy.other_member)},
                headers=busy.holder.headers,
            ),
            403,
            "forbidden",
        )

    async def test_pages_follow_the_ledgers_order(
        self, client: httpx.AsyncClient, busy: Pool
    ) -> None:
        everything = [i["id"] for i in await ledger_items(client, busy, busy.admin.headers)]
        seen: list[str] = []
        params: dict[str, Any] = {"limit": 3}
        while True:
            response = await client.get(
                busy.url("/ledger"), params=params, headers=busy.admin.headers
            )
            page = response.json()
            seen += [i["id"] for i in page["items"]]
            if page["next_cursor"] is None:
                break
            params["cursor"] = page["next_cursor"]
        assert seen == everything
