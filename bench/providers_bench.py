"""Provider directory benchmark: the area listing against a bare endpoint, SQLite and PostgreSQL.

For each backend: a fresh database, migrated, with N verified providers loaded through the
import service; then the server is started as a user would (uvicorn on 127.0.0.1, a free
port, DPC_BENCH_ENDPOINTS=1 for /bench/bare), and requests per second are measured with wrk
(or a concurrent httpx client when wrk is not installed) for:

  bare           GET /bench/bare: a fixed 50-item body, no work at all (the ceiling)
  listing        GET /api/v1/areas/{code}/providers?limit=50, one area
  bare-22        bare again, through the same wrk Lua script as listing-22 (which costs wrk
                 CPU on a small machine: compare listing-22 with this, not with bare)
  listing-22     the listing rotating over all 22 areas
  listing-304    the same as `listing`, sending the ETag back in If-None-Match
  listing-nocache  `listing` with the render cache off (every request queries the database)

Bare and listing are measured alternately, several rounds, and the median of each is kept.
Run from the project root:

  .venv/bin/python bench/providers_bench.py                  # both backends, 10,000 providers
  .venv/bin/python bench/providers_bench.py --backends sqlite --seconds 5
"""

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.dialects import sqlite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.cli import migrate  # noqa: E402
from app.core.area_list import load_areas  # noqa: E402
from app.core.config import Settings  # noqa: E402
from app.core.db import create_engine, create_sessionmaker, unit_of_work  # noqa: E402
from app.providers import repository  # noqa: E402
from app.providers.csv_import import ImportRow  # noqa: E402
from app.providers.imports import upsert_verified  # noqa: E402
from app.providers.models import Provider, ServiceType, WelshLanguage  # noqa: E402
from app.providers.schemas import ProviderCreate  # noqa: E402

AREA = "W06000015"  # Cardiff
LISTING = f"/api/v1/areas/{AREA}/providers?limit=50"
WORDS = ["Gofal", "Cymorth", "Cartref", "Seibiant", "Care", "Support", "Living", "Community"]
PLACES = ["Eryri", "Teifi", "Tywi", "Hafren", "Taf", "Gwy", "Clwyd", "Ogwr", "Nedd", "Môn"]


def provider_rows(count: int) -> list[ImportRow]:
    rng = random.Random(7)
    areas = [a["code"] for a in load_areas()]
    by_board: dict[str, list[str]] = {}
    for area in load_areas():
        by_board.setdefault(area["health_board_code"], []).append(area["code"])
    board_of = {a["code"]: a["health_board_code"] for a in load_areas()}
    rows = []
    for i in range(count):
        home = rng.choice(areas)
        served = {home}
        if rng.random() < 0.3:
            served.update(
                rng.sample(by_board[board_of[home]], k=min(2, len(by_board[board_of[home]])))
            )
        types = rng.sample(list(ServiceType), k=rng.randint(1, 4))
        details = ProviderCreate(
            name=f"{rng.choice(WORDS)} {rng.choice(PLACES)} {i:05d}",
            ciw_service_id=f"BENCH-{i:05d}",
            service_types=[t for t in ServiceType if t in types],
            area_codes=sorted(served),
            hourly_rate_pence=rng.randint(1500, 3500),
            capacity_hours_per_week=rng.randint(20, 2000),
            welsh_language=rng.choice(list(WelshLanguage)),
            contact_email=f"bench{i}@example.org",
            phone="01632 960000",
            website=f"https://bench{i}.example.org",
        )
        rows.append(
            ImportRow(line=i + 2, details=details, columns=frozenset(ProviderCreate.model_fields))
        )
    return rows


def fresh_database(backend: str, workdir: Path, pg_host: str) -> str:
    if backend == "sqlite":
        path = workdir / "bench_providers.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    for sql in ("DROP DATABASE IF EXISTS bench_providers", "CREATE DATABASE bench_providers"):
        subprocess.run(["psql", "-h", pg_host, "-U", "postgres", "-q", "-c", sql], check=True)
    return f"postgresql://postgres@{pg_host}:5432/bench_providers"


async def load(url: str, count: int) -> float:
    settings = Settings(database_url=url)
    engine = create_engine(settings)
    started = time.perf_counter()
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            created, _ = await upsert_verified(
                session, None, provider_rows(count), now=datetime.now(UTC)
            )
            assert created == count
        # Settle the database before measuring: fresh statistics and no vacuum, checkpoint
        # or WAL replay left to run in the background during the measurements.
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql":
                await autocommit.execute(text("VACUUM ANALYZE"))
                await autocommit.execute(text("CHECKPOINT"))
            else:
                await autocommit.execute(text("ANALYZE"))
                await autocommit.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        await engine.dispose()
    return time.perf_counter() - started


async def explain(url: str) -> str:
    """The plan of the listing's first-page query, as the application issues it."""
    settings = Settings(database_url=url)
    engine = create_engine(settings)
    stmt = (
        repository.in_area(AREA)
        .order_by(Provider.hourly_rate_pence, Provider.name_search, Provider.id)
        .limit(51)
    )
    try:
        async with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                sql = str(
                    stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
                )
                rows = await connection.execute(
                    text("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
                )
                return "\n".join(r[0] for r in rows)
            sql = str(
                stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
            )
            rows = await connection.execute(text("EXPLAIN QUERY PLAN " + sql))
            return "\n".join(str(r[3]) for r in rows)
    finally:
        await engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, log: Path, extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DPC_DATABASE_URL": url,
            "DPC_BENCH_ENDPOINTS": "1",
            **(extra_env or {}),
        }
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not become ready; see {log}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


