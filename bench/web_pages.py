"""The holder's home page: its server time at p50, p95 and p99 (target: p95 under 30 ms).

Builds a fresh SQLite database (a file under a temporary folder; `--database-url` points it
at PostgreSQL instead), migrates it and loads the demo data (`app.providers.demo`: the
synthetic providers), then through the API a holder with a Direct Payment who belongs to
three co-ops, has paid into each, has an open proposal to vote on in each and a refund asked
for by their representative waiting for approval. Then, one request at a time, it signs in
through the sign-in page and asks for `GET /` (the holder's home page) `--requests` times
after `--warmup` unmeasured ones, in process (`httpx.ASGITransport`), so the figure is the
application's own time from the first byte of the request to the last of the answer, with no
network between: the middleware, the cookie login checked against its `auth_session` row,
every query of the page and the rendering of its template.

    /work/main/.venv/bin/python -m bench.web_pages            # --requests 500 --warmup 50
"""

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.core.logging import configure_logging
from app.main import create_app
from app.providers.demo import load_demo_providers
from app.workflows import registry

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark password 123"  # noqa: S105 - a throwaway user of a scratch database
CARDIFF = "W06000015"


async def migrate(settings: Settings) -> None:
    from alembic import command
    from alembic.config import Config

    def run(connection: object) -> None:
        config = Config(str(ROOT / "alembic.ini"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    engine = create_engine(settings)
    async with engine.begin() as connection:
        await connection.run_sync(run)
    async with unit_of_work(create_sessionmaker(engine, registry.build())) as session:
        await load_demo_providers(session, now=datetime.now(UTC))
    await engine.dispose()


async def person(api: httpx.AsyncClient, email: str, name: str) -> dict[str, str]:
    made = await api.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "full_name": name, "preferred_language": "en"},
    )
    assert made.status_code == 201, made.text
    tokens = await api.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


async def holder_world(api: httpx.AsyncClient) -> None:
    holder = await person(api, "holder@example.org", "Gwen Holder")
    helper = await person(api, "helper@example.org", "Rhys Helper")
    award = await api.put(
        "/api/v1/me/direct-payment",
        json={"area_code": CARDIFF, "weekly_amount_pence": 50_000, "start_date": "2026-01-05"},
        headers=holder,
    )
    assert award.status_code == 200, award.text
    me = (await api.get("/api/v1/me", headers=holder)).json()
    mandate = await api.post(
        "/api/v1/me/representatives",
        json={
            "email": "helper@example.org",
            "scopes": ["view", "refund"],
            "limit_pence_per_cycle": 100_000,
        },
        headers=holder,
    )
    assert mandate.status_code == 201, mandate.text
    accepted = await api.post(
        f"/api/v1/me/representing/{mandate.json()['id']}/accept", headers=helper
    )
    assert accepted.status_code == 200, accepted.text
    for number in range(3):
        coop = await api.post(
            "/api/v1/coops",
            json={
                "name": f"Cydweithfa {number}",
                "description": "Pooling Direct Payments.",
                "area_codes": [CARDIFF],
            },
            headers=holder,
        )
        assert coop.status_code == 201, coop.text
        coop_id = coop.json()["id"]
        for month in range(3):
            paid = await api.post(
                f"/api/v1/coops/{coop_id}/pool/contributions",
                json={"amount_pence": 5_000, "reference": f"Month {month}"},
                headers={**holder, "Idempotency-Key": f"{coop_id}-{month}"},
            )
            assert paid.status_code == 201, paid.text
        closes = (datetime.now(UTC) + timedelta(days=7)).isoformat()
        proposal = await api.post(
            f"/api/v1/coops/{coop_id}/proposals",
            json={"title": "Buy respite together", "body": "Shall we?", "closes_at": closes},
            headers=holder,
        )
        assert proposal.status_code == 201, proposal.text
        memberships = (await api.get("/api/v1/me", headers=holder)).json()["memberships"]
        member = next(m["id"] for m in memberships if m["coop_id"] == coop_id)
        refund = await api.post(
            f"/api/v1/coops/{coop_id}/pool/refunds",
            json={"member_id": member, "amount_pence": 1_000, "reason": "Back to my account"},
            headers={**helper, "X-On-Behalf-Of": me["id"], "Idempotency-Key": f"r-{coop_id}"},
        )
        assert refund.status_code == 201, refund.text


async def profile(app: object, browser: httpx.AsyncClient) -> None:
    """The statements one page sends, and the functions its CPU time goes to (cProfile)."""
    import cProfile
    import pstats

    from sqlalchemy import event

    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split())[:110])

    engine = app.state.engine.sync_engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", count)
    await browser.get("/")
    event.remove(engine, "before_cursor_execute", count)
    print(f"{len(statements)} SQL statements for one page:")
    for statement in statements:
        print(f"  {statement}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(100):
        await browser.get("/")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also count the SQL statements of one page and print where its CPU time goes",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    url = args.database_url or f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}"
    settings = Settings(
        env="test",
        database_url=url,
        secret_key="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106 - a scratch database
        mail_dir=str(folder / "mail"),
        worker_in_process=False,
        log_level="WARNING",
    )
    configure_logging("WARNING")
    await migrate(settings)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="https://bench") as browser,
    ):
        await holder_world(browser)
        shown = await browser.get("/sign-in")
        token = shown.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed = await browser.post(
            "/sign-in",
            data={"csrf_token": token, "email": "holder@example.org", "password": PASSWORD},
        )
        assert signed.status_code == 303, signed.text
        timings: list[float] = []
        cpu: list[float] = []
        for number in range(args.warmup + args.requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            home = await browser.get("/")
            elapsed = (time.perf_counter() - started) * 1000
            spent = (time.process_time() - started_cpu) * 1000
            assert home.status_code == 200, home.text
            if number >= args.warmup:
                timings.append(elapsed)
                cpu.append(spent)
        assert "Buy respite together" in home.text
        if args.profile:
            await profile(app, browser)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"GET / (holder's home page), {backend}, {args.requests} requests one at a time, in "
        f"process: p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
        f"p99 {percentile(timings, 0.99):.1f} ms, max {max(timings):.1f} ms"
    )
    print(
        f"  CPU time of the process per request (other load on the machine does not count): "
        f"p50 {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms"
    )
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
