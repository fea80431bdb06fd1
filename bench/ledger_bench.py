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

`--mode latency` measures one contribution at a time instead (one worker each, one request in
flight): p50 and p95 of N contributions and of N bare requests for each of `--rounds` rounds,
and the server process's CPU time per contribution (which other load on the machine adds
little to). With `--baseline-tree DIR` (the project at another commit:
`git archive <commit> | tar -x -C DIR`) a second server runs the code in DIR on a database of
its own (`<database>_base`); the two are measured alternately within each round, so their
ratio is taken under the same load.

    /work/main/.venv/bin/python -m bench.ledger_bench --mode latency --baseline-tree /tmp/before

`--mode statements` prints every SQL statement one contribution sends (the app in process, an
event listener on its engine), then those of the same request sent again (the replay).
"""

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, func, select, text
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


def start_server(
    tree: Path, database_url: str, workers: int
) -> tuple[str, subprocess.Popen[bytes]]:
    """uvicorn serving the code in `tree` on `database_url`; its base URL and process."""
    port = free_port()
    env = {
        **os.environ,
        "DPC_DATABASE_URL": database_url,
        "DPC_BENCH_ENDPOINTS": "1",
        "DPC_LOG_LEVEL": "WARNING",
        # The set-up signs every holder up from this one address: past the service's limit on
        # sign-ups per address (20 an hour by default) it would be refused 429.
        "DPC_REGISTRATIONS_PER_ADDRESS_PER_HOUR": "100000",
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
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return f"http://127.0.0.1:{port}", subprocess.Popen(command, cwd=tree, env=env)


def prepare_database(tree: Path, database_url: str) -> None:
    """An empty database migrated by the code in `tree` (its own migrations)."""
    asyncio.run(reset_database(database_url))
    if tree == ROOT:
        migrate(Settings(database_url=database_url))
        return
    subprocess.run(
        [sys.executable, "-m", "app.cli", "migrate"],
        cwd=tree,
        env={**os.environ, "DPC_DATABASE_URL": database_url, "DPC_LOG_LEVEL": "WARNING"},
        check=True,
    )


def throughput(args: argparse.Namespace) -> None:
    prepare_database(ROOT, args.database_url)
    base, process = start_server(ROOT, args.database_url, args.workers)
    try:
        asyncio.run(wait_until_ready(base, process))
        asyncio.run(measure(args, base))
    finally:
        process.terminate()
        process.wait()


# --- one at a time -------------------------------------------------------------------------


@dataclass
class Target:
    """One server under measurement: the code it runs, its database, its holders."""

    name: str
    tree: Path
    database_url: str
    base: str = ""
    process: subprocess.Popen[bytes] | None = None
    holders: list[Holder] | None = None
    sent: int = 0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def one_at_a_time(
    client: httpx.AsyncClient, target: Target, n: int, *, bare: bool
) -> list[float]:
    """Latencies in seconds of `n` requests sent one after another; every one must succeed."""
    holders = target.holders or []
    times = []
    for _ in range(n):
        if bare:
            started = time.perf_counter()
            response = await client.get(f"{target.base}/bench/bare")
        else:
            holder = holders[target.sent % len(holders)]
            target.sent += 1
            body = {"amount_pence": AMOUNT, "reference": f"bench {target.sent}"}
            headers = {**holder.headers, "Idempotency-Key": uuid.uuid4().hex}
            started = time.perf_counter()
            response = await client.post(
                f"{target.base}/api/v1/coops/{holder.coop_id}/pool/contributions",
                json=body,
                headers=headers,
            )
        times.append(time.perf_counter() - started)
        if response.status_code != (200 if bare else 201):
            raise SystemExit(f"{target.name}: {response.status_code} {response.text}")
    return times


async def measure_latency(args: argparse.Namespace, targets: list[Target]) -> None:
    async with httpx.AsyncClient(timeout=120) as client:
        for target in targets:
            client.base_url = httpx.URL(target.base)
            target.holders = await set_up(client, coops=1, holders=args.holders)
            await one_at_a_time(client, target, 50, bare=True)
            await one_at_a_time(client, target, 50, bare=False)
        client.base_url = httpx.URL("")
        rows: dict[str, list[dict[str, float]]] = {t.name: [] for t in targets}
        for round_ in range(args.rounds):
            # Each round alternates which server goes first.
            order = targets if round_ % 2 == 0 else list(reversed(targets))
            for target in order:
                if target.process is None:
                    raise SystemExit("the server is not running")
                pid = target.process.pid
                cpu_before = cpu_seconds(pid)
                bare = await one_at_a_time(client, target, args.requests, bare=True)
                cpu_bare = (cpu_seconds(pid) - cpu_before) / args.requests
                cpu_before = cpu_seconds(pid)
                money = await one_at_a_time(client, target, args.requests, bare=False)
                cpu = (cpu_seconds(pid) - cpu_before) / args.requests
                row = {
                    "bare_p50": statistics.median(bare),
                    "p50": statistics.median(money),
                    "p95": percentile(money, 0.95),
                    "cpu": cpu,
                    "cpu_bare": cpu_bare,
                }
                rows[target.name].append(row)
                print(
                    f"round {round_ + 1} {target.name:>8}: contribution p50 {row['p50'] * 1e3:.1f} ms"
                    f" p95 {row['p95'] * 1e3:.1f} ms, server CPU {cpu * 1e3:.1f} ms;"
                    f" bare p50 {row['bare_p50'] * 1e3:.2f} ms, CPU {cpu_bare * 1e3:.2f} ms",
                    flush=True,
                )
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {os.getloadavg()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}; N={args.requests} a round, one at a time")
    medians = {
        name: {key: statistics.median(r[key] for r in found) for key in found[0]}
        for name, found in rows.items()
    }
    for name, m in medians.items():
        print(
            f"median of {args.rounds} rounds {name:>8}: contribution p50 {m['p50'] * 1e3:.1f} ms,"
            f" p95 {m['p95'] * 1e3:.1f} ms, server CPU {m['cpu'] * 1e3:.1f} ms,"
            f" bare p50 {m['bare_p50'] * 1e3:.2f} ms, CPU {m['cpu_bare'] * 1e3:.2f} ms;"
            f" contribution / bare: p50 {m['p50'] / m['bare_p50']:.1f},"
            f" CPU {m['cpu'] / m['cpu_bare']:.1f}"
        )
    if "baseline" in medians:
        new, old = medians["current"], medians["baseline"]
        print(
            f"current / baseline: p50 {new['p50'] / old['p50']:.2f},"
            f" p95 {new['p95'] / old['p95']:.2f}, server CPU {new['cpu'] / old['cpu']:.2f}"
        )
    for target in targets:
        total, transactions = await check_books(target.database_url)
        print(f"books {target.name}: postings sum to {total}, {transactions} transactions")
        if total != 0:
            raise SystemExit("the books do not balance")


def latency(args: argparse.Namespace) -> None:
    targets = [Target("current", ROOT, args.database_url)]
    if args.baseline_tree is not None:
        base_url = make_url(args.database_url)
        base_url = base_url.set(database=f"{base_url.database}_base")
        targets.append(
            Target(
                "baseline",
                Path(args.baseline_tree).resolve(),
                base_url.render_as_string(hide_password=False),
            )
        )
    try:
        for target in targets:
            prepare_database(target.tree, target.database_url)
            target.base, target.process = start_server(target.tree, target.database_url, 1)
        for target in targets:
            if target.process is not None:
                asyncio.run(wait_until_ready(target.base, target.process))
        asyncio.run(measure_latency(args, targets))
    finally:
        for target in targets:
            if target.process is not None:
                target.process.terminate()
                target.process.wait()


# --- the statements of one contribution ----------------------------------------------------


async def trace_statements(args: argparse.Namespace) -> None:
    from app.core.logging import configure_logging
    from app.main import create_app

    configure_logging("WARNING")
    settings = Settings(database_url=args.database_url, log_level="WARNING")
    app = create_app(settings)
    sent: list[str] = []

    @event.listens_for(app.state.engine.sync_engine, "before_cursor_execute")
    def log(*arguments: Any) -> None:
        sent.append(" ".join(str(arguments[2]).split()))

    def show(title: str) -> None:
        print(f"{title}: {len(sent)} statements")
        for n, statement in enumerate(sent, 1):
            print(f"{n:3} {statement if args.full else statement[:150]}")

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            holder = (await set_up(client, coops=1, holders=1))[0]
            url = f"/api/v1/coops/{holder.coop_id}/pool/contributions"
            for n in range(2):
                # The first contribution is made before the traced one, as in steady use.
                headers = {**holder.headers, "Idempotency-Key": uuid.uuid4().hex}
                body = {"amount_pence": AMOUNT, "reference": f"traced {n}"}
                sent.clear()
                response = await client.post(url, json=body, headers=headers)
                if response.status_code != 201:
                    raise SystemExit(response.text)
            show("a contribution")
            sent.clear()
            replay = await client.post(url, json=body, headers=headers)
            if replay.status_code != 201 or replay.content != response.content:
                raise SystemExit("the replay differs")
            show("the same request again (replayed)")


def statements(args: argparse.Namespace) -> None:
    asyncio.run(reset_database(args.database_url))
    migrate(Settings(database_url=args.database_url))
    asyncio.run(trace_statements(args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DPC_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_ledger"
        ),
        help="a PostgreSQL database the benchmark may empty",
    )
    parser.add_argument(
        "--mode", choices=["throughput", "latency", "statements"], default="throughput"
    )
    parser.add_argument("--requests", type=int, help="N, for each endpoint (3000; latency 300)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--coops", type=int, default=1)
    parser.add_argument("--holders", type=int, help="32; latency 4")
    parser.add_argument("--rounds", type=int, default=3, help="latency: rounds")
    parser.add_argument(
        "--baseline-tree", help="latency: also measure the project in this directory"
    )
    parser.add_argument("--full", action="store_true", help="statements: print them whole")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("the ledger benchmark runs on PostgreSQL")
    if args.requests is None:
        args.requests = 300 if args.mode == "latency" else 3000
    if args.holders is None:
        args.holders = 4 if args.mode == "latency" else 32
    {"throughput": throughput, "latency": latency, "statements": statements}[args.mode](args)


if __name__ == "__main__":
    main()
