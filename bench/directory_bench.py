"""Directory benchmark: the area listing, cached and not, against a bare FastAPI app, one run.

For each backend (SQLite, PostgreSQL): a fresh database (a SQLite file under bench/results/,
or the PostgreSQL database `bench_directory_providers`, dropped and created with psql),
migrated, with 10,000 verified providers loaded through the import service and the database
settled (`VACUUM ANALYZE` and `CHECKPOINT`; `ANALYZE` and a WAL checkpoint). Then three
servers are started as a user would, each one uvicorn process on 127.0.0.1 with default
logging:

  bare      `bench/directory_bare.py`: a separate, minimal FastAPI app answering the same
            fifty `ProviderRead` models, serialized by FastAPI per request (no middleware,
            no database)
  app       the service (`app.main:app`)
  nocache   the service with `DPC_DIRECTORY_CACHE_ENTRIES=0`

and these are measured with wrk (`-t2 -c32`), in turn, for `--rounds` rounds:

  bare              GET /providers on `bare`
  cached            GET /api/v1/areas/W06000015/providers?limit=50 (Cardiff) on `app`
  uncached          the same on `nocache`: every request queries the database
  written-elsewhere `cached` while a provider serving only other areas is written ten times
                    a second (through the import service, from this process): Cardiff's
                    pages stay cached
  written-here      `cached` while a provider in Cardiff is written ten times a second: each
                    write leaves Cardiff's first page to be rendered again

The median of each measure over the rounds is reported with its ratio to bare's median, and
the server's CPU time per request (user + system of the uvicorn process, from /proc), which
other work on the machine does not add to (PostgreSQL's own time is not in it). Results go to
bench/results/directory.json. Run from the project root:

  .venv/bin/python -m bench.directory_bench             # both backends, 3 rounds of 8 s
  .venv/bin/python -m bench.directory_bench --backends sqlite --seconds 5
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from app.cli import migrate
from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.providers.csv_import import ImportRow
from app.providers.imports import upsert_verified
from bench.providers_bench import load, provider_rows

ROOT = Path(__file__).resolve().parents[1]
CARDIFF = "W06000015"
LISTING = f"/api/v1/areas/{CARDIFF}/providers?limit=50"
BARE = "/providers"
PG_DATABASE = "bench_directory_providers"
WRITES_PER_SECOND = 10
TICKS = os.sysconf("SC_CLK_TCK")


def fresh_database(backend: str, workdir: Path, pg_host: str) -> str:
    if backend == "sqlite":
        path = workdir / "bench_directory.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    for sql in (f"DROP DATABASE IF EXISTS {PG_DATABASE}", f"CREATE DATABASE {PG_DATABASE}"):
        subprocess.run(["psql", "-h", pg_host, "-U", "postgres", "-q", "-c", sql], check=True)
    return f"postgresql://postgres@{pg_host}:5432/{PG_DATABASE}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One uvicorn process serving `target`, started as a user would."""

    def __init__(self, target: str, log: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + path, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.base} did not become ready; see {self.log.name}")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


@dataclass
class Measured:
    rate: float
    cpu_per_request: float
    timeouts: int


def wrk(server: Server, path: str, seconds: int, connections: int) -> Measured:
    cpu_before = server.cpu_seconds()
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", server.base + path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    cpu = server.cpu_seconds() - cpu_before
    if "Non-2xx or 3xx responses" in output:
        raise RuntimeError(f"errors while measuring {server.base + path}:\n{output}")
    requests = re.search(r"(\d+) requests in", output)
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    if requests is None or rate is None:
        raise RuntimeError(output)
    # Requests over wrk's 2 s: on a machine shared with other work a process can be held up
    # for that long (the log lines are written to a file); counted, and reported.
    timeouts = re.search(r"timeout (\d+)", output)
    return Measured(
        rate=float(rate.group(1)),
        cpu_per_request=cpu / int(requests.group(1)),
        timeouts=int(timeouts.group(1)) if timeouts else 0,
    )


def written_row(rows: list[ImportRow], *, in_cardiff: bool) -> ImportRow:
    """A loaded provider to write to: one serving Cardiff, or one serving none of it."""
    return next(r for r in rows if (CARDIFF in r.details.area_codes) == in_cardiff)


