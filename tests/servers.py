"""A real uvicorn server, for the tests that need real parallel requests or a real browser."""

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings
from app.core.ops import PROJECT_ROOT


@dataclass
class Server:
    """A running server (the `server` fixture's), its database's engine, and its log."""

    url: str
    engine: AsyncEngine
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# Two workers each importing the app take tens of seconds on a loaded machine.
STARTUP_SECONDS = 120


async def wait_until_ready(base: str, process: Any, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    async with httpx.AsyncClient(base_url=base) as client:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                pytest.fail(f"the server stopped:\n{await asyncio.to_thread(log.read_text)}")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"the server did not start:\n{await asyncio.to_thread(log.read_text)}")


@asynccontextmanager
async def running_server(
    settings: Settings,
    *,
    log: Path,
    env: Mapping[str, str] | None = None,
    uvicorn_args: Sequence[str] = (),
    workers: int = 2,
) -> AsyncIterator[str]:
    """The base URL of the service on `settings`' database, served by `workers` uvicorn
    workers (cheap hashing, quiet logs, `env` on top), stopped on leaving; its output goes to
    `log`."""
    port = free_port()
    environment = {
        **os.environ,
        "DPC_DATABASE_URL": settings.database_url,
        "DPC_ENV": "test",
        "DPC_SECRET_KEY": settings.signing_key,
        "DPC_ARGON2_MEMORY_KIB": "1024",
        "DPC_ARGON2_TIME_COST": "1",
        "DPC_LOG_LEVEL": "WARNING",
        # Mail written as files (no SMTP) goes beside the log, not into the work tree.
        "DPC_MAIL_DIR": str(log.parent / "mail"),
        **(env or {}),
    }
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
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
            *uvicorn_args,
            "--no-access-log",
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=sink,
            stderr=sink,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_ready(base, process, log)
        yield base
    finally:
        process.terminate()
        await process.wait()
