"""Limits on guessing: failed logins and sign-ups, counted before the work they limit.

Every attempt is written down *before* the password (or client secret) is checked, in a
transaction of its own that first takes a lock keyed by the client address: on PostgreSQL a
transaction-scoped advisory lock, on SQLite the write lock every transaction takes at
`BEGIN IMMEDIATE`. Under that lock the attempt is counted with the ones already stored, so
however many requests arrive at once, no more than the limit get past the count; an attempt
that then succeeds removes the count it was part of.

Logins (section 3 of the specification):

* 5 attempts that did not succeed for one e-mail (or one API client id) from one client
  address within 15 minutes, or 50 from one address for any names, and further attempts from
  that address answer 429 `too_many_attempts` until 15 minutes after the last of them;
* a success clears the count for that name from that address;
* failures for a name from every address together only *slow* further attempts on it
  (a delay growing with them, at most `MAX_SLOWDOWN_SECONDS`): an address that has not
  failed is never refused, so nobody can lock the owner out of their own account.
"""

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.errors import TooManyAttempts, TooManyRegistrations
from app.auth.models import LoginFailure, RegistrationAttempt

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME_AND_ADDRESS = 5
MAX_FAILURES_PER_ADDRESS = 50
# Failures for one name, from all addresses together, before its attempts are slowed; each
# further one adds SLOWDOWN_STEP_SECONDS, up to MAX_SLOWDOWN_SECONDS.
SLOWDOWN_AFTER = 5
SLOWDOWN_STEP_SECONDS = 0.5
MAX_SLOWDOWN_SECONDS = 5.0
REGISTRATION_WINDOW = timedelta(hours=1)
# Rows older than this are of no further use; each attempt trims at most this many of them.
_TRIM_BATCH = 200


def _lock_id(key: str) -> int:
    digest = hashlib.sha256(f"throttle\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def serialise_on(session: AsyncSession, key: str) -> None:
    """Hold `key` until this transaction ends. On SQLite every transaction already holds the
    database's write lock from its first statement, which serialises all of them."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _lock_id(key)})


def _retry_after(moment: datetime, window: timedelta, now: datetime) -> int:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)
    return max(1, math.ceil((moment + window - now).total_seconds()))


def slowdown_seconds(failures_for_name: int) -> float:
    """How long an attempt on a name waits, given its failures from every address."""
    if failures_for_name < SLOWDOWN_AFTER:
        return 0.0
    steps = failures_for_name - SLOWDOWN_AFTER + 1
    return min(MAX_SLOWDOWN_SECONDS, steps * SLOWDOWN_STEP_SECONDS)


async def _count_and_last(
    session: AsyncSession, *conditions: ColumnElement[bool]
) -> tuple[int, datetime | None]:
    count, last = (
        await session.execute(select(func.count(), func.max(LoginFailure.at)).where(*conditions))
    ).one()
    return int(count), last


async def claim_login_attempt(
    session: AsyncSession, *, name: str, client_address: str, now: datetime
) -> float:
    """Count this attempt (as a failure until it succeeds) or refuse it with 429; answers how
    many seconds to wait before checking the credentials.

    `name` is the normalised e-mail, or `client:<client_id>` for an API client. Run it in a
    transaction of its own that commits before the credentials are checked.
    """
    await serialise_on(session, f"login\x00{client_address}")
    recent = LoginFailure.at > now - THROTTLE_WINDOW
    from_here = LoginFailure.client_address == client_address
    for key, limit in (
        ((LoginFailure.email == name, from_here), MAX_FAILURES_PER_NAME_AND_ADDRESS),
        ((from_here,), MAX_FAILURES_PER_ADDRESS),
    ):
        # Refused while the last failure is under 15 minutes old and it and those before it
        # within 15 minutes reach the limit: refusals add no failure, so a refused address
        # may try again exactly 15 minutes after its last failure.
        _, last = await _count_and_last(session, *key, recent)
        if last is None:
            continue
        count, _ = await _count_and_last(session, *key, LoginFailure.at > last - THROTTLE_WINDOW)
        if count >= limit:
            retry_after = _retry_after(last, THROTTLE_WINDOW, now)
            raise TooManyAttempts(
                retry_after=retry_after, headers={"Retry-After": str(retry_after)}
            )
    for_name, _ = await _count_and_last(session, LoginFailure.email == name, recent)
    session.add(LoginFailure(email=name, client_address=client_address, at=now))
    await _trim(session, LoginFailure, LoginFailure.at < now - 2 * THROTTLE_WINDOW)
    await session.flush()
    return slowdown_seconds(for_name)


async def clear_failures(session: AsyncSession, *, name: str, client_address: str) -> None:
    """A success: the count for this name from this address starts again."""
    await session.execute(
        delete(LoginFailure).where(
            LoginFailure.email == name, LoginFailure.client_address == client_address
        )
    )


async def note_registration_attempt(
    session: AsyncSession, *, client_address: str, now: datetime, limit: int
) -> None:
    """Count this sign-up; 429 when the address asked for `limit` accounts this hour already.
    Run it in a transaction of its own: a sign-up refused later (e-mail taken) still counts."""
    await serialise_on(session, f"register\x00{client_address}")
    since = now - REGISTRATION_WINDOW
    count, first = (
        await session.execute(
            select(func.count(), func.min(RegistrationAttempt.at)).where(
                RegistrationAttempt.client_address == client_address,
                RegistrationAttempt.at > since,
            )
        )
    ).one()
    if count >= limit and first is not None:
        retry_after = _retry_after(first, REGISTRATION_WINDOW, now)
        raise TooManyRegistrations(
            retry_after=retry_after, headers={"Retry-After": str(retry_after)}
        )
    session.add(RegistrationAttempt(client_address=client_address, at=now))
    await _trim(
        session, RegistrationAttempt, RegistrationAttempt.at < now - 2 * REGISTRATION_WINDOW
    )
    await session.flush()


async def _trim(
    session: AsyncSession,
    model: type[LoginFailure] | type[RegistrationAttempt],
    stale: ColumnElement[bool],
) -> None:
    # Rows another transaction is trimming are skipped, so trimming never waits or deadlocks.
    batch = select(model.id).where(stale).limit(_TRIM_BATCH).with_for_update(skip_locked=True)
    await session.execute(delete(model).where(model.id.in_(batch.scalar_subquery())))