@contextmanager
def writing(url: str, row: ImportRow) -> Iterator[list[int]]:
    """Write `row`'s provider (a new rate each time) through the import service, ten times a
    second, while the block runs; yields the count of writes made."""
    stop = threading.Event()
    done = [0]

    async def write() -> None:
        engine = create_engine(Settings(database_url=url))
        sessionmaker = create_sessionmaker(engine)
        rate = row.details.hourly_rate_pence
        try:
            while not stop.is_set():
                rate = 1500 + (rate - 1499) % 2000
                details = row.details.model_copy(update={"hourly_rate_pence": rate})
                async with unit_of_work(sessionmaker) as session:
                    await upsert_verified(
                        session,
                        None,
                        [ImportRow(line=2, details=details, columns=row.columns)],
                        now=datetime.now(UTC),
                    )
                done[0] += 1
                await asyncio.sleep(1 / WRITES_PER_SECOND)
        finally:
            await engine.dispose()

    thread = threading.Thread(target=asyncio.run, args=(write(),), daemon=True)
    thread.start()
    try:
        yield done
    finally:
        stop.set()
        thread.join(timeout=30)


def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    url = fresh_database(backend, workdir, args.pg_host)
    migrate(Settings(database_url=url))
    load_seconds = asyncio.run(load(url, args.providers))
    rows = provider_rows(args.providers)
    app_env = {"DPC_DATABASE_URL": url}
    servers = {
        "bare": Server("bench.directory_bare:app", workdir / "directory-bare.log", {}),
        "app": Server("app.main:app", workdir / f"directory-{backend}.log", app_env),
        "nocache": Server(
            "app.main:app",
            workdir / f"directory-{backend}-nocache.log",
            {**app_env, "DPC_DIRECTORY_CACHE_ENTRIES": "0"},
        ),
    }
    measured: dict[str, list[Measured]] = {}
    writes: dict[str, int] = {"written-elsewhere": 0, "written-here": 0}
    try:
        servers["bare"].wait_ready(BARE)
        servers["app"].wait_ready(LISTING)
        servers["nocache"].wait_ready(LISTING)
        cached = httpx.get(servers["app"].base + LISTING)
        uncached = httpx.get(servers["nocache"].base + LISTING)
        if cached.content != uncached.content or len(cached.json()["items"]) != 50:
            raise RuntimeError("the cached and uncached listings differ")
        plan = [
            ("bare", "bare", BARE, None),
            ("cached", "app", LISTING, None),
            ("uncached", "nocache", LISTING, None),
            ("written-elsewhere", "app", LISTING, written_row(rows, in_cardiff=False)),
            ("written-here", "app", LISTING, written_row(rows, in_cardiff=True)),
        ]
        for _name, serving, path, _written in plan:  # warm up: connections, caches, code paths
            wrk(servers[serving], path, 2, args.connections)
        for _ in range(args.rounds):
            for name, serving, path, written in plan:
                if written is None:
                    result = wrk(servers[serving], path, args.seconds, args.connections)
                else:
                    with writing(url, written) as done:
                        result = wrk(servers[serving], path, args.seconds, args.connections)
                    writes[name] += done[0]
                measured.setdefault(name, []).append(result)
    finally:
        for server in servers.values():
            server.stop()
    rate = {k: statistics.median(m.rate for m in v) for k, v in measured.items()}
    cpu = {k: statistics.median(m.cpu_per_request for m in v) for k, v in measured.items()}
    return {
        "backend": backend,
        "providers": args.providers,
        "load_seconds": round(load_seconds, 1),
        "rounds": {k: [round(m.rate) for m in v] for k, v in measured.items()},
        "requests_per_second": {k: round(v) for k, v in rate.items()},
        "ratio_to_bare": {k: round(v / rate["bare"], 2) for k, v in rate.items()},
        "cpu_us_per_request": {k: round(v * 1e6) for k, v in cpu.items()},
        "cpu_ratio_to_bare": {k: round(cpu["bare"] / v, 2) for k, v in cpu.items()},
        "writes": writes,
        "timeouts": {k: sum(m.timeouts for m in v) for k, v in measured.items()},
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
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"wrk -t2 -c{args.connections}, {args.rounds} rounds of {args.seconds} s, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    results = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        result = run_backend(backend, args, results_dir)
        results.append(result)
        print(
            f"\n## {backend}: {result['providers']} providers, loaded in {result['load_seconds']} s"
        )
        print(f"  {'measure':18} {'req/s':>7} {'ratio':>6} {'CPU/req':>9} {'CPU ratio':>9}  rounds")
        for name, rate in result["requests_per_second"].items():
            print(
                f"  {name:18} {rate:>7} {result['ratio_to_bare'][name]:>6.2f} "
                f"{result['cpu_us_per_request'][name]:>7} us "
                f"{result['cpu_ratio_to_bare'][name]:>9.2f}  {result['rounds'][name]}"
            )
        print(f"  writes made: {result['writes']}; requests over 2 s: {result['timeouts']}")
    (results_dir / "directory.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
