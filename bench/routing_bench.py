"""What routing costs a request: the service's routers (app.core.routing.Router) against
FastAPI's own matching of the same routes, side by side in one process.

The app is built once (SQLite, bench endpoints on) and called directly as an ASGI app, no
HTTP, no database touched: each request below is answered before any query (the bare list,
the health check, a refusal for the wrong method, a path no route serves). Each round times
N requests of each path with the house's routers, then N with `Router`'s two overrides put
back to FastAPI's (`APIRouter.matches`, `APIRouter._get_routes_version`); the figures are
the medians of the rounds, and the ratio is house / FastAPI's.

    .venv/bin/python -m bench.routing_bench            # --requests 2000 --rounds 5
"""

import argparse
import asyncio
import contextlib
import logging
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, FastAPI

from app.core.config import Settings
from app.core.routing import Router
from app.main import create_app

PATHS = [
    ("GET", "/bench/bare", "/bench/bare, the last route"),
    ("GET", "/healthz", "/healthz, among the first"),
    (
        "GET",
        "/api/v1/coops/00000000-0000-4000-8000-000000000001/pool/contributions",
        "a contribution address, GET (405)",
    ),
    ("GET", "/api/v1/nowhere", "no route at all (404)"),
]


@contextlib.contextmanager
def fastapis_matching() -> Iterator[None]:
    """`Router` as FastAPI's `APIRouter` matches."""
    kept = Router.matches, Router._get_routes_version
    Router.matches = APIRouter.matches  # type: ignore[method-assign]
    Router._get_routes_version = APIRouter._get_routes_version  # type: ignore[method-assign]
    try:
        yield
    finally:
        Router.matches, Router._get_routes_version = kept  # type: ignore[method-assign]


async def call(app: FastAPI, method: str, path: str) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"bench")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    status: list[int] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            status.append(int(str(message["status"])))

    await app(scope, receive, send)  # type: ignore[arg-type]
    return status[0]


async def per_request(app: FastAPI, method: str, path: str, n: int) -> float:
    """Microseconds a request, of n after a warm-up."""
    for _ in range(100):
        await call(app, method, path)
    started = time.perf_counter()
    for _ in range(n):
        await call(app, method, path)
    return (time.perf_counter() - started) / n * 1e6


async def measure(app: FastAPI, requests: int, rounds: int) -> None:
    house: dict[str, list[float]] = {path: [] for _, path, _ in PATHS}
    fastapi: dict[str, list[float]] = {path: [] for _, path, _ in PATHS}
    for _ in range(rounds):
        for method, path, _ in PATHS:
            house[path].append(await per_request(app, method, path, requests))
            with fastapis_matching():
                fastapi[path].append(await per_request(app, method, path, requests))
    with fastapis_matching():
        theirs = [await call(app, method, path) for method, path, _ in PATHS]
    ours = [await call(app, method, path) for method, path, _ in PATHS]
    if ours != theirs:
        raise SystemExit(f"the answers differ: {ours} against {theirs}")
    print(f"{'request':<34} {'FastAPI µs':>11} {'house µs':>9} {'ratio':>6}  status")
    for (_, path, what), status in zip(PATHS, ours, strict=True):
        theirs_us, ours_us = statistics.median(fastapi[path]), statistics.median(house[path])
        print(
            f"{what[:34]:<34} {theirs_us:>11.0f} {ours_us:>9.0f} {ours_us / theirs_us:>6.2f}  {status}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the request log line is not what is measured
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "routing.db"
        settings = Settings(database_url=f"sqlite+aiosqlite:///{database}", bench_endpoints=True)
        app = create_app(settings)
        asyncio.run(measure(app, args.requests, args.rounds))


if __name__ == "__main__":
    main()
