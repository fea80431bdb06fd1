"""Bank statements under real parallel requests, through a real server of two workers on
PostgreSQL: overlapping files imported at once store each line once and match each
transaction once; the contribution a line shows, asked for many times at once, posts once."""

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.bank.models import BankLine, BankLineDecision
from app.ledger.models import LedgerTransaction, TransactionKind
from tests.contract import CHECKED
from tests.helpers import ok
from tests.ledger.checks import assert_books_balance
from tests.ledger.test_concurrency import KEEPALIVE, person
from tests.servers import Server

pytestmark = pytest.mark.postgresql_only

LINES = 90
OVERLAP = range(30, 60)
REFERENCED = range(35, 45)  # lines naming a contribution's reference
COPIES = 4


def statement(numbers: range) -> str:
    """CSV lines 1 March + n days, the ones in REFERENCED naming contribution n's reference,
    and in each file the same two identical cash lines (so they are stored twice, not four
    times)."""
    rows = ["date,description,amount_pence"]
    for n in numbers:
        day = f"2026-03-{1 + n % 28:02d}"
        text = f"Taliad DPC-{n:04d} gan Siân" if n in REFERENCED else f"Llinell {n} â ŵ"
        rows.append(f"{day},{text},{1_000 + n}")
    rows += ["2026-03-09,Arian parod,300", "2026-03-09,Arian parod,300"]
    return "\n".join(rows) + "\n"


async def _world(client: httpx.AsyncClient) -> tuple[str, dict[str, str], str, dict[str, str]]:
    admin = await person(client, "Admin")
    created = ok(
        await client.post(
            "/api/v1/coops",
            json={
                "name": "Cydweithfa'r Banc",
                "description": "Statements.",
                "area_codes": ["W06000015"],
                "rules": {},
            },
            headers=admin,
        )
    )
    coop: str = created.json()["id"]
    holder = await person(client, "Holder")
    member = ok(
        await client.post(
            f"/api/v1/coops/{coop}/applications",
            json={"member_class": "service_user"},
            headers=holder,
        )
    ).json()["id"]
    ok(await client.post(f"/api/v1/coops/{coop}/members/{member}/approve", headers=admin))
    ok(
        await client.put(
            "/api/v1/me/direct-payment",
            json={
                "area_code": "W06000015",
                "weekly_amount_pence": 10_000_000,
                "start_date": "2026-01-05",
            },
            headers=holder,
        )
    )
    return coop, admin, member, holder


async def _count(server: Server, stmt: Any) -> int:
    async with server.engine.connect() as connection:
        return int(await connection.scalar(stmt) or 0)


async def test_overlapping_imports_at_once_store_each_line_once(server: Server) -> None:
    limits = httpx.Limits(max_connections=50, keepalive_expiry=KEEPALIVE)
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, limits=limits, event_hooks=CHECKED
    ) as client:
        coop, admin, _, holder = await _world(client)
        for n in REFERENCED:
            ok(
                await client.post(
                    f"/api/v1/coops/{coop}/pool/contributions",
                    json={"amount_pence": 1_000 + n, "reference": f"DPC-{n:04d}"},
                    headers={**holder, "Idempotency-Key": uuid.uuid4().hex},
                )
            )
        files = [statement(range(0, 60)), statement(range(30, LINES))] * COPIES

        async def send(text: str) -> httpx.Response:
            return await client.post(
                f"/api/v1/coops/{coop}/bank/statements",
                content=text.encode(),
                headers={**admin, "Content-Type": "text/csv"},
            )

        answers = await asyncio.gather(*(send(text) for text in files))
    log = server.log.read_text()
    assert all(a.status_code == 200 for a in answers), ([a.text for a in answers], log)
    bodies = [a.json() for a in answers]
    stored = LINES + 2
    assert sum(b["imported"] for b in bodies) == stored
    assert sum(b["imported"] + b["duplicates"] for b in bodies) == sum(
        text.count("\n") - 1 for text in files
    )
    assert sum(b["matched"] for b in bodies) == len(REFERENCED)
    coop_id = uuid.UUID(coop)
    assert await _count(server, select(func.count()).where(BankLine.coop_id == coop_id)) == stored
    decided = select(func.count()).where(BankLineDecision.coop_id == coop_id)
    assert await _count(server, decided) == len(REFERENCED)
    distinct = select(func.count(func.distinct(BankLineDecision.transaction_id))).where(
        BankLineDecision.coop_id == coop_id
    )
    assert await _count(server, distinct) == len(REFERENCED)


async def test_the_contribution_a_line_shows_posts_once_under_parallel_requests(
    server: Server,
) -> None:
    limits = httpx.Limits(max_connections=50, keepalive_expiry=KEEPALIVE)
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, limits=limits, event_hooks=CHECKED
    ) as client:
        coop, admin, member, _ = await _world(client)
        ok(
            await client.post(
                f"/api/v1/coops/{coop}/bank/statements",
                content=b"date,description,amount\n2026-03-02,Trosglwyddiad,75.00\n",
                headers={**admin, "Content-Type": "text/csv"},
            )
        )
        (line,) = ok(await client.get(f"/api/v1/coops/{coop}/bank/lines", headers=admin)).json()[
            "items"
        ]
        url = f"/api/v1/coops/{coop}/bank/lines/{line['id']}/create-contribution"
        answers = await asyncio.gather(
            *(client.post(url, json={"member_id": member}, headers=admin) for _ in range(12))
        )
    log = server.log.read_text()
    assert sorted(a.status_code for a in answers) == [200] * 11 + [201], (
        [a.text for a in answers],
        log,
    )
    assert len({a.json()["id"] for a in answers}) == 1
    coop_id = uuid.UUID(coop)
    posted = select(func.count()).where(
        LedgerTransaction.coop_id == coop_id, LedgerTransaction.kind == TransactionKind.contribution
    )
    assert await _count(server, posted) == 1
    async with server.engine.connect() as connection:
        books = await assert_books_balance(connection, coop_id)
    assert books.balance(f"member:{member}") == 7_500