ROTATE_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def wrk(
    url: str, *, seconds: int, connections: int, headers: dict[str, str], script: Path | None
) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"errors while measuring {url}:\n{output}")
    match = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    if match is None:
        raise RuntimeError(output)
    return float(match.group(1))


async def httpx_rate(
    urls: list[str], *, seconds: int, connections: int, headers: dict[str, str]
) -> float:
    done = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, headers=headers) as client:

        async def worker(offset: int) -> None:
            nonlocal done
            i = offset
            while time.monotonic() < deadline:
                response = await client.get(urls[i % len(urls)])
                assert response.status_code in (200, 304), response.text
                done += 1
                i += 1

        started = time.monotonic()
        await asyncio.gather(*(worker(n) for n in range(connections)))
        return done / (time.monotonic() - started)


def measure(
    base: str,
    path: str | list[str],
    args: argparse.Namespace,
    headers: dict[str, str] | None = None,
) -> float:
    headers = headers or {}
    paths = [path] if isinstance(path, str) else path
    if shutil.which("wrk") and not args.httpx:
        script = None
        if len(paths) > 1:
            script = Path(tempfile.mkstemp(suffix=".lua")[1])
            script.write_text(ROTATE_LUA % ",".join(f'"{p}"' for p in paths))
        return wrk(
            base + paths[0],
            seconds=args.seconds,
            connections=args.connections,
            headers=headers,
            script=script,
        )
    return asyncio.run(
        httpx_rate(
            [base + p for p in paths],
            seconds=args.seconds,
            connections=args.connections,
            headers=headers,
        )
    )


def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    url = fresh_database(backend, workdir, args.pg_host)
    migrate(Settings(database_url=url))
    load_seconds = asyncio.run(load(url, args.providers))
    plan = asyncio.run(explain(url))
    codes = [a["code"] for a in load_areas()]
    rotating = [f"/api/v1/areas/{code}/providers?limit=50" for code in codes]
    rotating_bare = [f"/bench/bare?area={code}" for code in codes]
    rates: dict[str, list[float]] = {
        "bare": [],
        "listing": [],
        "listing-304": [],
        "bare-22": [],
        "listing-22": [],
    }
    server = Server(url, workdir / f"server-{backend}.log")
    try:
        first = httpx.get(server.base + LISTING)
        assert first.status_code == 200, first.text
        assert len(first.json()["items"]) == 50, first.text
        etag = first.headers["etag"]
        for path in ("/bench/bare", LISTING):  # warm up: connections, caches, code paths
            measure(server.base, path, argparse.Namespace(**{**vars(args), "seconds": 2}))
        for _ in range(args.rounds):
            rates["bare"].append(measure(server.base, "/bench/bare", args))
            rates["listing"].append(measure(server.base, LISTING, args))
            rates["listing-304"].append(
                measure(server.base, LISTING, args, {"If-None-Match": etag})
            )
            rates["bare-22"].append(measure(server.base, rotating_bare, args))
            rates["listing-22"].append(measure(server.base, rotating, args))
    finally:
        server.stop()
    server = Server(
        url, workdir / f"server-{backend}-nocache.log", {"DPC_DIRECTORY_CACHE_ENTRIES": "0"}
    )
    try:
        measure(server.base, LISTING, argparse.Namespace(**{**vars(args), "seconds": 2}))
        rates["listing-nocache"] = [measure(server.base, LISTING, args) for _ in range(args.rounds)]
    finally:
        server.stop()
    medians = {name: statistics.median(values) for name, values in rates.items()}
    return {
        "backend": backend,
        "providers": args.providers,
        "load_seconds": round(load_seconds, 1),
        "requests_per_second": {k: round(v) for k, v in medians.items()},
        "ratio_to_bare": {
            k: round(v / medians["bare-22" if k.endswith("-22") else "bare"], 2)
            for k, v in medians.items()
        },
        "plan": plan,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--providers", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument(
        "--httpx", action="store_true", help="measure with httpx even if wrk is installed"
    )
    args = parser.parse_args()
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    tool = "wrk" if shutil.which("wrk") and not args.httpx else "httpx"
    print(
        f"tool: {tool}, {args.connections} connections, {args.rounds} rounds of {args.seconds}s, {os.cpu_count()} CPUs"
    )
    results = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        result = run_backend(backend, args, results_dir)
        results.append(result)
        print(
            f"\n## {backend}: {result['providers']} providers loaded in {result['load_seconds']} s"
        )
        for name, rate in result["requests_per_second"].items():
            base = "bare-22" if name.endswith("-22") else "bare"
            print(f"  {name:16} {rate:>7} req/s  ({result['ratio_to_bare'][name]:.2f} x {base})")
        print("  plan of the listing query:\n    " + result["plan"].replace("\n", "\n    "))
    (results_dir / "providers.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
