"""One bank statement of 10,000 lines imported with matching, on PostgreSQL.

Empties and migrates a benchmark database, founds a co-op with one holder through the API,
and posts the ledger the statement is matched against straight into its tables (5,000 contributions, each with its own amount and reference, and 2,000 refunds, over the
first quarter of 2026). Then it times, through the API (the app in process, over ASGI), the
import of a CSV statement of 10,000 lines (5,000 naming a contribution's reference, 2,000
refunds within a day of theirs, 3,000 lines that match nothing) and the same file again
(all duplicates). It fails unless the first import stores 10,000 lines and matches 7,000.

    /work/main/.venv/bin/python -m bench.bank_import \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench_bank
"""

import argparse
import asyncio
import cProfile
import platform
import pstats
import time as clock
import uuid
from datetime import UTC, date, datetime, time, timedelta

import httpx
from sqlalchemy import insert, select, update

from app.cli import migrate
from app.core.config import Settings
from app.core.db import create_engine
from app.ledger import service as ledger
from app.ledger.models import (
    ContributionSource,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
    TransactionKind,
)
from app.main import create_app
from bench.ledger_bench import PASSWORD, reset_database

CONTRIBUTIONS = 5_000
REFUNDS = 2_000
OTHERS = 3_000
FIRST_DAY = date(2026, 1, 5)


def day_of(n: int) -> date:
    return FIRST_DAY + timedelta(days=n % 80)


async def person(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.org"
    registered = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "full_name": name}
    )
    registered.raise_for_status()
    token = await client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def post_ledger(settings: Settings, coop_id: uuid.UUID, member_id: uuid.UUID) -> None:
    """The ledger written straight into its tables (as bench/stats_generate.py does): the
    benchmark is of the import, and 7,000 postings through the service one by one would take
    minutes here."""
    engine = create_engine(settings, bounded=False)
    transactions: list[dict[str, object]] = []
    postings: list[dict[str, object]] = []
    try:
        async with engine.begin() as connection:
            accounts = dict(
                (
                    await connection.execute(
                        select(LedgerAccount.code, LedgerAccount.id).where(
                            LedgerAccount.coop_id == coop_id
                        )
                    )
                ).all()
            )
            member = accounts[ledger.member_account(member_id)]
            for n in range(CONTRIBUTIONS + REFUNDS):
                at = datetime.combine(day_of(n), time(10), tzinfo=UTC)
                tx_id = uuid.uuid4()
                if n < CONTRIBUTIONS:
                    kind, memo, amount, source = (
                        TransactionKind.contribution,
                        f"DPC-{n:05d}",
                        100_000 + n,
                        ContributionSource.direct_payment,
                    )
                    moves = [(accounts[ledger.DEPOSITS], -amount), (member, amount)]
                else:
                    kind, memo, amount, source = (
                        TransactionKind.refund,
                        f"Refund {n}",
                        1_000 + n,
                        None,
                    )
                    moves = [(member, -amount), (accounts[ledger.PAYOUTS], amount)]
                transactions.append(
                    {"id": tx_id, "coop_id": coop_id, "kind": kind, "memo": memo, "created_at": at}
                )
                postings.extend(
                    {
                        "id": uuid.uuid4(),
                        "transaction_id": tx_id,
                        "kind": kind,
                        "account_id": account_id,
                        "position": position,
                        "amount_pence": pence,
                        "created_at": at,
                        "source": source,
                    }
                    for position, (account_id, pence) in enumerate(moves)
                )
            await connection.execute(insert(LedgerTransaction), transactions)
            await connection.execute(insert(LedgerPosting), postings)
            totals: dict[uuid.UUID, int] = {}
            for posting in postings:
                account_id = posting["account_id"]
                assert isinstance(account_id, uuid.UUID)
                totals[account_id] = totals.get(account_id, 0) + int(str(posting["amount_pence"]))
            for account_id, total in totals.items():
                await connection.execute(
                    update(LedgerAccount)
                    .where(LedgerAccount.id == account_id)
                    .values(balance_pence=total)
                )
    finally:
        await engine.dispose()


def statement() -> bytes:
    rows = ["date,description,amount_pence,reference"]
    rows.extend(
        f"{day_of(n)},BACS Gwenllïan ap Rhys,{100_000 + n},DPC-{n:05d}"
        for n in range(CONTRIBUTIONS)
    )
    rows.extend(
        f"{day_of(n) + timedelta(days=1)},Ad-daliad {n},{-(1_000 + n)},"
        for n in range(CONTRIBUTIONS, CONTRIBUTIONS + REFUNDS)
    )
    rows.extend(f"{day_of(n)},Llog {n},{n + 1},INT" for n in range(OTHERS))
    return ("\n".join(rows) + "\n").encode()


async def measure(settings: Settings, *, profile: bool) -> None:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", timeout=600
    ) as client:
        admin = await person(client, "Trysorydd")
        coop = await client.post(
            "/api/v1/coops",
            json={
                "name": "Cydweithfa'r Banc",
                "description": "Bench.",
                "area_codes": ["W06000015"],
                "rules": {},
            },
            headers=admin,
        )
        coop_id = coop.json()["id"]
        holder = await person(client, "Gwenllïan")
        member = await client.post(
            f"/api/v1/coops/{coop_id}/applications",
            json={"member_class": "service_user"},
            headers=holder,
        )
        member_id = member.json()["id"]
        (
            await client.post(f"/api/v1/coops/{coop_id}/members/{member_id}/approve", headers=admin)
        ).raise_for_status()
        started = clock.perf_counter()
        await post_ledger(settings, uuid.UUID(coop_id), uuid.UUID(member_id))
        print(
            f"ledger of {CONTRIBUTIONS + REFUNDS} transactions posted in {clock.perf_counter() - started:.1f} s"
        )
        body = statement()
        url = f"/api/v1/coops/{coop_id}/bank/statements"
        headers = {**admin, "Content-Type": "text/csv"}
        # The route's first call builds its dependencies (once per process): not the import.
        empty = await client.post(url, content=b"date,description,amount\n", headers=headers)
        empty.raise_for_status()
        for label in ("first import", "same file again"):
            profiler = cProfile.Profile() if profile and label == "first import" else None
            started = clock.perf_counter()
            if profiler:
                profiler.enable()
            response = await client.post(url, content=body, headers=headers)
            elapsed = clock.perf_counter() - started
            if profiler:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            response.raise_for_status()
            print(f"{label}: {response.json()} in {elapsed:.2f} s ({len(body):,} bytes)")
            if label == "first import" and response.json() != {
                "imported": CONTRIBUTIONS + REFUNDS + OTHERS,
                "duplicates": 0,
                "matched": CONTRIBUTIONS + REFUNDS,
            }:
                raise SystemExit("the import did not store and match what it should")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--profile", action="store_true", help="profile the first import")
    args = parser.parse_args()
    settings = Settings(
        env="test",
        database_url=args.database_url,
        secret_key="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106 - a scratch database's
        argon2_memory_kib=1024,
        argon2_time_cost=1,
        log_level="WARNING",
        db_statement_timeout_seconds=600,
    )
    asyncio.run(reset_database(settings.async_database_url))
    migrate(settings)
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    asyncio.run(measure(settings, profile=args.profile))


if __name__ == "__main__":
    main()
