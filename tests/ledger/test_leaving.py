from datetime import date

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops.models import Member
from app.ledger import service as ledger
from app.ledger.errors import MemberNotActive
from app.ledger.models import TransactionKind
from app.tenders import commitments as tender_commitments
from tests.conftest import START
from tests.factories import apply_to_coop, contribute, register_person, request_refund
from tests.helpers import problem
from tests.ledger.checks import assert_books_balance
from tests.ledger.conftest import Pool


@pytest.fixture
async def funded(client: httpx.AsyncClient, pool: Pool) -> Pool:
    response = await contribute(client, pool.coop_id, pool.holder, amount_pence=70_000)
    assert response.status_code == 201, response.text
    return pool


async def leave(
    client: httpx.AsyncClient, pool: Pool, headers: dict[str, str], key: str | None = None
) -> httpx.Response:
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    return await client.post(pool.url(f"/members/{pool.holder_member}/leave"), headers=headers)


class TestLeaving:
    async def test_the_unspent_balance_is_refunded_in_the_same_transaction(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        response = await leave(client, funded, funded.holder.headers)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "left"
        books = await assert_books_balance(session, funded.coop_id)
        assert books.balance(funded.holder_account) == 0
        assert books.balance("external:payouts") == 70_000
        items = (await client.get(funded.url("/ledger"), headers=funded.admin.headers)).json()[
            "items"
        ]
        assert items[0]["kind"] == "leaving_refund"
        assert items[0]["actor_user_id"] == str(funded.holder.id)

    async def test_an_admin_removing_a_member_refunds_them_too_and_a_replay_does_not(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        first = await leave(client, funded, funded.admin.headers, key="leave-1")
        again = await leave(client, funded, funded.admin.headers, key="leave-1")
        assert first.status_code == again.status_code == 200
        assert first.content == again.content
        books = await funded.books(session)
        assert (books.transactions, books.balance("external:payouts")) == (2, 70_000)

    async def test_an_empty_account_posts_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        assert (await leave(client, pool, pool.holder.headers)).status_code == 200
        assert (await pool.books(session)).transactions == 0

    async def test_an_applicant_withdrawing_has_no_account_to_settle(
        self, client: httpx.AsyncClient, pool: Pool
    ) -> None:
        applicant = await register_person(client)
        member_id = await apply_to_coop(client, pool.coop_id, applicant)
        response = await client.post(
            pool.url(f"/members/{member_id}/leave"), headers=applicant.headers
        )
        assert response.status_code == 200, response.text

    async def test_refunds_still_waiting_are_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        waiting = await request_refund(
            client,
            funded.coop_id,
            funded.admin,
            member_id=funded.holder_member,
            amount_pence=60_000,
        )
        asked = await request_refund(
            client,
            funded.coop_id,
            funded.rep,
            member_id=funded.holder_member,
            amount_pence=1_000,
            headers=funded.as_rep,
        )
        assert (await leave(client, funded, funded.holder.headers)).status_code == 200
        for refund in (waiting.json(), asked.json()):
            read = await client.get(
                funded.url(f"/pool/refunds/{refund['id']}"), headers=funded.admin.headers
            )
            assert read.json()["status"] == "refused"
        # The holder may still decide on what their representative asked: nothing moves.
        approvals = await client.get("/api/v1/me/approvals", headers=funded.holder.headers)
        approval = approvals.json()["items"][0]["id"]
        decided = await client.post(
            f"/api/v1/me/approvals/{approval}/approve", headers=funded.holder.headers
        )
        assert decided.status_code == 200, decided.text
        books = await assert_books_balance(session, funded.coop_id)
        assert books.balance("external:payouts") == 70_000

    async def test_a_member_with_commitments_cannot_leave_and_nothing_changes(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        funded: Pool,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        async def open_call_offs(
            session: AsyncSession, *, member: Member, today: date
        ) -> list[str]:
            return [f"call_off:{member.id}"]

        monkeypatch.setattr(tender_commitments, "commitments", open_call_offs)
        before = await funded.books(session)
        body = problem(
            await leave(client, funded, funded.holder.headers), 409, "member_has_commitments"
        )
        assert body["commitments"] == [f"call_off:{funded.holder_member}"]
        assert await funded.books(session) == before
        me = (await client.get("/api/v1/me", headers=funded.holder.headers)).json()
        assert me["memberships"][0]["status"] == "active"

    async def test_without_call_offs_or_invoices_nothing_binds_a_member(
        self, session: AsyncSession, pool: Pool
    ) -> None:
        member = await session.get(Member, pool.holder_member)
        assert member is not None
        assert (
            await tender_commitments.commitments(session, member=member, today=date(2026, 3, 2))
            == []
        )


async def test_no_posting_pays_into_the_account_of_a_member_who_has_left(
    client: httpx.AsyncClient, session: AsyncSession, pool: Pool
) -> None:
    """The ledger itself refuses it, under the membership's lock: a posting that read the
    membership as active before a leave, and reaches the accounts after it, lands nowhere."""
    paid = await contribute(client, pool.coop_id, pool.holder, amount_pence=3_000)
    assert paid.status_code == 201, paid.text
    left = await client.post(
        pool.url(f"/members/{pool.holder_member}/leave"), headers=pool.holder.headers
    )
    assert left.status_code == 200, left.text
    before = await assert_books_balance(session, pool.coop_id)
    with pytest.raises(MemberNotActive):
        await ledger.post(
            session,
            None,
            coop_id=pool.coop_id,
            kind=TransactionKind.contribution,
            memo="late",
            lines=[
                ledger.Line(ledger.DEPOSITS, -500),
                ledger.Line(ledger.member_account(pool.holder_member), 500),
            ],
            now=START,
        )
    await session.rollback()
    assert await assert_books_balance(session, pool.coop_id) == before
    assert before.balance(pool.holder_account) == 0
