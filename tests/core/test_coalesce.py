import asyncio

import pytest

from app.core.coalesce import SharedRead


class Source:
    """A value read slowly, counting reads; `release` lets the read under way finish."""

    def __init__(self) -> None:
        self.value = 0
        self.reads = 0
        self.gate = asyncio.Event()
        self.fail = False

    async def read(self) -> int:
        self.reads += 1
        seen = self.value
        await self.gate.wait()
        self.gate.clear()
        if self.fail:
            raise RuntimeError("the database is down")
        return seen

    def release(self) -> None:
        self.gate.set()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


class TestSharedRead:
    async def test_callers_waiting_together_share_one_read(self) -> None:
        source = Source()
        shared = SharedRead(source.read)
        first = asyncio.create_task(shared.get())
        await settle()
        # These arrive while the first read runs: they get the next read, one for all.
        others = [asyncio.create_task(shared.get()) for _ in range(5)]
        await settle()
        source.release()
        await settle()
        source.release()
        assert await first == 0
        assert await asyncio.gather(*others) == [0] * 5
        assert source.reads == 2

    async def test_a_caller_never_gets_a_read_that_started_before_it_asked(self) -> None:
        source = Source()
        shared = SharedRead(source.read)
        early = asyncio.create_task(shared.get())
        await settle()
        source.value = 1  # a write commits while the first read is under way
        late = asyncio.create_task(shared.get())
        await settle()
        source.release()
        await settle()
        source.release()
        assert await early == 0
        assert await late == 1

    async def test_a_failed_read_fails_its_callers_and_the_next_read_recovers(self) -> None:
        source = Source()
        shared = SharedRead(source.read)
        source.fail = True
        failing = asyncio.create_task(shared.get())
        await settle()
        source.release()
        with pytest.raises(RuntimeError):
            await failing
        source.fail = False
        recovering = asyncio.create_task(shared.get())
        await settle()
        source.release()
        assert await recovering == 0

    async def test_a_caller_giving_up_does_not_cancel_the_others(self) -> None:
        source = Source()
        shared = SharedRead(source.read)
        impatient = asyncio.create_task(shared.get())
        patient = asyncio.create_task(shared.get())
        await settle()
        impatient.cancel()
        await settle()
        source.release()
        assert await patient == 0
        assert impatient.cancelled()
