"""The councils' summary through the API against the same aggregates run directly in
PostgreSQL, in one run: p50 and p95 of each and their ratio.

Needs the world of `bench/stats_generate.py` (ten times Wales). Starts uvicorn in a
subprocess on that database, registers a user and makes them a platform admin, then, one
request at a time and alternating, times `GET /api/v1/la/areas/{code}/summary` (the default
period: the twelve months to today, over the 22 areas in turn) and the same aggregate
queries sent straight to PostgreSQL with asyncpg: every query the summary sends, in its
order (the area, the contributions by paying council, the listed and contracted rates, the
area again and the rate histogram for the coverage, the spend by service type, the tenders
by status, the holders' award versions in force by status, the active co-ops).

    /work/main/.venv/bin/python -m bench.stats_bench \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_stats
"""

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime

import asyncpg
import httpx

from app.core.clock import day_range, local_date
from app.stats.service import period
from bench.ledger_bench import ROOT, free_port, wait_until_ready

PASSWORD = "benchmark password 123"  # noqa: S105 - a throwaway user of a scratch database

DIRECT = [
    "SELECT code FROM area WHERE code = $1",
    """
    SELECT a.area_code, count(DISTINCT m.user_id), coalesce(sum(p.amount_pence), 0)
    FROM ledger_posting p
    JOIN ledger_account acc ON acc.id = p.account_id
    JOIN coop_member m ON m.id = acc.member_id
    JOIN direct_payment_award a ON a.user_id = m.user_id
    WHERE p.kind = 'contribution' AND acc.kind = 'member'
      AND p.created_at >= $2 AND p.created_at < $3 AND a.area_code = $1
    GROUP BY a.area_code
    """,
    """
    SELECT coalesce(sum(p.hourly_rate_pence), 0), count(*) FROM provider_area pa
    JOIN provider p ON p.id = pa.provider_id
    WHERE pa.area_code = $1 AND p.status = 'verified'
    """,
    """
    SELECT coalesce(sum(c.hourly_rate_pence), 0), count(*) FROM tender_area ta
    JOIN contract c ON c.tender_id = ta.tender_id
    WHERE ta.area_code = $1 AND c.status = 'active'
    """,
    "SELECT code FROM area WHERE code = $1",
    """
    SELECT st.service_type, p.hourly_rate_pence, count(*),
           count(CASE WHEN p.welsh_language = 'full' THEN 1 END)
    FROM provider_area pa JOIN provider p ON p.id = pa.provider_id
    JOIN provider_service_type st ON st.provider_id = p.id
    WHERE pa.area_code = $1 AND p.status = 'verified'
    GROUP BY st.service_type, p.hourly_rate_pence
    """,
    """
    SELECT t.service_type, count(DISTINCT m.user_id), coalesce(sum(-p.amount_pence), 0)
    FROM ledger_posting p
    JOIN ledger_account acc ON acc.id = p.account_id
    JOIN coop_member m ON m.id = acc.member_id
    JOIN direct_payment_award a ON a.user_id = m.user_id
    JOIN invoice i ON i.approval_transaction_id = p.transaction_id
    JOIN contract c ON c.id = i.contract_id
    JOIN tender t ON t.id = c.tender_id
    WHERE p.kind = 'invoice_approval' AND acc.kind = 'member'
      AND p.created_at >= $2 AND p.created_at < $3 AND a.area_code = $1
    GROUP BY t.service_type ORDER BY t.service_type
    """,
    """
    SELECT ta.area_code, t.status, count(*) FROM tender_area ta
    JOIN tender t ON t.id = ta.tender_id
    WHERE t.status <> 'draft' AND t.published_at >= $2 AND t.published_at < $3
      AND ta.area_code = $1
    GROUP BY ta.area_code, t.status
    """,
    """
    SELECT a.status, count(DISTINCT a.user_id) FROM direct_payment_award a
    WHERE a.area_code = $1 AND a.status IN ('declared', 'confirmed')
      AND a.start_date <= $2 AND (a.end_date IS NULL OR a.end_date >= $3)
      AND NOT EXISTS (
          SELECT 1 FROM direct_payment_award b
          WHERE b.user_id = a.user_id AND b.start_date > a.start_date AND b.area_code = $1
            AND b.status IN ('declared', 'confirmed') AND b.start_date <= $2
            AND (b.end_date IS NULL OR b.end_date >= $3))
    GROUP BY a.status
    """,
    """
    SELECT ca.area_code, count(*) FROM coop_area ca
    WHERE EXISTS (SELECT 1 FROM ledger_transaction t
                  WHERE t.coop_id = ca.coop_id AND t.kind = 'contribution'
                    AND t.created_at >= $2 AND t.created_at < $3)
      AND ca.area_code = $1 GROUP BY ca.area_code
    """,
]
# Which of DIRECT take the period as well as the area: as times (from the first day's start to
# the day after the last's), or as days (the last, then the first).
WITH_PERIOD = {1, 6, 7, 9}
WITH_DAYS = {8}


