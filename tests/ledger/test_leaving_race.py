"""Leaving while money moves, through a real server of two workers on PostgreSQL.

A member leaves (or closes their account) while contributions into their account, from them
and from an administrator, are still arriving, and while another member pays in and takes
money out. Every one of those requests either happens before the leave (and is paid out
with the balance) or is refused; the leave itself always succeeds; nothing answers 500
(a deadlock between the leave and a posting would); and afterwards no account of the member
who left holds a penny.
"""

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.coops.models import Member, MemberStatus
from app.ledger.models import LedgerTransaction, TransactionKind
from tests.contract import CHECKED
from tests.ledger.checks import assert_books_balance
from tests.ledger.test_concurrency import KEEPALIVE, person
from tests.servers import Server

pytestmark = pytest.mark.postgresql_only

ROUNDS = 3
CONTRIBUTIONS = 30
AMOUNT = 731
# What a contribution sent around a leave may answer: posted, or refused because the member
# is no longer active (409), no longer a member at all (404) or signed out for good (401).
REFUSED = {
    409: "member_not_active",
    404: "not_found",
    401: "not_authenticated",
}


async def _post(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], body: dict[str, Any]
) -> httpx.Response:
    return await client.post(
        path, json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
    )


async def _coop(client: httpx.AsyncClient, admin: dict[str, str]) -> str:
    created = await client.post(
        "/api/v1/coops",
        json={
            "name": "Cydweithfa'r Ymadawyr",
            "description": "Members come and go.",
            "area_codes": ["W06000015"],
            "rules": {"refund_second_approval_pence": 10_000_000},
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    coop: str = created.json()["id"]
    return coop


async def _holder(
    client: httpx.AsyncClient, coop: str, admin: dict[str, str], name: str
) -> tuple[dict[str, str], str]:
    holder = await person(client, name)
    applied = await client.post(
        f"/api/v1/coops/{coop}/applications", json={"member_class": "service_user"}, headers=holder
    )
    assert applied.status_code == 201, applied.text
    member: str = applied.json()["id"]
    approved = await client.post(f"/api/v1/coops/{coop}/members/{member}/approve", headers=admin)
    assert approved.status_code == 200, approved.text
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
    return holder, member


def _assert_refused_or_posted(response: httpx.Response, log: str) -> None:
    if response.status_code == 201:
        return
    assert response.status_code in REFUSED, (response.status_code, response.text, log)
    assert response.json()["code"] == REFUSED[response.status_code], response.text


async def _race(server: Server, *, close_account: bool) -> None:
    limits = httpx.Limits(
        max_connections=100, max_keepalive_connections=100, keepalive_expiry=KEEPALIVE
    )
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, limits=limits, event_hooks=CHECKED
    ) as client:
        admin = await person(client, "Admin")
        coop = await _coop(client, admin)
        contributions = f"/api/v1/coops/{coop}/pool/contributions"
        refunds = f"/api/v1/coops/{coop}/pool/refunds"
        other, other_member = await _holder(client, coop, admin, "Other")
        seeded = await _post(
            client, contributions, other, {"amount_pence": 50_000, "reference": "seed"}
        )
        assert seeded.status_code == 201, seeded.text
        leavers = []
        paid_in = 0  # into the leavers' accounts, all of which must have gone out again
        for round_ in range(ROUNDS):
            holder, member = await _holder(client, coop, admin, f"Leaver{round_}")
            first = await _post(
                client, contributions, holder, {"amount_pence": 5_000, "reference": "before"}
            )
            assert first.status_code == 201, first.text
            leavers.append(member)

            def contribution(n: int, holder: dict[str, str] = holder, member: str = member) -> Any:
                if n % 2:  # an administrator recording a bank transfer for the member
                    body = {"amount_pence": AMOUNT, "reference": f"c{n}", "member_id": member}
                    return _post(client, contributions, admin, body)
                return _post(
                    client, contributions, holder, {"amount_pence": AMOUNT, "reference": f"c{n}"}
                )

            if close_account:
                leaving = client.delete("/api/v1/me", headers=holder)
            else:
                leaving = client.post(
                    f"/api/v1/coops/{coop}/members/{member}/leave", headers=holder
                )
            half = CONTRIBUTIONS // 2
            answers = await asyncio.gather(
                *(contribution(n) for n in range(half)),
                leaving,
                *(contribution(n) for n in range(half, CONTRIBUTIONS)),
                *(
                    _post(client, contributions, other, {"amount_pence": 100, "reference": f"o{n}"})
                    for n in range(5)
                ),
                *(
                    _post(
                        client,
                        refunds,
                        other,
                        {"member_id": other_member, "amount_pence": 100, "reason": f"r{n}"},
                    )
                    for n in range(5)
                ),
            )
            log = server.log.read_text()
            left = answers[half]
            assert left.status_code == (204 if close_account else 200), (left.text, log)
            for answer in answers[:half] + answers[half + 1 : CONTRIBUTIONS + 1]:
                _assert_refused_or_posted(answer, log)
            for answer in answers[CONTRIBUTIONS + 1 :]:
                assert answer.status_code == 201, (answer.text, log)
            statuses = Counter(a.status_code for a in answers[: CONTRIBUTIONS + 1])
            assert 500 not in statuses, log
            paid_in += 5_000 + AMOUNT * (statuses[201])

    assert "deadlock" not in server.log.read_text().lower()
    async with server.engine.connect() as connection:
        books = await assert_books_balance(connection, uuid.UUID(coop))
        for member in leavers:
            assert books.balance(f"member:{member}") == 0, member
            status = await connection.scalar(
                select(Member.status).where(Member.id == uuid.UUID(member))
            )
            assert status == MemberStatus.left
        leaving_refunds = await connection.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(
                LedgerTransaction.coop_id == uuid.UUID(coop),
                LedgerTransaction.kind == TransactionKind.leaving_refund,
            )
        )
    # Whatever was paid in before each leave went out with it, and nothing came in after.
    assert leaving_refunds == ROUNDS
    assert books.balance("external:payouts") == paid_in + ROUNDS * 5 * 100
    assert books.balance(f"member:{other_member}") == 50_000


async def test_contributions_racing_a_leave_are_paid_out_or_refused(server: Server) -> None:
    await _race(server, close_account=False)


async def test_contributions_racing_an_account_closure_are_paid_out_or_refused(
    server: Server,
) -> None:
    await _race(server, close_account=True)
