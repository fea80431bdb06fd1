"""Load test: many concurrent clients through whole stories, then every invariant checked.

Starts uvicorn with several worker processes on a scratch PostgreSQL database and runs S
co-operative stories at once. Each story: an administrator founds a co-op; holders join, set
their Direct Payment and contribute; a tender gets their demand, is published, receives
sealed bids from three verified providers, is scored, awarded (no member vote, no
standstill) and contracted; the winning provider invoices the call-offs; the administrator
approves and pays the invoice. Afterwards it checks, directly in the database, that every
transaction's postings sum to zero, every account balance equals the sum of its postings and
no member, shared or provider account is negative, and that the audit chain verifies.

    /work/main/.venv/bin/python -m bench.load_test \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench_load

Prints requests per second, the 95th and 99th percentile latency, and the errors (there
must be none). Traffic goes to 127.0.0.1 only, and every loop is bounded.
"""

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from app.cli import create_admin, migrate
from app.core.config import Settings
from app.core.db import create_engine
from bench.ledger_bench import ROOT, free_port, reset_database, wait_until_ready

PASSWORD = "load test password 123"  # noqa: S105 - throwaway users of a scratch database
ADMIN_EMAIL = "load-admin@example.org"
CARDIFF = "W06000015"


class Recorder:
    """Every request's latency and status, for the figures at the end."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: list[str] = []

    async def call(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        *,
        expect: int | tuple[int, ...] = (200, 201, 204),
        **kwargs: Any,
    ) -> httpx.Response:
        started = time.perf_counter()
        response = await client.request(method, path, **kwargs)
        self.latencies.append(time.perf_counter() - started)
        allowed = (expect,) if isinstance(expect, int) else expect
        if response.status_code not in allowed:
            self.errors.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
            raise RuntimeError(self.errors[-1])
        return response

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def person(rec: Recorder, client: httpx.AsyncClient, name: str) -> dict[str, str]:
    email = f"{name}-{uuid.uuid4().hex[:10]}@example.org"
    await rec.call(
        client,
        "POST",
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "full_name": name},
    )
    return await sign_in(rec, client, email)


async def sign_in(rec: Recorder, client: httpx.AsyncClient, email: str) -> dict[str, str]:
    tokens = await rec.call(
        client, "POST", "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def providers(
    rec: Recorder, client: httpx.AsyncClient, admin: dict[str, str], count: int
) -> list[dict[str, str]]:
    """Verified providers serving Cardiff; returns each one's staff headers."""
    staff = []
    for n in range(count):
        headers = await person(rec, client, f"provider{n}")
        created = await rec.call(
            client,
            "POST",
            "/api/v1/providers",
            headers=headers,
            json={
                "name": f"Gofal Llwyth {n}",
                "service_types": ["domiciliary_support"],
                "area_codes": [CARDIFF],
                "hourly_rate_pence": 2000 + n * 50,
                "capacity_hours_per_week": 10_000,
                "welsh_language": "full",
                "contact_email": f"provider{n}-{uuid.uuid4().hex[:6]}@example.org",
            },
        )
        await rec.call(
            client, "POST", f"/api/v1/providers/{created.json()['id']}/verify", headers=admin
        )
        staff.append(headers)
    return staff


