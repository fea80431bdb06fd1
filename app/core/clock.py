"""The injectable clock: every rule that depends on 'now' asks this, so tests can move time.

Instants are kept in UTC; days are Welsh days. A Direct Payment cycle, a statement, a quarter
of the council's return, a council's period or "today" for an invoice are calendar days in
Wales (Europe/London: GMT in winter, BST in summer), so a payment at 00:30 on 1 July BST
belongs to July and to the third quarter, not to 30 June as a UTC day would have it.
"""

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

WALES = ZoneInfo("Europe/London")


def local_date(moment: datetime) -> date:
    """The calendar day in Wales at that instant."""
    return moment.astimezone(WALES).date()


def day_range(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The instants [start of first_day, start of the day after last_day) of Welsh days, in
    UTC, for comparing with stored timestamps."""
    start = datetime.combine(first_day, time(), tzinfo=WALES)
    end = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=WALES)
    return start.astimezone(UTC), end.astimezone(UTC)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that stands still until moved; for tests and reproducible data steps."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class Sleeper(Protocol):
    """Waits: throttling slows answers through this, so tests can record the wait instead."""

    async def __call__(self, seconds: float) -> None: ...


async def real_sleep(seconds: float) -> None:
    if seconds > 0:
        await asyncio.sleep(seconds)
