"""`/metrics` of a server with two worker processes counts what both answered, whichever
of them answers the scrape (`PROMETHEUS_MULTIPROC_DIR`).

The server is real (uvicorn, two workers, a scratch SQLite database: nothing here is about
the database). Requests go out at once, each on a connection of its own, so the two workers
share them; which worker answered what is read from the directory's per-process files.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from app.cli import migrate
from tests.conftest import make_test_settings
from tests.servers import running_server

BURST = 8
# The kernel often hands one worker a whole burst, even several in a row: bursts follow
# until both have answered, so the test shows the sum of two workers, not one worker's count.
BURSTS = 40


def served_by_worker(directory: Path, route: str) -> dict[str, float]:
    """Requests to `route` each worker process has counted so far, by process id."""
    counts = {}
    for path in sorted(directory.glob("counter_*.db")):
        pid = path.stem.removeprefix("counter_")
        families = MultiProcessCollector.merge([str(path)])  # type: ignore[no-untyped-call]
        counts[pid] = sum(
            sample.value
            for family in families
            for sample in family.samples
            if sample.name == "dpc_http_requests_total" and sample.labels["route"] == route
        )
    return {pid: n for pid, n in counts.items() if n}


def scraped(text: str, name: str, route: str) -> float:
    """The sum of the samples `name` about `route` in a Prometheus text exposition."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and sample.labels.get("route") == route
    )


async def at_once(base: str, path: str, n: int) -> list[httpx.Response]:
    """`n` GETs sent together, each on a new connection (none is kept alive)."""
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        return list(await asyncio.gather(*(client.get(path) for _ in range(n))))


async def until_both(
    send: Callable[[], Awaitable[None]], directory: Path, route: str, log: Path
) -> dict[str, float]:
    """Send bursts until two workers have answered `route`; their counts then."""
    for _ in range(BURSTS):
        await send()
        counts = served_by_worker(directory, route)
        if len(counts) == 2:
            return counts
    output = await asyncio.to_thread(log.read_text)
    pytest.fail(f"one worker answered every request: {counts}\n{output}")


async def settled(directory: Path, route: str, expected: float) -> None:
    """Wait for the workers' files to hold `expected` (a count is made as an answer ends)."""
    deadline = time.monotonic() + 10
    while sum(served_by_worker(directory, route).values()) != expected:
        if time.monotonic() > deadline:
            pytest.fail(f"counted {served_by_worker(directory, route)}, not {expected}")
        await asyncio.sleep(0.05)


async def test_every_scrape_counts_both_workers_requests(tmp_path: Path) -> None:
    settings = make_test_settings(f"sqlite+aiosqlite:///{tmp_path / 'metrics.sqlite3'}")
    await asyncio.to_thread(migrate, settings)
    directory = tmp_path / "prometheus"  # not there yet: the workers make it
    log = tmp_path / "server.log"
    env = {"PROMETHEUS_MULTIPROC_DIR": str(directory)}
    async with running_server(settings, log=log, env=env, workers=2) as base:
        sent = 0

        async def health() -> None:
            nonlocal sent
            answers = await at_once(base, "/healthz", BURST)
            assert [a.status_code for a in answers] == [200] * BURST
            sent += BURST

        await until_both(health, directory, "/healthz", log)
        await settled(directory, "/healthz", sent)

        scrapes: list[httpx.Response] = []

        async def scrape() -> None:
            scrapes.extend(await at_once(base, "/metrics", BURST))

        await until_both(scrape, directory, "/metrics", log)

    for answer in scrapes:
        assert answer.status_code == 200
        assert scraped(answer.text, "dpc_http_requests_total", "/healthz") == sent
        assert scraped(answer.text, "dpc_http_request_duration_seconds_count", "/healthz") == sent
