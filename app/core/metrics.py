"""Prometheus metrics, defined once per process, and what `/metrics` serves.

With several worker processes (`uvicorn --workers N`) each counts only what it answers. Set
`PROMETHEUS_MULTIPROC_DIR` to an empty directory before the server starts (prometheus-client
reads it when it is first imported) and every process writes its figures there; `/metrics`
then serves their sum, whichever worker answers. A gauge defined here must say how its
values from several processes combine (`multiprocess_mode`, e.g. "livesum").
"""

import os
from functools import lru_cache

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiproc_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


# A directory named but missing would fail every request at its first count.
if (_directory := multiproc_dir()) is not None:
    os.makedirs(_directory, exist_ok=True)

REQUESTS = Counter(
    "dpc_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "dpc_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


@lru_cache(maxsize=1)
def _every_worker(directory: str) -> CollectorRegistry:
    # The collector reads the directory's files afresh at each collection.
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return registry


def exposition() -> bytes:
    """The Prometheus text of every worker's figures (of this process alone without
    `PROMETHEUS_MULTIPROC_DIR`)."""
    directory = multiproc_dir()
    return generate_latest(REGISTRY if directory is None else _every_worker(directory))


def worker_exiting() -> None:
    """A worker stopping: its live gauges leave the sum (its counts stay, as counted)."""
    directory = multiproc_dir()
    if directory is not None:
        mark_process_dead(os.getpid(), directory)  # type: ignore[no-untyped-call]
