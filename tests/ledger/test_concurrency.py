"""Parallel money through a real server: nothing lost, nothing twice, nothing overdrawn.

uvicorn runs in a subprocess against a scratch PostgreSQL database (the account row locks do
the work; SQLite writers would simply serialise) and is
hit through HTTP by many requests at once, some of them retries with the same Idempotency-Key.
The outcome is designed to be exact whatever order the server serialises them in:

* phase 1: 50 contributions and 50 refunds of 1,000 at once on 100,000 (every refund fits
  whatever the order): the balance ends where it began, 50 of each are posted;
* phase 2: 60 refunds of 3,000 at once on 100,000: exactly 33 post (99,000), the other 27
  are refused with `insufficient_funds`, and 1,000 is left;
* phase 3: 20 refunds of 1,000 at once under a threshold of 10,000: exactly 10 post and 10
  wait for a second administrator.
"""

import asyncio
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.ledger.models import LedgerTransaction, TransactionKind
from tests.contract import CHECKED
from tests.helpers import ok
from tests.ledger.checks import assert_books_balance
from tests.servers import Server

SEED = 100_000
SMALL = 1_000
BIG = 3_000
PARALLEL = 50
OVERDRAWING = 60
RETRIES = 10
THRESHOLD = 10_000
# Under the server's keep-alive timeout (5 s): a connection the server is closing is never reused.
KEEPALIVE = 2.0

pytestmark = pytest.mark.postgresql_only


async def person(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.org"
    password = "a long enough password"
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": password, "full_name": name},
    )
    assert registered.status_code == 201, registered.text
    token = await client.post("/api/v1/auth/token", data={"username": email, "password": password})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@dataclass
class Sent:
    key: str
    amount: int
    status: int
    body: dict[str, Any]


async def fire(
    client: httpx.AsyncClient,
    path: str,
    headers: dict[str, str],
    bodies: list[tuple[str, dict[str, Any]]],
) -> list[Sent]:
    async def one(key: str, body: dict[str, Any]) -> Sent:
        response = await client.post(path, json=body, headers={**headers, "Idempotency-Key": key})
        return Sent(key, body["amount_pence"], response.status_code, response.json())

    return list(await asyncio.gather(*(one(key, body) for key, body in bodies)))


def by_key(sent: list[Sent]) -> dict[str, list[Sent]]:
    found: dict[str, list[Sent]] = defaultdict(list)
    for item in sent:
        found[item.key].append(item)
    return found


def applied_keys(sent: list[Sent], server_log: Path) -> set[str]:
    """Keys whose work was done: every success for a key carries the very same answer, and a
    retry is otherwise only ever told the first is still in flight."""
    applied = set()
    for key, answers in by_key(sent).items():
        successes = [a.body for a in answers if a.status == 201]
        assert all(body == successes[0] for body in successes), (key, answers)
        for answer in answers:
            if answer.status != 201:
                assert answer.status == 409, (answer, server_log.read_text())
        if successes:
            applied.add(key)
    return applied


async def count(engine: AsyncEngine, kind: TransactionKind, *coops: str) -> int:
    """The transactions of `kind` in these co-ops (the server is shared with other tests)."""
    async with engine.connect() as connection:
        found = await connection.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(
                LedgerTransaction.kind == kind,
                LedgerTransaction.coop_id.in_([uuid.UUID(coop) for coop in coops]),
            )
        )
    return int(found or 0)