async def story(
    rec: Recorder,
    client: httpx.AsyncClient,
    n: int,
    *,
    holders: int,
    provider_staff: list[dict[str, str]],
    bid_window: float,
) -> None:
    admin = await person(rec, client, f"admin{n}")
    coop = (
        await rec.call(
            client,
            "POST",
            "/api/v1/coops",
            headers=admin,
            json={
                "name": f"Cydweithfa {n}",
                "description": "Load test co-op",
                "area_codes": [CARDIFF],
                "rules": {"award_requires_vote": False},
            },
        )
    ).json()["id"]
    members = []
    for h in range(holders):
        headers = await person(rec, client, f"holder{n}-{h}")
        applied = await rec.call(
            client,
            "POST",
            f"/api/v1/coops/{coop}/applications",
            headers=headers,
            json={"member_class": "service_user"},
        )
        member_id = applied.json()["id"]
        await rec.call(
            client, "POST", f"/api/v1/coops/{coop}/members/{member_id}/approve", headers=admin
        )
        await rec.call(
            client,
            "PUT",
            "/api/v1/me/direct-payment",
            headers=headers,
            json={
                "area_code": CARDIFF,
                "weekly_amount_pence": 50_000,
                "start_date": (datetime.now(UTC).date() - timedelta(days=3)).isoformat(),
            },
        )
        await rec.call(
            client,
            "POST",
            f"/api/v1/coops/{coop}/pool/contributions",
            headers={**headers, **key()},
            json={"amount_pence": 150_000, "reference": "Direct Payment"},
        )
        members.append((member_id, headers))
    deadline = datetime.now(UTC) + timedelta(seconds=bid_window)
    tender = (
        await rec.call(
            client,
            "POST",
            f"/api/v1/coops/{coop}/tenders",
            headers=admin,
            json={
                "title": f"Cymorth yn y cartref {n}",
                "description": "Home support, bought together",
                "service_type": "domiciliary_support",
                "area_codes": [CARDIFF],
                "max_hourly_rate_pence": 3000,
                "welsh_language_required": "some",
                "price_weight": 60,
                "quality_weight": 40,
                "submission_deadline": deadline.isoformat(),
                "standstill_days": 0,
            },
        )
    ).json()["id"]
    for _, headers in members:
        await rec.call(
            client,
            "PUT",
            f"/api/v1/tenders/{tender}/demand/me",
            headers=headers,
            json={"hours_per_week": 10},
        )
    await rec.call(client, "POST", f"/api/v1/tenders/{tender}/publish", headers=admin)
    bids = []
    for p, headers in enumerate(provider_staff):
        bid = await rec.call(
            client,
            "POST",
            f"/api/v1/tenders/{tender}/bids",
            headers=headers,
            json={
                "hourly_rate_pence": 2000 + p * 50,
                "capacity_hours_per_week": 1000,
                "quality_statement": "Welsh-speaking carers, local teams",
                "welsh_language": "full",
            },
        )
        bids.append(bid.json()["id"])
    await asyncio.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()) + 1)
    for score, bid_id in zip((70, 80, 90), bids, strict=False):
        await rec.call(
            client,
            "PUT",
            f"/api/v1/tenders/{tender}/bids/{bid_id}/score",
            headers=admin,
            json={"quality_score": score},
        )
    ranking = await rec.call(client, "GET", f"/api/v1/tenders/{tender}/evaluation", headers=admin)
    winner = ranking.json()["items"][0]
    await rec.call(
        client,
        "POST",
        f"/api/v1/tenders/{tender}/award",
        headers=admin,
        json={"bid_id": winner["bid_id"]},
    )
    contract = (
        await rec.call(client, "POST", f"/api/v1/tenders/{tender}/contract", headers=admin)
    ).json()
    winner_staff = provider_staff[bids.index(winner["bid_id"])]
    today = datetime.now(UTC).date()
    invoice = await rec.call(
        client,
        "POST",
        f"/api/v1/contracts/{contract['id']}/invoices",
        headers=winner_staff,
        json={
            # Today's care (a contract's first invoice cannot reach back before it, nor on
            # past today): within 10 hours a week, 85 minutes a day.
            "period_start": today.isoformat(),
            "period_end": today.isoformat(),
            "lines": [
                {"member_id": member_id, "minutes": 60, "description": "Home support"}
                for member_id, _ in members
            ],
        },
    )
    invoice_id = invoice.json()["id"]
    # Each holder agrees their line, so approval need not wait out the dispute window.
    line_of = {line["member_id"]: line["id"] for line in invoice.json()["lines"]}
    for member_id, headers in members:
        await rec.call(
            client,
            "POST",
            f"/api/v1/invoices/{invoice_id}/lines/{line_of[member_id]}/accept",
            headers=headers,
        )
    await rec.call(
        client, "POST", f"/api/v1/invoices/{invoice_id}/approve", headers={**admin, **key()}
    )
    await rec.call(client, "POST", f"/api/v1/invoices/{invoice_id}/pay", headers={**admin, **key()})
    for _, headers in members:
        await rec.call(client, "GET", f"/api/v1/coops/{coop}/pool", headers=headers)
        await rec.call(client, "GET", f"/api/v1/coops/{coop}/ledger", headers=headers)


