"""Concurrent callers sharing one read of a fast-changing value, without ever reading stale.

A caller is answered by the first read that *starts after it asked*: a read already under
way when it arrives may predate a write it has seen committed, so it waits for the next.
Under load one query then serves every request that arrived while the previous one ran,
and at most one read per process is ever in flight.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedRead(Generic[T]):
    def __init__(self, read: Callable[[], Awaitable[T]]) -> None:
        self._read = read
        # One future per caller, so that a caller giving up cancels nobody else's wait.
        self._waiting: list[asyncio.Future[T]] = []
        self._runner: asyncio.Task[None] | None = None

    async def get(self) -> T:
        waiter: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        if self._runner is None:
            self._runner = asyncio.create_task(self._run())
        return await waiter

    async def _run(self) -> None:
        try:
            while self._waiting:
                # Whoever asks from here on joins the next read, not this one.
                batch, self._waiting = self._waiting, []
                try:
                    value = await self._read()
                except Exception as exc:
                    for waiter in batch:
                        if not waiter.done():
                            waiter.set_exception(exc)
                    continue
                for waiter in batch:
                    if not waiter.done():
                        waiter.set_result(value)
        finally:
            self._runner = None