async def direct_once(connection: asyncpg.Connection, code: str) -> None:
    # The period the API uses by default: twelve calendar months, the last one running to
    # today, as days in Wales.
    first, last = period(None, None, local_date(datetime.now(UTC)))
    start, end = day_range(first, last)
    async with connection.transaction(readonly=True):
        for n, query in enumerate(DIRECT):
            if n in WITH_PERIOD:
                await connection.fetch(query, code, start, end)
            elif n in WITH_DAYS:
                await connection.fetch(query, code, last, first)
            else:
                await connection.fetch(query, code)


async def admin_headers(client: httpx.AsyncClient, dsn: str) -> dict[str, str]:
    email = f"bench-admin-{uuid.uuid4().hex[:10]}@example.org"
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "full_name": "Bench Admin"},
    )
    response.raise_for_status()
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "UPDATE user_account SET is_platform_admin = true WHERE email = $1", email
        )
    finally:
        await connection.close()
    token = await client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    token.raise_for_status()
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(args: argparse.Namespace, base: str, dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    codes = [r[0] for r in await connection.fetch("SELECT code FROM area ORDER BY code")]
    api_ms: list[float] = []
    direct_ms: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        headers = await admin_headers(client, dsn)
        for i in range(args.warmup + args.requests):
            code = codes[i % len(codes)]
            started = time.perf_counter()
            response = await client.get(f"/api/v1/la/areas/{code}/summary", headers=headers)
            api = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{response.status_code}: {response.text}")
            started = time.perf_counter()
            await direct_once(connection, code)
            direct = (time.perf_counter() - started) * 1000
            if i >= args.warmup:
                api_ms.append(api)
                direct_ms.append(direct)
        sample = (await client.get(f"/api/v1/la/areas/{codes[0]}/summary", headers=headers)).json()
        # The public all-Wales table (no target): the first request of a month counts and
        # stores it (when this month's is not stored yet), the others read it back.
        wales_ms: list[float] = []
        for _ in range(1 + args.wales):
            started = time.perf_counter()
            (await client.get("/api/v1/stats/wales")).raise_for_status()
            wales_ms.append((time.perf_counter() - started) * 1000)
        wales_first, wales_ms = wales_ms[0], wales_ms[1:]
    sizes = {
        t: await connection.fetchval(f"SELECT count(*) FROM {t}")  # noqa: S608
        for t in ("direct_payment_award", "coop", "provider", "tender", "invoice", "ledger_posting")
    }
    await connection.close()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print("sizes: " + ", ".join(f"{t}={n}" for t, n in sizes.items()))
    print(f"N={args.requests} (after {args.warmup} warm-up), one at a time, 22 areas in turn")
    for name, samples in (("API", api_ms), ("direct", direct_ms)):
        print(
            f"{name:6} p50 {statistics.median(samples):7.1f} ms   "
            f"p95 {percentile(samples, 95):7.1f} ms"
        )
    print(
        f"ratio API / direct: p50 {statistics.median(api_ms) / statistics.median(direct_ms):.2f}"
        f"   p95 {percentile(api_ms, 95) / percentile(direct_ms, 95):.2f}"
    )
    print(f"{codes[0]}: holders_pooling {sample['holders_pooling']}")
    print(f"{codes[0]}: spend_by_service_type {sample['spend_by_service_type']}")
    print(f"{codes[0]}: tenders {sample['tenders']}")
    print(
        f"GET /api/v1/stats/wales: first {wales_first:.0f} ms, then {args.wales}: "
        f"p50 {statistics.median(wales_ms):.0f} ms, max {max(wales_ms):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_stats"
    )
    parser.add_argument("--requests", type=int, default=220)
    parser.add_argument("--warmup", type=int, default=44)
    parser.add_argument("--wales", type=int, default=5, help="timed requests for the Wales table")
    args = parser.parse_args()
    dsn = args.database_url.replace("postgresql+asyncpg://", "postgresql://")
    port = free_port()
    env = {**os.environ, "DPC_DATABASE_URL": args.database_url, "DPC_LOG_LEVEL": "WARNING"}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_until_ready(base, process))
        asyncio.run(measure(args, base, dsn))
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
