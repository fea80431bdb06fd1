"""Contributions carry their source: only Direct Payment money is capped by the award, and
every posting keeps the award version it was made under. The clock stands at 2026-03-02,
the holder's award (25,000 a week) starts that day."""

import csv
import io
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.ledger.models import LedgerAccount, LedgerPosting
from tests.factories import (
    CARDIFF,
    appoint_officer,
    fresh_token,
    join_coop,
    platform_admin,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok, problem
from tests.ledger.conftest import WEEKLY, Pool

FULL = 4 * WEEKLY


async def pay(
    client: httpx.AsyncClient, pool: Pool, amount: int, source: str | None = None, **kw: Any
) -> httpx.Response:
    body: dict[str, Any] = {"amount_pence": amount, "reference": "Taliad"}
    if source is not None:
        body["source"] = source
    headers = kw.pop("headers", pool.holder.headers)
    return await client.post(
        pool.url("/pool/contributions"),
        json=body,
        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
    )


async def member_postings(session: AsyncSession, member_id: uuid.UUID) -> list[LedgerPosting]:
    return list(
        (
            await session.scalars(
                select(LedgerPosting)
                .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
                .where(LedgerAccount.member_id == member_id)
                .order_by(LedgerPosting.created_at)
            )
        ).all()
    )


class TestTopUps:
    async def test_a_top_up_above_the_cap_posts_and_is_shown_apart(
        self, client: httpx.AsyncClient, pool: Pool
    ) -> None:
        assert (await pay(client, pool, FULL)).status_code == 201
        problem(await pay(client, pool, 1), 422, "exceeds_direct_payment")
        top_up = await pay(client, pool, 50_000, "top_up")
        assert top_up.status_code == 201, top_up.text
        assert top_up.json()["source"] == "top_up"
        client_part = await pay(client, pool, 7_000, "client_contribution")
        assert client_part.status_code == 201, client_part.text

        # The allowance is untouched by the holder's own money.
        award = ok(
            await client.get("/api/v1/me/direct-payment", headers=pool.holder.headers)
        ).json()
        assert award["current_cycle"]["contributed_pence"] == FULL
        assert award["current_cycle"]["remaining_pence"] == 0

        statement_url = pool.url(f"/members/{pool.holder_member}/statement")
        statement = ok(await client.get(statement_url, headers=pool.holder.headers)).json()
        assert [(m["amount_pence"], m["source"]) for m in statement["movements"]] == [
            (FULL, "direct_payment"),
            (50_000, "top_up"),
            (7_000, "client_contribution"),
        ]
        as_csv = ok(
            await client.get(statement_url, params={"format": "csv"}, headers=pool.holder.headers)
        )
        rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
        assert [row[6] for row in rows[2:5]] == ["direct_payment", "top_up", "client_contribution"]

        dp_return = ok(
            await client.get(
                pool.url(f"/members/{pool.holder_member}/dp-return"),
                params={"period": "2026-Q1"},
                headers=pool.holder.headers,
            )
        ).json()
        assert dp_return["contributions_pence"] == FULL + 57_000
        assert dp_return["contributions_by_source"] == {
            "direct_payment_pence": FULL,
            "top_up_pence": 50_000,
            "client_contribution_pence": 7_000,
        }

        ledger = ok(await client.get(pool.url("/ledger"), headers=pool.admin.headers)).json()
        assert [t["source"] for t in ledger["items"]] == [
            "client_contribution",
            "top_up",
            "direct_payment",
        ]

    async def test_a_top_up_needs_no_award(self, client: httpx.AsyncClient, pool: Pool) -> None:
        # The administrator founded the co-op as a service user, and has no award.
        problem(await pay(client, pool, 100, headers=pool.admin.headers), 422, "no_direct_payment")
        response = await pay(client, pool, 100, "top_up", headers=pool.admin.headers)
        assert response.status_code == 201, response.text

    async def test_a_top_up_still_goes_only_into_a_service_users_account(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        carer = await register_person(client)
        await join_coop(client, pool.coop_id, carer, pool.admin, member_class="carer")
        before = (await pool.books(session)).transactions
        for source in ("top_up", "client_contribution"):
            problem(
                await pay(client, pool, 100, source, headers=carer.headers), 422, "not_a_holder"
            )
        assert (await pool.books(session)).transactions == before

    async def test_a_representative_tops_up_within_the_mandate_limit(
        self, client: httpx.AsyncClient, pool: Pool
    ) -> None:
        problem(
            await pay(client, pool, 60_001, "top_up", headers=pool.as_rep), 403, "outside_mandate"
        )
        response = await pay(client, pool, 60_000, "top_up", headers=pool.as_rep)
        assert response.status_code == 201, response.text

    async def test_an_unknown_source_is_a_validation_error(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        for source in ("gift", "", None):
            body = {"amount_pence": 100, "reference": "x", "source": source}
            response = await client.post(
                pool.url("/pool/contributions"),
                json=body,
                headers={**pool.holder.headers, "Idempotency-Key": uuid.uuid4().hex},
            )
            problem(response, 422, "validation_error")
        assert (await pool.books(session)).transactions == 0


class TestAwardVersionsAndTheCap:
    async def test_each_posting_keeps_the_award_version_it_was_made_under(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool, clock: FrozenClock
    ) -> None:
        first = ok(await client.get("/api/v1/me/direct-payment", headers=pool.holder.headers))
        assert (await pay(client, pool, 1_000)).status_code == 201
        second = await set_direct_payment(
            client, pool.holder, start_date=date(2026, 3, 9), weekly_amount_pence=30_000
        )
        clock.advance(timedelta(days=7))
        await fresh_token(client, pool.holder)
        assert (await pay(client, pool, 2_000)).status_code == 201
        assert (await pay(client, pool, 3_000, "top_up")).status_code == 201
        postings = await member_postings(session, pool.holder_member)
        assert [(p.amount_pence, p.source, str(p.award_id)) for p in postings] == [
            (1_000, "direct_payment", first.json()["id"]),
            (2_000, "direct_payment", second["id"]),
            (3_000, "top_up", second["id"]),
        ]
        # The deposits side belongs to nobody's award.
        deposits = (
            await session.scalars(
                select(LedgerPosting).where(
                    LedgerPosting.transaction_id.in_([p.transaction_id for p in postings]),
                    LedgerPosting.amount_pence < 0,
                )
            )
        ).all()
        assert {p.award_id for p in deposits} == {None}

    async def test_a_new_version_counts_its_cycles_from_its_own_start(
        self, client: httpx.AsyncClient, pool: Pool, clock: FrozenClock
    ) -> None:
        assert (await pay(client, pool, FULL)).status_code == 201
        await set_direct_payment(client, pool.holder, start_date=date(2026, 3, 16))
        clock.advance(timedelta(days=13))  # 2026-03-15: still the first version's cycle
        await fresh_token(client, pool.holder)
        problem(await pay(client, pool, 1), 422, "exceeds_direct_payment")
        clock.advance(timedelta(days=1))  # 2026-03-16: the new version's first cycle
        await fresh_token(client, pool.holder)
        body = problem(await pay(client, pool, FULL + 1), 422, "exceeds_direct_payment")
        assert "2026-03-16" in body["detail"]
        assert (await pay(client, pool, FULL)).status_code == 201

    @pytest.mark.parametrize("status", ["declared", "confirmed"])
    async def test_declared_and_confirmed_versions_are_in_force_a_rejected_one_is_not(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        pool: Pool,
        status: str,
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await appoint_officer(client, admin, CARDIFF)
        award = ok(await client.get("/api/v1/me/direct-payment", headers=pool.holder.headers))
        if status == "confirmed":
            ok(
                await client.post(
                    f"/api/v1/la/awards/{award.json()['id']}/confirm",
                    json={},
                    headers=officer.headers,
                )
            )
        assert (await pay(client, pool, 500)).status_code == 201
        if status == "declared":
            ok(
                await client.post(
                    f"/api/v1/la/awards/{award.json()['id']}/reject",
                    json={"reason": "Not ours"},
                    headers=officer.headers,
                )
            )
            problem(await pay(client, pool, 500), 422, "no_direct_payment")
            # The holder's own money still goes in.
            assert (await pay(client, pool, 500, "top_up")).status_code == 201
