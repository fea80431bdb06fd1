"""Contributions per second on PostgreSQL, against a bare endpoint of the same application.

Starts uvicorn in a subprocess on a fresh benchmark database (created if absent, its schema
dropped and migrated), sets up co-ops and holders through the API, then measures in one
run: N requests to `GET /bench/bare` (the same stack doing no work) and N contributions
(`POST .../pool/contributions`, each with its own Idempotency-Key), C at a time.

    /work/main/.venv/bin/python -m bench.ledger_bench \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench_ledger

Holders are spread over the co-ops round-robin. Within a co-op every contribution locks the
co-op's `external:deposits` account, so one co-op's contributions post one at a time; more
co-ops (`--coops`) show how far that, not the stack, is the limit.
"""

import argparse
import asyncio
import os
import platform
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app.cli import migrate
from app.core.config import Settings
from app.core.db import create_engine
from app.ledger.models import LedgerPosting, LedgerTransaction

ROOT = Path(__file__).resolve().parents[1]

PASSWORD = "benchmark password 123"  # noqa: S105 - throwaway users of a scratch database
AMOUNT = 100


@dataclass
class Holder:
    coop_id: str
    headers: dict[str, str]


async def reset_database(url: str) -> None:
    """Create the database if it is missing; empty its schema."""
    base = make_url(url)
    admin_url = base.set(database="postgres").render_as_string(hide_password=False)
    admin = create_engine(Settings(database_url=admin_url)).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    async with admin.connect() as connection:
        exists = await connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": base.database}
        )
        if not exists:
            await connection.execute(text(f'CREATE DATABASE "{base.database}"'))
    await admin.dispose()
    engine = create_engine(Settings(database_url=url))
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def wait_until_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit("the server stopped")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("the server did not start")


async def person(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    email = f"{name}-{uuid.uuid4().hex[:10]}@example.org"
    response = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "full_name": name}
    )
    response.raise_for_status()
    token = await client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    token.raise_for_status()
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def set_up(client: httpx.AsyncClient, *, coops: int, holders: int) -> list[Holder]:
    admin = await person(client, "Admin")
    coop_ids = []
    for n in range(coops):
        response = await client.post(
            "/api/v1/coops",
            json={"name": f"Bench {n}", "description": "Benchmark.", "area_codes": ["W06000015"]},
            headers=admin,
        )
        response.raise_for_status()
        coop_ids.append(response.json()["id"])
    found = []
    for n in range(holders):
        coop_id = coop_ids[n % coops]
        headers = await person(client, f"Holder{n}")
        applied = await client.post(
            f"/api/v1/coops/{coop_id}/applications",
            json={"member_class": "service_user"},
            headers=headers,
        )
        applied.raise_for_status()
        approved = await client.post(
            f"/api/v1/coops/{coop_id}/members/{applied.json()['id']}/approve", headers=admin
        )
        approved.raise_for_status()
        award = await client.put(
            "/api/v1/me/direct-payment",
            json={
                "area_code": "W06000015",
                "weekly_amount_pence": 10_000_000,
                "start_date": time.strftime("%Y-%m-%d"),
            },
            headers=headers,
        )
        award.raise_for_status()
        found.append(Holder(coop_id=coop_id, headers=headers))
    return found


async def run_load(
    client: httpx.AsyncClient, requests: list[tuple[str, str, dict[str, Any]]], concurrency: int
) -> tuple[float, dict[int, int]]:
    """Send every request, `concurrency` at a time; the elapsed seconds and status counts."""
    queue: asyncio.Queue[tuple[str, str, dict[str, Any]]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    statuses: dict[int, int] = {}

    async def worker() -> None:
        while not queue.empty():
            method, url, kwargs = queue.get_nowait()
            response = await client.request(method, url, **kwargs)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, statuses


def bare_requests(n: int) -> list[tuple[str, str, dict[str, Any]]]:
    return [("GET", "/bench/bare", {})] * n


def contribution_requests(holders: list[Holder], n: int) -> list[tuple[str, str, dict[str, Any]]]:
    requests = []
    for i in range(n):
        holder = holders[i % len(holders)]
        requests.append(
            (
                "POST",
                f"/api/v1/coops/{holder.coop_id}/pool/contributions",
                {
                    "json": {"amount_pence": AMOUNT, "reference": f"bench {i}"},
                    "headers": {**holder.headers, "Idempotency-Key": uuid.uuid4().hex},
                },
            )
        )
    return requests


async def check_books(url: str) -> tuple[int, int]:
    engine = create_engine(Settings(database_url=url))
    async with engine.connect() as connection:
        total = await connection.scalar(
            select(func.coalesce(func.sum(LedgerPosting.amount_pence), 0))
        )
        transactions = await connection.scalar(select(func.count()).select_from(LedgerTransaction))
    await engine.dispose()
    return int(total or 0), int(transactions or 0)


async def measure(args: argparse.Namespace, base: str) -> None:
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        holders = await set_up(client, coops=args.coops, holders=args.holders)
        await run_load(client, bare_requests(200), args.concurrency)  # warm up
        await run_load(client, contribution_requests(holders, 200), args.concurrency)
        bare_seconds, bare_statuses = await run_load(
            client, bare_requests(args.requests), args.concurrency
        )
        money_seconds, money_statuses = await run_load(
            client, contribution_requests(holders, args.requests), args.concurrency
        )
    total, transactions = await check_books(args.database_url)
    bare_rps = args.requests / bare_seconds
    money_rps = args.requests / money_seconds
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"N={args.requests} concurrency={args.concurrency} workers={args.workers} "
        f"coops={args.coops} holders={args.holders}"
    )
    print(f"GET /bench/bare: {bare_rps:.0f} requests/s {bare_statuses}")
    print(f"POST contributions: {money_rps:.0f} requests/s {money_statuses}")
    print(f"ratio contributions / bare: {money_rps / bare_rps:.3f}")
    print(f"books: postings sum to {total}, {transactions} transactions")
    if total != 0 or set(money_statuses) != {201}:
        raise SystemExit("the books do not balance, or a contribution failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DPC_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_ledger"
        ),
        help="a PostgreSQL database the benchmark may empty",
    )
    parser.add_argument("--requests", type=int, default=3000, help="N, for each endpoint")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--coops", type=int, default=1)
    parser.add_argument("--holders", type=int, default=32)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("the ledger benchmark runs on PostgreSQL")

    asyncio.run(reset_database(args.database_url))
    settings = Settings(database_url=args.database_url)
    migrate(settings)
    port = free_port()
    env = {
        **os.environ,
        "DPC_DATABASE_URL": args.database_url,
        "DPC_BENCH_ENDPOINTS": "1",
        "DPC_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_until_ready(base, process))
        asyncio.run(measure(args, base))
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
