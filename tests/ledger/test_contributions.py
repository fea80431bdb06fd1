from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.core.money import pounds_text
from tests.factories import (
    contribute,
    create_coop,
    fresh_token,
    grant_mandate,
    join_coop,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok, problem
from tests.ledger.checks import assert_books_balance
from tests.ledger.conftest import REP_LIMIT, WEEKLY, Pool


class TestCreateContribution:
    async def test_a_holder_pays_into_their_own_account(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        response = await contribute(
            client, pool.coop_id, pool.holder, amount_pence=12_345, reference="Taliad Mawrth"
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["kind"] == "contribution"
        assert body["memo"] == "Taliad Mawrth"
        assert body["actor_user_id"] == str(pool.holder.id)
        assert body["on_behalf_of_user_id"] is None
        assert body["postings"] == [
            {"account": "external:deposits", "amount_pence": -12_345},
            {"account": pool.holder_account, "amount_pence": 12_345},
        ]
        books = await assert_books_balance(session, pool.coop_id)
        assert books.balance(pool.holder_account) == 12_345
        assert books.balance("external:deposits") == -12_345

    async def test_a_replay_returns_the_first_answer_and_posts_once(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        first = await contribute(client, pool.coop_id, pool.holder, amount_pence=500, key="k1")
        again = await contribute(client, pool.coop_id, pool.holder, amount_pence=500, key="k1")
        assert first.status_code == again.status_code == 201
        assert first.content == again.content
        books = await pool.books(session)
        assert (books.transactions, books.balance(pool.holder_account)) == (1, 500)

    async def test_the_same_key_with_another_body_is_refused_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        first = await contribute(client, pool.coop_id, pool.holder, amount_pence=500, key="k1")
        assert first.status_code == 201, first.text
        problem(
            await contribute(client, pool.coop_id, pool.holder, amount_pence=501, key="k1"),
            422,
            "idempotency_key_reused",
        )
        assert (await pool.books(session)).balance(pool.holder_account) == 500

    async def test_without_a_key_nothing_is_posted(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        response = await client.post(
            pool.url("/pool/contributions"),
            json={"amount_pence": 500, "reference": "r"},
            headers=pool.holder.headers,
        )
        problem(response, 400, "idempotency_key_required")
        assert (await pool.books(session)).transactions == 0

    @pytest.mark.parametrize("amount", [0, -1, 10_000_001, 10.5, "500", True, None])
    async def test_an_amount_outside_1_to_10_million_whole_pence_is_invalid(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool, amount: Any
    ) -> None:
        response = await client.post(
            pool.url("/pool/contributions"),
            json={"amount_pence": amount, "reference": "r"},
            headers={**pool.holder.headers, "Idempotency-Key": "k"},
        )
        problem(response, 422, "validation_error")
        assert (await pool.books(session)).transactions == 0

    async def test_the_largest_amount_is_accepted(
        self, client: httpx.AsyncClient, pool: Pool
    ) -> None:
        await set_direct_payment(client, pool.holder, weekly_amount_pence=10_000_000)
        response = await contribute(client, pool.coop_id, pool.holder, amount_pence=10_000_000)
        assert response.status_code == 201, response.text

    async def test_more_than_four_weeks_of_the_award_across_coops_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        other_coop = await create_coop(client, pool.elsewhere, name="Ail Gwmni")
        await join_coop(client, other_coop, pool.holder, pool.elsewhere)
        assert (
            await contribute(client, other_coop, pool.holder, amount_pence=60_000)
        ).status_code == 201
        assert (
            await contribute(client, pool.coop_id, pool.holder, amount_pence=30_000)
        ).status_code == 201
        body = problem(
            await contribute(client, pool.coop_id, pool.holder, amount_pence=10_001),
            422,
            "exceeds_direct_payment",
        )
        assert body["remaining_pence"] == 10_000
        assert (await pool.books(session)).balance(pool.holder_account) == 30_000

    async def test_a_new_cycle_brings_a_new_allowance(
        self, client: httpx.AsyncClient, pool: Pool, clock: FrozenClock
    ) -> None:
        full = 4 * WEEKLY
        assert (
            await contribute(client, pool.coop_id, pool.holder, amount_pence=full)
        ).status_code == 201
        problem(
            await contribute(client, pool.coop_id, pool.holder, amount_pence=1),
            422,
            "exceeds_direct_payment",
        )
        clock.advance(timedelta(days=28))
        await fresh_token(client, pool.holder)
        assert (
            await contribute(client, pool.coop_id, pool.holder, amount_pence=full)
        ).status_code == 201

    async def test_without_an_award_in_force_nothing_is_posted(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        problem(
            await contribute(client, pool.coop_id, pool.admin, amount_pence=100),
            422,
            "no_direct_payment",
        )
        assert (await pool.books(session)).transactions == 0

    async def test_a_member_who_is_not_a_holder_cannot_contribute(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        carer = await register_person(client)
        await join_coop(client, pool.coop_id, carer, pool.admin, member_class="carer")
        await set_direct_payment(client, carer)
        problem(
            await contribute(client, pool.coop_id, carer, amount_pence=100), 422, "not_a_holder"
        )
        assert (await pool.books(session)).transactions == 0

    async def test_a_representative_contributes_for_the_holder_within_the_limit(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        response = await contribute(
            client, pool.coop_id, pool.rep, amount_pence=REP_LIMIT - 100, headers=pool.as_rep
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["actor_user_id"] == str(pool.rep.id)
        assert body["on_behalf_of_user_id"] == str(pool.holder.id)
        assert body["postings"][1] == {
            "account": pool.holder_account,
            "amount_pence": REP_LIMIT - 100,
        }
        refused = problem(
            await contribute(client, pool.coop_id, pool.rep, amount_pence=101, headers=pool.as_rep),
            403,
            "outside_mandate",
        )
        # The limit as a person reads it, in pounds, whichever language they read.
        limit = pounds_text(REP_LIMIT)
        assert refused["detail"].endswith(f"beyond your mandate's limit of {limit}."), refused
        in_welsh = await contribute(
            client,
            pool.coop_id,
            pool.rep,
            amount_pence=101,
            headers={**pool.as_rep, "Accept-Language": "cy"},
        )
        assert problem(in_welsh, 403, "outside_mandate")["detail"].endswith(f"sef {limit}.")
        assert (await pool.books(session)).balance(pool.holder_account) == REP_LIMIT - 100

    async def test_what_the_holder_pays_in_person_does_not_use_the_mandate(
        self, client: httpx.AsyncClient, pool: Pool
    ) -> None:
        in_person = await contribute(client, pool.coop_id, pool.holder, amount_pence=30_000)
        assert in_person.status_code == 201, in_person.text
        response = await contribute(
            client, pool.coop_id, pool.rep, amount_pence=REP_LIMIT, headers=pool.as_rep
        )
        assert response.status_code == 201, response.text

    async def test_a_representative_without_the_contribute_scope_is_outside_the_mandate(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        viewer = await register_person(client)
        await grant_mandate(
            client, pool.holder, viewer, scopes=("view",), limit_pence_per_cycle=10**6
        )
        problem(
            await contribute(
                client,
                pool.coop_id,
                viewer,
                amount_pence=100,
                headers=viewer.on_behalf_of(pool.holder),
            ),
            403,
            "outside_mandate",
        )
        assert (await pool.books(session)).transactions == 0

    async def test_an_admin_records_a_bank_transfer_under_the_holders_allowance(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        response = await contribute(
            client, pool.coop_id, pool.admin, amount_pence=90_000, member_id=pool.holder_member
        )
        assert response.status_code == 201, response.text
        assert response.json()["actor_user_id"] == str(pool.admin.id)
        problem(
            await contribute(client, pool.coop_id, pool.holder, amount_pence=10_001),
            422,
            "exceeds_direct_payment",
        )
        problem(
            await contribute(
                client, pool.coop_id, pool.admin, amount_pence=10_001, member_id=pool.holder_member
            ),
            422,
            "exceeds_direct_payment",
        )
        assert (await pool.books(session)).balance(pool.holder_account) == 90_000

    async def test_a_member_cannot_pay_into_someone_elses_account(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        for person, headers in ((pool.holder, None), (pool.rep, pool.as_rep)):
            problem(
                await contribute(
                    client,
                    pool.coop_id,
                    person,
                    amount_pence=100,
                    member_id=pool.other_member,
                    headers=headers,
                ),
                403,
                "forbidden",
            )
        assert (await pool.books(session)).transactions == 0

    async def test_an_unknown_member_or_another_coops_member_is_not_found(
        self, client: httpx.AsyncClient, pool: Pool
    ) -> None:
        stranger = await join_coop(
            client,
            await create_coop(client, pool.elsewhere, name="Trydydd"),
            await register_person(client),
            pool.elsewhere,
        )
        problem(
            await contribute(
                client, pool.coop_id, pool.admin, amount_pence=100, member_id=stranger
            ),
            404,
            "not_found",
        )

    async def test_a_suspended_member_receives_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, pool: Pool
    ) -> None:
        ok(
            await client.post(
                pool.url(f"/members/{pool.other_member}/suspend"), headers=pool.admin.headers
            )
        )
        problem(
            await contribute(
                client, pool.coop_id, pool.admin, amount_pence=100, member_id=pool.other_member
            ),
            409,
            "member_not_active",
        )
        assert (await pool.books(session)).transactions == 0
