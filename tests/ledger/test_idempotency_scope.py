"""An Idempotency-Key names one request: the resource it acts on and the person acted for.

A retry that spells the co-op's id differently is still the same request (it replays);
a representative's key for one holder is not the key for another holder (both post).
"""

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.ledger.models import LedgerTransaction, TransactionKind
from tests.factories import grant_mandate
from tests.ledger.conftest import Pool


async def contributions(session: AsyncSession, pool: Pool) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(LedgerTransaction)
        .where(
            LedgerTransaction.coop_id == pool.coop_id,
            LedgerTransaction.kind == TransactionKind.contribution,
        )
    )
    return int(found or 0)


async def test_a_retry_with_the_coop_id_in_upper_case_posts_once_and_replays(
    client: httpx.AsyncClient, pool: Pool, session: AsyncSession
) -> None:
    before = await contributions(session, pool)
    body = {"amount_pence": 1_500, "reference": "Direct Payment, March"}
    headers = {**pool.holder.headers, "Idempotency-Key": "march-1"}
    first = await client.post(
        f"/api/v1/coops/{pool.coop_id}/pool/contributions", json=body, headers=headers
    )
    assert first.status_code == 201, first.text
    spellings = [
        str(pool.coop_id).upper(),
        pool.coop_id.hex,
        "{" + str(pool.coop_id) + "}",
    ]
    for spelling in spellings:
        again = await client.post(
            f"/api/v1/coops/{spelling}/pool/contributions", json=body, headers=headers
        )
        assert again.status_code == 201, (spelling, again.text)
        assert again.content == first.content, spelling
    assert await contributions(session, pool) == before + 1
    books = await pool.books(session)
    assert books.balance(pool.holder_account) == 1_500


async def test_one_key_for_two_holders_posts_once_for_each(
    client: httpx.AsyncClient, pool: Pool, session: AsyncSession
) -> None:
    await grant_mandate(
        client, pool.other, pool.rep, scopes=("view", "contribute"), limit_pence_per_cycle=60_000
    )
    before = await contributions(session, pool)
    body = {"amount_pence": 2_000, "reference": "Direct Payment, March"}
    path = f"/api/v1/coops/{pool.coop_id}/pool/contributions"
    answers = {}
    for holder in (pool.holder, pool.other):
        headers = {**pool.rep.on_behalf_of(holder), "Idempotency-Key": "one-key"}
        answers[holder.email] = await client.post(path, json=body, headers=headers)
        assert answers[holder.email].status_code == 201, answers[holder.email].text
    first, second = answers.values()
    assert first.json()["id"] != second.json()["id"]
    assert await contributions(session, pool) == before + 2
    books = await pool.books(session)
    assert books.balance(pool.holder_account) == 2_000
    assert books.balance(pool.other_account) == 2_000
    # And each holder's own retry still replays their own answer.
    for holder, answer in zip((pool.holder, pool.other), (first, second), strict=True):
        headers = {**pool.rep.on_behalf_of(holder), "Idempotency-Key": "one-key"}
        again = await client.post(path, json=body, headers=headers)
        assert again.content == answer.content
    assert await contributions(session, pool) == before + 2
