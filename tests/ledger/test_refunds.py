import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from tests.factories import (
    Person,
    agree_rules,
    contribute,
    grant_mandate,
    register_person,
    request_refund,
    sign_in_again,
)
from tests.helpers import ok, problem
from tests.ledger.checks import assert_books_balance
from tests.ledger.conftest import REP_LIMIT, THRESHOLD, Pool

FUNDS = 90_000


@pytest.fixture
async def funded(client: httpx.AsyncClient, pool: Pool) -> Pool:
    """The holder has 90,000 in the pool (the other holder 40,000)."""
    for person, amount in ((pool.holder, FUNDS), (pool.other, 40_000)):
        response = await contribute(client, pool.coop_id, person, amount_pence=amount)
        assert response.status_code == 201, response.text
    return pool


async def refund_of(
    client: httpx.AsyncClient, pool: Pool, person: Person, amount: int, **kwargs: Any
) -> dict[str, Any]:
    response = await request_refund(
        client, pool.coop_id, person, member_id=pool.holder_member, amount_pence=amount, **kwargs
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def approve(
    client: httpx.AsyncClient, pool: Pool, person: Person, refund_id: str, key: str | None = None
) -> httpx.Response:
    headers = dict(person.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post(pool.url(f"/pool/refunds/{refund_id}/approve"), headers=headers)


async def approval_for(client: httpx.AsyncClient, holder: Person, refund_id: str) -> str:
    items = (await client.get("/api/v1/me/approvals", headers=holder.headers)).json()["items"]
    return str(next(item["id"] for item in items if item["subject_id"] == refund_id))


class TestCreateRefund:
    async def test_the_holder_refunds_from_their_own_account(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        body = await refund_of(client, funded, funded.holder, 30_000, reason="Symud tŷ")
        assert body["status"] == "posted"
        assert body["member_id"] == str(funded.holder_member)
        assert body["amount_pence"] == 30_000
        assert body["reason"] == "Symud tŷ"
        assert body["transaction_id"]
        books = await assert_books_balance(session, funded.coop_id)
        assert books.balance(funded.holder_account) == FUNDS - 30_000
        assert books.balance("external:payouts") == 30_000

    async def test_more_than_the_balance_is_a_conflict_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        before = await funded.books(session)
        for person, amount in ((funded.holder, FUNDS + 1), (funded.admin, THRESHOLD + FUNDS)):
            problem(
                await request_refund(
                    client,
                    funded.coop_id,
                    person,
                    member_id=funded.holder_member,
                    amount_pence=amount,
                ),
                409,
                "insufficient_funds",
            )
        assert await funded.books(session) == before
        listed = await client.get(funded.url("/pool/refunds"), headers=funded.admin.headers)
        assert listed.json()["items"] == []

    async def test_the_whole_balance_can_be_refunded(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        await refund_of(client, funded, funded.holder, THRESHOLD)
        # The rest takes the cycle's refunds above the threshold: a second administrator.
        rest = await refund_of(client, funded, funded.holder, FUNDS - THRESHOLD)
        assert rest["status"] == "pending_second_approval"
        approved = await approve(client, funded, funded.second_admin, rest["id"])
        assert approved.status_code == 200, approved.text
        assert (await funded.books(session)).balance(funded.holder_account) == 0

    async def test_an_admin_refunds_a_member(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        body = await refund_of(client, funded, funded.admin, 1_000)
        assert body["status"] == "posted"
        assert body["requested_by_user_id"] == str(funded.admin.id)
        assert (await funded.books(session)).balance(funded.holder_account) == FUNDS - 1_000

    async def test_above_the_threshold_it_waits_for_a_second_admin_and_moves_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        before = await funded.books(session)
        body = await refund_of(client, funded, funded.admin, THRESHOLD + 1)
        assert body["status"] == "pending_second_approval"
        assert body["transaction_id"] is None
        assert await funded.books(session) == before

    async def test_a_member_cannot_refund_someone_elses_account(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        before = await funded.books(session)
        problem(
            await request_refund(
                client,
                funded.coop_id,
                funded.other,
                member_id=funded.holder_member,
                amount_pence=100,
            ),
            403,
            "forbidden",
        )
        assert await funded.books(session) == before

    async def test_a_replay_returns_the_first_answer_and_refunds_once(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        first = await refund_of(client, funded, funded.holder, 1_000, key="r1")
        again = await refund_of(client, funded, funded.holder, 1_000, key="r1")
        assert first == again
        assert (await funded.books(session)).balance(funded.holder_account) == FUNDS - 1_000

    async def test_without_a_key_nothing_moves(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        before = await funded.books(session)
        response = await client.post(
            funded.url("/pool/refunds"),
            json={"member_id": str(funded.holder_member), "amount_pence": 1, "reason": "r"},
            headers=funded.holder.headers,
        )
        problem(response, 400, "idempotency_key_required")
        assert await funded.books(session) == before


class TestApproveRefund:
    async def test_a_second_admin_approves_and_it_posts(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        waiting = await refund_of(client, funded, funded.admin, 60_000)
        response = await approve(client, funded, funded.second_admin, waiting["id"])
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "posted"
        assert body["decided_by_user_id"] == str(funded.second_admin.id)
        assert body["transaction_id"]
        books = await assert_books_balance(session, funded.coop_id)
        assert books.balance(funded.holder_account) == FUNDS - 60_000

    async def test_the_admin_who_asked_cannot_approve(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        waiting = await refund_of(client, funded, funded.admin, 60_000)
        before = await funded.books(session)
        problem(
            await approve(client, funded, funded.admin, waiting["id"]),
            403,
            "second_admin_required",
        )
        assert await funded.books(session) == before
        again = await client.get(
            funded.url(f"/pool/refunds/{waiting['id']}"), headers=funded.admin.headers
        )
        assert again.json()["status"] == "pending_second_approval"

    async def test_the_member_paid_cannot_approve_even_as_an_admin(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        ok(
            await client.post(
                funded.url(f"/members/{funded.holder_member}/admin"),
                json={"is_admin": True},
                headers=funded.admin.headers,
            )
        )
        waiting = await refund_of(client, funded, funded.admin, 60_000)
        problem(
            await approve(client, funded, funded.holder, waiting["id"]),
            403,
            "second_admin_required",
        )

    async def test_a_holders_own_large_refund_needs_any_admin(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        waiting = await refund_of(client, funded, funded.holder, 60_000)
        assert waiting["status"] == "pending_second_approval"
        response = await approve(client, funded, funded.admin, waiting["id"])
        assert response.status_code == 200, response.text
        assert (await funded.books(session)).balance(funded.holder_account) == FUNDS - 60_000

    async def test_the_balance_is_checked_again_when_it_posts(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        waiting = await refund_of(client, funded, funded.admin, 60_000)
        drain = await refund_of(client, funded, funded.holder, 40_000)
        drained = await approve(client, funded, funded.second_admin, drain["id"])
        assert drained.status_code == 200, drained.text
        before = await funded.books(session)
        problem(
            await approve(client, funded, funded.second_admin, waiting["id"]),
            409,
            "insufficient_funds",
        )
        assert await funded.books(session) == before
        still = await client.get(
            funded.url(f"/pool/refunds/{waiting['id']}"), headers=funded.admin.headers
        )
        assert still.json()["status"] == "pending_second_approval"

    async def test_approving_twice_is_an_invalid_transition_and_a_replay_is_not(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        waiting = await refund_of(client, funded, funded.admin, 60_000)
        first = await approve(client, funded, funded.second_admin, waiting["id"], key="a1")
        replay = await approve(client, funded, funded.second_admin, waiting["id"], key="a1")
        assert first.status_code == replay.status_code == 200
        assert first.content == replay.content
        problem(
            await approve(client, funded, funded.second_admin, waiting["id"]),
            409,
            "invalid_transition",
        )
        assert (await funded.books(session)).balance(funded.holder_account) == FUNDS - 60_000

    async def test_a_posted_refund_cannot_be_approved(
        self, client: httpx.AsyncClient, funded: Pool
    ) -> None:
        posted = await refund_of(client, funded, funded.holder, 1_000)
        problem(
            await approve(client, funded, funded.second_admin, posted["id"]),
            409,
            "invalid_transition",
        )

    async def test_an_unknown_refund_is_not_found(
        self, client: httpx.AsyncClient, funded: Pool
    ) -> None:
        problem(
            await approve(client, funded, funded.second_admin, str(uuid.uuid4())),
            404,
            "not_found",
        )

    async def test_a_member_who_is_not_an_admin_cannot_approve(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        waiting = await refund_of(client, funded, funded.admin, 60_000)
        problem(await approve(client, funded, funded.other, waiting["id"]), 403, "forbidden")


class TestRefuseRefund:
    async def test_an_admin_refuses_a_waiting_refund_and_nothing_moves(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        waiting = await refund_of(client, funded, funded.admin, 60_000)
        before = await funded.books(session)
        response = await client.post(
            funded.url(f"/pool/refunds/{waiting['id']}/refuse"), headers=funded.admin.headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "refused"
        assert await funded.books(session) == before
        problem(
            await approve(client, funded, funded.second_admin, waiting["id"]),
            409,
            "invalid_transition",
        )

    async def test_a_posted_refund_cannot_be_refused(
        self, client: httpx.AsyncClient, funded: Pool
    ) -> None:
        posted = await refund_of(client, funded, funded.holder, 1_000)
        problem(
            await client.post(
                funded.url(f"/pool/refunds/{posted['id']}/refuse"), headers=funded.admin.headers
            ),
            409,
            "invalid_transition",
        )


class TestRepresentativeRefund:
    async def test_it_waits_for_the_holder_and_moves_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        before = await funded.books(session)
        body = await refund_of(client, funded, funded.rep, 1_000, headers=funded.as_rep)
        assert body["status"] == "pending_holder_approval"
        assert body["requested_by_user_id"] == str(funded.rep.id)
        assert body["on_behalf_of_user_id"] == str(funded.holder.id)
        assert await funded.books(session) == before
        assert await approval_for(client, funded.holder, body["id"])

    async def test_the_holder_approves_and_it_posts(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        body = await refund_of(client, funded, funded.rep, 1_000, headers=funded.as_rep)
        approval = await approval_for(client, funded.holder, body["id"])
        headers = {**funded.holder.headers, "Idempotency-Key": "h1"}
        url = f"/api/v1/me/approvals/{approval}/approve"
        first = await client.post(url, headers=headers)
        replay = await client.post(url, headers=headers)
        assert first.status_code == replay.status_code == 200, first.text
        assert first.content == replay.content
        refund = await client.get(
            funded.url(f"/pool/refunds/{body['id']}"), headers=funded.holder.headers
        )
        assert refund.json()["status"] == "posted"
        books = await assert_books_balance(session, funded.coop_id)
        assert books.balance(funded.holder_account) == FUNDS - 1_000

    async def test_after_the_holder_a_large_refund_still_needs_a_second_admin(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        await grant_mandate(
            client,
            funded.holder,
            big := await register_person(client),
            scopes=("refund",),
            limit_pence_per_cycle=10**7,
        )
        body = await refund_of(
            client, funded, big, THRESHOLD + 1, headers=big.on_behalf_of(funded.holder)
        )
        approval = await approval_for(client, funded.holder, body["id"])
        ok(
            await client.post(
                f"/api/v1/me/approvals/{approval}/approve", headers=funded.holder.headers
            )
        )
        refund = await client.get(
            funded.url(f"/pool/refunds/{body['id']}"), headers=funded.admin.headers
        )
        assert refund.json()["status"] == "pending_second_approval"
        assert (await funded.books(session)).balance(funded.holder_account) == FUNDS
        assert (await approve(client, funded, funded.admin, body["id"])).status_code == 200
        assert (await funded.books(session)).balance(funded.holder_account) == (
            FUNDS - THRESHOLD - 1
        )

    async def test_the_holder_refuses_and_nothing_moves(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        body = await refund_of(client, funded, funded.rep, 1_000, headers=funded.as_rep)
        approval = await approval_for(client, funded.holder, body["id"])
        before = await funded.books(session)
        response = await client.post(
            f"/api/v1/me/approvals/{approval}/refuse", headers=funded.holder.headers
        )
        assert response.status_code == 200, response.text
        refund = await client.get(
            funded.url(f"/pool/refunds/{body['id']}"), headers=funded.holder.headers
        )
        assert refund.json()["status"] == "refused"
        assert await funded.books(session) == before

    async def test_if_the_money_is_gone_the_approval_is_refused_and_keeps_waiting(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        # With a threshold that never bites (two administrators agree), the holder's approval
        # would post the refund at once: then the balance is what refuses it.
        await agree_rules(
            client,
            funded.coop_id,
            funded.admin,
            funded.second_admin,
            {"refund_second_approval_pence": 10**9},
        )
        body = await refund_of(client, funded, funded.rep, 1_000, headers=funded.as_rep)
        await refund_of(client, funded, funded.holder, THRESHOLD)
        await refund_of(client, funded, funded.holder, FUNDS - THRESHOLD)
        approval = await approval_for(client, funded.holder, body["id"])
        problem(
            await client.post(
                f"/api/v1/me/approvals/{approval}/approve", headers=funded.holder.headers
            ),
            409,
            "insufficient_funds",
        )
        assert await approval_for(client, funded.holder, body["id"]) == approval
        assert (await funded.books(session)).balance(funded.holder_account) == 0

    async def test_a_representative_without_the_refund_scope_is_outside_the_mandate(
        self, client: httpx.AsyncClient, session: AsyncSession, funded: Pool
    ) -> None:
        viewer = await register_person(client)
        await grant_mandate(
            client,
            funded.holder,
            viewer,
            scopes=("view", "contribute"),
            limit_pence_per_cycle=10**6,
        )
        before = await funded.books(session)
        problem(
            await request_refund(
                client,
                funded.coop_id,
                viewer,
                member_id=funded.holder_member,
                amount_pence=1,
                headers=viewer.on_behalf_of(funded.holder),
            ),
            403,
            "outside_mandate",
        )
        assert await funded.books(session) == before

    async def test_asking_counts_against_the_mandates_limit(
        self, client: httpx.AsyncClient, funded: Pool
    ) -> None:
        await refund_of(client, funded, funded.rep, REP_LIMIT - 10, headers=funded.as_rep)
        problem(
            await request_refund(
                client,
                funded.coop_id,
                funded.rep,
                member_id=funded.holder_member,
                amount_pence=11,
                headers=funded.as_rep,
            ),
            403,
            "outside_mandate",
        )

    async def test_a_refused_request_gives_the_limit_back(
        self, client: httpx.AsyncClient, funded: Pool
    ) -> None:
        body = await refund_of(client, funded, funded.rep, REP_LIMIT, headers=funded.as_rep)
        approval = await approval_for(client, funded.holder, body["id"])
        ok(
            await client.post(
                f"/api/v1/me/approvals/{approval}/refuse", headers=funded.holder.headers
            )
        )
        await refund_of(client, funded, funded.rep, REP_LIMIT, headers=funded.as_rep)


class TestListRefunds:
    async def test_admins_see_every_refund_newest_first_and_members_their_own(
        self, client: httpx.AsyncClient, funded: Pool, clock: FrozenClock
    ) -> None:
        mine = await refund_of(client, funded, funded.holder, 100)
        clock.advance(timedelta(seconds=1))
        response = await request_refund(
            client, funded.coop_id, funded.other, member_id=funded.other_member, amount_pence=200
        )
        theirs = response.json()
        admin_view = await client.get(funded.url("/pool/refunds"), headers=funded.admin.headers)
        assert [r["id"] for r in admin_view.json()["items"]] == [theirs["id"], mine["id"]]
        holder_view = await client.get(funded.url("/pool/refunds"), headers=funded.holder.headers)
        assert [r["id"] for r in holder_view.json()["items"]] == [mine["id"]]
        rep_view = await client.get(funded.url("/pool/refunds"), headers=funded.as_rep)
        assert [r["id"] for r in rep_view.json()["items"]] == [mine["id"]]

    async def test_filters_by_status_and_pages(
        self, client: httpx.AsyncClient, funded: Pool
    ) -> None:
        posted = [await refund_of(client, funded, funded.holder, 100) for _ in range(3)]
        waiting = await refund_of(client, funded, funded.admin, 60_000)
        url = funded.url("/pool/refunds")
        pending = await client.get(
            url, params={"status": "pending_second_approval"}, headers=funded.admin.headers
        )
        assert [r["id"] for r in pending.json()["items"]] == [waiting["id"]]
        seen: list[str] = []
        params: dict[str, Any] = {"status": "posted", "limit": 2}
        while True:
            page = (await client.get(url, params=params, headers=funded.admin.headers)).json()
            seen += [r["id"] for r in page["items"]]
            if page["next_cursor"] is None:
                break
            params["cursor"] = page["next_cursor"]
        assert sorted(seen) == sorted(r["id"] for r in posted)

    async def test_a_member_cannot_read_someone_elses_refund(
        self, client: httpx.AsyncClient, funded: Pool
    ) -> None:
        mine = await refund_of(client, funded, funded.holder, 100)
        problem(
            await client.get(
                funded.url(f"/pool/refunds/{mine['id']}"), headers=funded.other.headers
            ),
            404,
            "not_found",
        )


class TestRefundsAddUpInACycle:
    """A refund needs the second administrator when it, with the member's other posted and
    waiting refunds of the same four-week cycle, exceeds the threshold (SPEC section 25)."""

    @pytest.fixture
    async def full(self, client: httpx.AsyncClient, pool: Pool) -> Pool:
        response = await contribute(client, pool.coop_id, pool.holder, amount_pence=100_000)
        assert response.status_code == 201, response.text
        return pool

    async def test_three_refunds_just_under_the_threshold(
        self, client: httpx.AsyncClient, session: AsyncSession, full: Pool
    ) -> None:
        under = THRESHOLD - 1
        first = await refund_of(client, full, full.holder, under)
        assert first["status"] == "posted"
        # The second makes the cycle's refunds 99,998: it waits, and so does the third (asked
        # by an administrator: the member's refunds count whoever asks).
        second = await refund_of(client, full, full.holder, under)
        assert second["status"] == "pending_second_approval"
        third = await refund_of(client, full, full.admin, under)
        assert third["status"] == "pending_second_approval"
        books = await full.books(session)
        assert books.balance(full.holder_account) == 100_000 - under
        approved = await approve(client, full, full.second_admin, second["id"])
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "posted"
        assert (await full.books(session)).balance(full.holder_account) == 100_000 - 2 * under

    async def test_refused_refunds_do_not_count_and_the_threshold_itself_is_allowed(
        self, client: httpx.AsyncClient, full: Pool
    ) -> None:
        first = await refund_of(client, full, full.holder, THRESHOLD - 1)
        waiting = await refund_of(client, full, full.holder, 10_000)
        assert (first["status"], waiting["status"]) == ("posted", "pending_second_approval")
        refused = await client.post(
            full.url(f"/pool/refunds/{waiting['id']}/refuse"), headers=full.admin.headers
        )
        assert refused.status_code == 200, refused.text
        # 49,999 + 1 is exactly the threshold: not above it.
        assert (await refund_of(client, full, full.holder, 1))["status"] == "posted"
        assert (await refund_of(client, full, full.holder, 1))["status"] == (
            "pending_second_approval"
        )

    async def test_another_members_refunds_do_not_count(
        self, client: httpx.AsyncClient, full: Pool
    ) -> None:
        other = await contribute(client, full.coop_id, full.other, amount_pence=40_000)
        assert other.status_code == 201, other.text
        response = await request_refund(
            client, full.coop_id, full.other, member_id=full.other_member, amount_pence=40_000
        )
        assert response.json()["status"] == "posted"
        assert (await refund_of(client, full, full.holder, THRESHOLD))["status"] == "posted"

    async def test_a_new_cycle_starts_afresh(
        self, client: httpx.AsyncClient, clock: FrozenClock, full: Pool
    ) -> None:
        assert (await refund_of(client, full, full.holder, THRESHOLD))["status"] == "posted"
        assert (await refund_of(client, full, full.holder, 1))["status"] == (
            "pending_second_approval"
        )
        clock.advance(timedelta(days=28))
        await sign_in_again(client, full.holder)
        assert (await refund_of(client, full, full.holder, 40_000))["status"] == "posted"

    async def test_a_representatives_refund_counts_from_when_it_is_asked_for(
        self, client: httpx.AsyncClient, full: Pool
    ) -> None:
        by_rep = await refund_of(client, full, full.rep, 40_000, headers=full.as_rep)
        assert by_rep["status"] == "pending_holder_approval"
        # Waiting for the holder, it already counts: 40,000 + 20,000 is above the threshold.
        assert (await refund_of(client, full, full.holder, 20_000))["status"] == (
            "pending_second_approval"
        )
        headers = {**full.holder.headers, "Idempotency-Key": uuid.uuid4().hex}
        decided = await client.post(
            f"/api/v1/me/approvals/{await approval_for(client, full.holder, by_rep['id'])}/approve",
            headers=headers,
        )
        assert decided.status_code == 200, decided.text
        refund = await client.get(
            full.url(f"/pool/refunds/{by_rep['id']}"), headers=full.admin.headers
        )
        assert refund.json()["status"] == "pending_second_approval"