async def test_parallel_contributions_and_refunds_end_as_if_run_one_by_one(
    server: Server,
) -> None:
    limits = httpx.Limits(
        max_connections=200, max_keepalive_connections=200, keepalive_expiry=KEEPALIVE
    )
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, limits=limits, event_hooks=CHECKED
    ) as client:
        admin = await person(client, "Admin")
        holder = await person(client, "Holder")
        created = await client.post(
            "/api/v1/coops",
            json={
                "name": "Cydweithfa Brysur",
                "description": "Busy.",
                "area_codes": ["W06000015"],
                "rules": {"refund_second_approval_pence": 10_000_000},
            },
            headers=admin,
        )
        coop = created.json()["id"]
        applied = await client.post(
            f"/api/v1/coops/{coop}/applications",
            json={"member_class": "service_user"},
            headers=holder,
        )
        member = applied.json()["id"]
        ok(await client.post(f"/api/v1/coops/{coop}/members/{member}/approve", headers=admin))
        award = await client.put(
            "/api/v1/me/direct-payment",
            json={
                "area_code": "W06000015",
                "weekly_amount_pence": 10_000_000,
                "start_date": "2026-01-05",
            },
            headers=holder,
        )
        assert award.status_code == 200, award.text
        contributions = f"/api/v1/coops/{coop}/pool/contributions"
        refunds = f"/api/v1/coops/{coop}/pool/refunds"
        seeded = await fire(
            client, contributions, holder, [("seed", {"amount_pence": SEED, "reference": "seed"})]
        )
        assert seeded[0].status == 201, seeded

        # Phase 1: every refund fits whatever the order, so every request must post once.
        paid_in = [
            (f"c{n}", {"amount_pence": SMALL, "reference": f"c{n}"}) for n in range(PARALLEL)
        ]
        paid_out = [
            (f"r{n}", {"member_id": member, "amount_pence": SMALL, "reason": f"r{n}"})
            for n in range(PARALLEL)
        ]
        first = await asyncio.gather(
            fire(client, contributions, holder, paid_in + paid_in[:RETRIES]),
            fire(client, refunds, holder, paid_out + paid_out[:RETRIES]),
        )
        assert applied_keys(first[0], server.log) == {key for key, _ in paid_in}
        assert applied_keys(first[1], server.log) == {key for key, _ in paid_out}

        # Phase 2: more refunds than the balance holds; exactly floor(balance / size) post.
        overdrawing = [
            (f"o{n}", {"member_id": member, "amount_pence": BIG, "reason": f"o{n}"})
            for n in range(OVERDRAWING)
        ]
        second = await fire(client, refunds, holder, overdrawing + overdrawing[:RETRIES])
        accepted = applied_keys(second, server.log)
        assert len(accepted) == SEED // BIG
        for key, answers in by_key(second).items():
            if key not in accepted:
                codes = {a.body["code"] for a in answers}
                assert "insufficient_funds" in codes, answers
                assert codes <= {"insufficient_funds", "idempotency_in_progress"}, answers

        # Phase 3, in a co-op with a threshold of 10,000: the member's refunds of the cycle add
        # up, so of 20 refunds of 1,000 at once exactly 10 post and the rest wait, whatever
        # the order (none may slip under the threshold by not seeing the others).
        strict = await client.post(
            "/api/v1/coops",
            json={
                "name": "Cydweithfa Ofalus",
                "description": "Careful.",
                "area_codes": ["W06000015"],
                "rules": {"refund_second_approval_pence": THRESHOLD},
            },
            headers=admin,
        )
        strict_coop = strict.json()["id"]
        joined = await client.post(
            f"/api/v1/coops/{strict_coop}/applications",
            json={"member_class": "service_user"},
            headers=holder,
        )
        strict_member = joined.json()["id"]
        ok(
            await client.post(
                f"/api/v1/coops/{strict_coop}/members/{strict_member}/approve", headers=admin
            )
        )
        strict_seed = await fire(
            client,
            f"/api/v1/coops/{strict_coop}/pool/contributions",
            holder,
            [("strict-seed", {"amount_pence": SEED, "reference": "seed"})],
        )
        assert strict_seed[0].status == 201, strict_seed
        many = [
            (f"s{n}", {"member_id": strict_member, "amount_pence": SMALL, "reason": f"s{n}"})
            for n in range(2 * THRESHOLD // SMALL)
        ]
        third = await fire(client, f"/api/v1/coops/{strict_coop}/pool/refunds", holder, many)
        statuses = sorted(sent.body["status"] for sent in third)
        assert statuses == ["pending_second_approval"] * 10 + ["posted"] * 10, third

    async with server.engine.connect() as connection:
        books = await assert_books_balance(connection, uuid.UUID(coop))
    assert books.balance(f"member:{member}") == SEED - (SEED // BIG) * BIG
    assert books.balance("external:deposits") == -(SEED + PARALLEL * SMALL)
    assert books.balance("external:payouts") == PARALLEL * SMALL + (SEED // BIG) * BIG
    assert (
        await count(server.engine, TransactionKind.contribution, coop, strict_coop) == 2 + PARALLEL
    )
    assert (
        await count(server.engine, TransactionKind.refund, coop, strict_coop)
        == PARALLEL + SEED // BIG + 10
    )
