"""Two-administrator decisions under parallel requests, through a real server on PostgreSQL.

Administrators who agree at the same moment must still be counted one after the other: the
capacity mark applies once (never two requests waiting, never a 500 from the unique index),
and a refund waiting for two administrators posts exactly once however many approve at once.
"""

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.ledger.models import LedgerTransaction, TransactionKind
from app.representatives.models import CapacityChange, CapacityChangeStatus
from tests.ledger.test_concurrency import KEEPALIVE, person
from tests.servers import Server

pytestmark = pytest.mark.postgresql_only

ROUNDS = 3
ADMINS = 4


async def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    resolved: httpx.Response = await response
    assert resolved.status_code == status, resolved.text
    body: dict[str, Any] = resolved.json()
    return body


async def _family(
    client: httpx.AsyncClient,
) -> tuple[str, list[dict[str, str]], dict[str, str], dict[str, str], str]:
    """(co-op, administrators, mother, daughter, mother's member id)."""
    admins = [await person(client, f"Admin{n}") for n in range(ADMINS)]
    coop = (
        await _ok(
            client.post(
                "/api/v1/coops",
                json={
                    "name": "Cydweithfa Deulu",
                    "description": "Deciding together.",
                    "area_codes": ["W06000015"],
                    "rules": {},
                },
                headers=admins[0],
            ),
            201,
        )
    )["id"]
    for admin in admins[1:]:
        applied = await _ok(
            client.post(
                f"/api/v1/coops/{coop}/applications",
                json={"member_class": "carer"},
                headers=admin,
            ),
            201,
        )
        base = f"/api/v1/coops/{coop}/members/{applied['id']}"
        await _ok(client.post(f"{base}/approve", headers=admins[0]))
        await _ok(client.post(f"{base}/admin", json={"is_admin": True}, headers=admins[0]))
    mother, daughter = await person(client, "Mother"), await person(client, "Daughter")
    member = (
        await _ok(
            client.post(
                f"/api/v1/coops/{coop}/applications",
                json={"member_class": "service_user"},
                headers=mother,
            ),
            201,
        )
    )["id"]
    await _ok(client.post(f"/api/v1/coops/{coop}/members/{member}/approve", headers=admins[0]))
    await _ok(
        client.put(
            "/api/v1/me/direct-payment",
            json={
                "area_code": "W06000015",
                "weekly_amount_pence": 50_000,
                "start_date": "2026-01-05",
            },
            headers=mother,
        )
    )
    await _ok(
        client.post(
            f"/api/v1/coops/{coop}/pool/contributions",
            json={"amount_pence": 100_000, "reference": "March"},
            headers={**mother, "Idempotency-Key": uuid.uuid4().hex},
        ),
        201,
    )
    daughter_me = await _ok(client.get("/api/v1/me", headers=daughter))
    daughter_email = daughter_me["email"]
    mandate = await _ok(
        client.post(
            "/api/v1/me/representatives",
            json={
                "email": daughter_email,
                "scopes": ["view", "refund"],
                "limit_pence_per_cycle": 100_000,
                "role": "suitable_person",
            },
            headers=mother,
        ),
        201,
    )
    await _ok(client.post(f"/api/v1/me/representing/{mandate['id']}/accept", headers=daughter))
    return coop, admins, mother, daughter, member


async def test_administrators_agreeing_at_once_are_counted_one_after_the_other(
    server: Server,
) -> None:
    limits = httpx.Limits(max_connections=50, keepalive_expiry=KEEPALIVE)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as client:
        coop, admins, mother, daughter, member = await _family(client)
        mother_id = (await _ok(client.get("/api/v1/me", headers=mother)))["id"]
        capacity = f"/api/v1/coops/{coop}/members/{member}/capacity"
        # Every administrator marks her at once. Taken one after the other, each request either
        # waits (none was waiting) or is the second administrator's and applies it: never two
        # waiting at once, never a 500 from the index that allows one.
        answers = await asyncio.gather(
            *(client.post(capacity, json={"lacks_capacity": True}, headers=a) for a in admins)
        )
        assert sorted(a.status_code for a in answers) == [200, 200, 202, 202], [
            a.text for a in answers
        ]
        async with server.engine.connect() as connection:
            statuses = (
                await connection.scalars(
                    select(CapacityChange.status).where(CapacityChange.coop_id == uuid.UUID(coop))
                )
            ).all()
        assert statuses == [CapacityChangeStatus.applied] * 2

        for _ in range(ROUNDS):
            refund = await _ok(
                client.post(
                    f"/api/v1/coops/{coop}/pool/refunds",
                    json={"member_id": member, "amount_pence": 1_000, "reason": "Equipment"},
                    headers={
                        **daughter,
                        "X-On-Behalf-Of": mother_id,
                        "Idempotency-Key": uuid.uuid4().hex,
                    },
                ),
                201,
            )
            waiting = await _ok(client.get(f"/api/v1/coops/{coop}/approvals", headers=admins[0]))
            [approval] = [a for a in waiting["items"] if a["subject_id"] == refund["id"]]
            url = f"/api/v1/coops/{coop}/approvals/{approval['id']}/approve"
            decided = await asyncio.gather(*(client.post(url, headers=a) for a in admins))
            codes = sorted(d.status_code for d in decided)
            # The first yes waits, the second approves; later ones find it decided.
            assert codes == [200, 202, 409, 409], [d.text for d in decided]
            posted = await _ok(
                client.get(f"/api/v1/coops/{coop}/pool/refunds/{refund['id']}", headers=admins[0])
            )
            assert posted["status"] == "posted"
        async with server.engine.connect() as connection:
            refunds = await connection.scalar(
                select(func.count())
                .select_from(LedgerTransaction)
                .where(
                    LedgerTransaction.coop_id == uuid.UUID(coop),
                    LedgerTransaction.kind == TransactionKind.refund,
                )
            )
        assert refunds == ROUNDS