async def check_invariants(url: str) -> list[str]:
    engine = create_engine(Settings(database_url=url))
    problems: list[str] = []
    async with engine.connect() as connection:
        unbalanced = await connection.scalar(
            text(
                "SELECT count(*) FROM (SELECT transaction_id FROM ledger_posting "
                "GROUP BY transaction_id HAVING sum(amount_pence) <> 0) AS t"
            )
        )
        drifted = await connection.scalar(
            text(
                "SELECT count(*) FROM ledger_account a LEFT JOIN ("
                " SELECT account_id, sum(amount_pence) AS total FROM ledger_posting"
                " GROUP BY account_id) p ON p.account_id = a.id"
                " WHERE a.balance_pence <> coalesce(p.total, 0)"
            )
        )
        negative = await connection.scalar(
            text(
                "SELECT count(*) FROM ledger_account WHERE kind <> 'external' AND balance_pence < 0"
            )
        )
    await engine.dispose()
    if unbalanced:
        problems.append(f"{unbalanced} transactions whose postings do not sum to zero")
    if drifted:
        problems.append(f"{drifted} accounts whose balance is not the sum of their postings")
    if negative:
        problems.append(f"{negative} member, shared or provider accounts below zero")
    return problems


async def run(args: argparse.Namespace, base: str) -> None:
    rec = Recorder()
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        admin = await sign_in(rec, client, ADMIN_EMAIL)
        provider_staff = await providers(rec, client, admin, 3)
        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *(
                story(
                    rec,
                    client,
                    n,
                    holders=args.holders,
                    provider_staff=provider_staff,
                    bid_window=args.bid_window,
                )
                for n in range(args.stories)
            ),
            return_exceptions=True,
        )
        elapsed = time.perf_counter() - started
        verify = await rec.call(client, "GET", "/api/v1/admin/audit/verify", headers=admin)
    failures = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    invariants = await check_invariants(args.database_url)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"stories={args.stories} holders/story={args.holders} workers={args.workers} "
        f"requests={len(rec.latencies)} in {elapsed:.1f} s "
        f"(includes a {args.bid_window:.0f} s sealed-bid window per story)"
    )
    print(f"requests per second (over the whole run): {len(rec.latencies) / elapsed:.0f}")
    print(
        f"latency p50 {rec.percentile(0.50):.1f} ms, p95 {rec.percentile(0.95):.1f} ms, "
        f"p99 {rec.percentile(0.99):.1f} ms"
    )
    print(f"errors: {len(rec.errors)}; failed stories: {len(failures)}")
    print(f"audit chain: {verify.json()}")
    print(f"ledger invariants: {invariants if invariants else 'all hold'}")
    for line in (rec.errors + failures)[:10]:
        print("  ", line)
    if rec.errors or failures or invariants or not verify.json()["ok"]:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DPC_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/bench_load"
        ),
    )
    parser.add_argument("--stories", type=int, default=12)
    parser.add_argument("--holders", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bid-window", type=float, default=15.0)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("the load test runs on PostgreSQL")
    asyncio.run(reset_database(args.database_url))
    settings = Settings(database_url=args.database_url)
    migrate(settings)
    asyncio.run(create_admin(settings, email=ADMIN_EMAIL, password=PASSWORD, full_name="Load"))
    port = free_port()
    # Every simulated person signs up from 127.0.0.1: lift the per-address sign-up limit.
    env = {
        **os.environ,
        "DPC_DATABASE_URL": args.database_url,
        "DPC_LOG_LEVEL": "WARNING",
        "DPC_REGISTRATIONS_PER_ADDRESS_PER_HOUR": "100000",
    }
    command = [
        sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(args.workers), "--no-access-log",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_until_ready(base, process))
        asyncio.run(run(args, base))
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
