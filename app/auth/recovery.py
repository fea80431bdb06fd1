"""Keeping an account: changing the password, resetting a forgotten one, changing the address.

Reset and e-mail tokens are 256 random bits, mailed once and stored only as their SHA-256.
Each works once; a newer request voids the older ones; a reset token lasts 30 minutes, an
e-mail token 24 hours. A request to reset a password does the same work whether the address
is known or not (one row stored, older ones voided) and answers the same; only a known
address is mailed, after the commit.
"""

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service, sessions, throttle
from app.auth.errors import EmailTaken, InvalidEmailToken, InvalidResetToken, WrongPassword
from app.auth.models import EmailChange, LoginFailure, PasswordReset, User
from app.auth.passwords import Passwords
from app.auth.tokens import hash_refresh_token, new_single_use_token
from app.core.clock import Sleeper
from app.core.config import Settings
from app.core.errors import ValidationFailed
from app.core.field_errors import field_error
from app.core.schemas import normalise_email

RESET_LIFETIME = timedelta(minutes=30)
EMAIL_TOKEN_LIFETIME = timedelta(hours=24)
RESET_WINDOW = timedelta(hours=1)
RESETS_PER_ADDRESS = 5
RESETS_PER_CLIENT = 20
# Requests are kept this long (for the limits above), then trimmed as new ones arrive.
RESET_KEPT = timedelta(days=1)
_TRIM_BATCH = 200


async def check_password(
    session: AsyncSession,
    passwords: Passwords,
    sleeper: Sleeper,
    user: User,
    *,
    password: str,
    client_address: str,
    now: datetime,
) -> None:
    """403 `wrong_password` unless `password` is the person's, throttled as logins are (the
    attempt is counted first, under the same limits and with the same count as signing in
    with this address from this client: 429 `too_many_attempts` past them).

    The caller keeps the count when refusing: it must commit the transaction and answer the
    refusal, not roll it back (see `app.me.router`)."""
    delay = await throttle.claim_login_attempt(
        session, name=user.email, client_address=client_address, now=now
    )
    await sleeper(delay)
    if not await passwords.verify(user.password_hash, password):
        raise WrongPassword
    await throttle.clear_failures(session, name=user.email, client_address=client_address)


async def set_password(
    session: AsyncSession,
    passwords: Passwords,
    user: User,
    *,
    new_password: str,
    now: datetime,
    keep_login: uuid.UUID | None,
) -> int:
    """The new password in force: every login but `keep_login` ends and waiting reset codes
    stop working. How many logins ended."""
    user.password_hash = await passwords.hash(new_password)
    await _void_resets(session, PasswordReset.user_id == user.id, now=now)
    ended = await sessions.end_logins(session, user_id=user.id, now=now, keep=keep_login)
    await session.flush()
    return ended


def email_digest(settings: Settings, email: str) -> str:
    """The address as the reset limits count it: keyed, so the stored digests cannot be turned
    back into addresses by hashing guesses."""
    key = settings.signing_key.encode()
    message = b"password-reset\x00" + normalise_email(email).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ResetRequested:
    reset_id: uuid.UUID
    user: User | None  # None: nobody has the address (nothing is mailed)
    token: str


async def _void_resets(session: AsyncSession, whose: ColumnElement[bool], *, now: datetime) -> None:
    await session.execute(
        update(PasswordReset)
        .where(whose, PasswordReset.used_at.is_(None), PasswordReset.voided_at.is_(None))
        .values(voided_at=now)
    )


async def _count(session: AsyncSession, *conditions: ColumnElement[bool]) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(PasswordReset).where(*conditions))
        or 0
    )


async def request_reset(
    session: AsyncSession, settings: Settings, *, email: str, client_address: str, now: datetime
) -> ResetRequested | None:
    """Store a reset request (voiding older ones for the address); None past the limits of 5
    an hour for one address or 20 an hour from one client, when nothing is stored or sent.
    Counted under locks on the client and the address, so the limits hold under concurrency
    (the client's lock first, always, so two requests never wait on each other in a circle)."""
    digest = email_digest(settings, email)
    await throttle.serialise_on(session, f"reset-client\x00{client_address}")
    await throttle.serialise_on(session, f"reset-address\x00{digest}")
    recent = PasswordReset.requested_at > now - RESET_WINDOW
    if (
        await _count(session, PasswordReset.email_digest == digest, recent) >= RESETS_PER_ADDRESS
        or await _count(session, PasswordReset.client_address == client_address, recent)
        >= RESETS_PER_CLIENT
    ):
        return None
    found = await service.users_by_email(session, email)
    user = found[0] if found else None
    token, token_hash = new_single_use_token()
    whose = PasswordReset.email_digest == digest
    await _void_resets(
        session, or_(whose, PasswordReset.user_id == user.id) if user else whose, now=now
    )
    reset = PasswordReset(
        email_digest=digest,
        client_address=client_address,
        user_id=user.id if user else None,
        token_hash=token_hash,
        requested_at=now,
        expires_at=now + RESET_LIFETIME,
    )
    session.add(reset)
    stale = select(PasswordReset.id).where(PasswordReset.requested_at < now - RESET_KEPT)
    batch = stale.limit(_TRIM_BATCH).with_for_update(skip_locked=True).scalar_subquery()
    await session.execute(delete(PasswordReset).where(PasswordReset.id.in_(batch)))
    await session.flush()
    return ResetRequested(reset_id=reset.id, user=user, token=token)


Spendable = TypeVar("Spendable", PasswordReset, EmailChange)


async def _spend(
    session: AsyncSession, model: type[Spendable], token: str, *, now: datetime
) -> Spendable | None:
    """The row of a token that works, spent (once, even under a race); None for any other."""
    row = await session.scalar(select(model).where(model.token_hash == hash_refresh_token(token)))
    if row is None or row.used_at is not None or row.voided_at is not None:
        return None
    if row.expires_at <= now:
        return None
    spent = await session.execute(
        update(model)
        .where(model.id == row.id, model.used_at.is_(None), model.voided_at.is_(None))
        .values(used_at=now)
    )
    return row if spent.rowcount == 1 else None  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class PasswordReplaced:
    user: User
    logins_ended: int


async def confirm_reset(
    session: AsyncSession, passwords: Passwords, *, token: str, new_password: str, now: datetime
) -> PasswordReplaced:
    """The new password in force, every login ended and the failed-login counts for the
    address cleared; 400 `invalid_reset_token` for a used, expired, unknown or voided code."""
    reset = await _spend(session, PasswordReset, token, now=now)
    if reset is None or reset.user_id is None:
        raise InvalidResetToken
    user = await session.get(User, reset.user_id)
    if user is None or user.closed_at is not None:
        raise InvalidResetToken
    ended = await set_password(
        session, passwords, user, new_password=new_password, now=now, keep_login=None
    )
    await session.execute(delete(LoginFailure).where(LoginFailure.email == user.email))
    return PasswordReplaced(user=user, logins_ended=ended)


async def request_email_change(
    session: AsyncSession, user: User, *, new_email: str, now: datetime
) -> tuple[EmailChange, str]:
    """A change waiting for confirmation from the new address, and the token to mail there;
    older waiting changes stop working. Whether the address is in use is not said here
    (`email_taken` comes at confirmation), so asking reveals nothing."""
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "new_email"],
                    "This is already your address.",
                    msg_cy="Dyma'ch cyfeiriad chi eisoes.",
                )
            ]
        )
    await _void_email_changes(session, user.id, now=now)
    token, token_hash = new_single_use_token()
    change = EmailChange(
        user_id=user.id,
        new_email=new_email,
        token_hash=token_hash,
        requested_at=now,
        expires_at=now + EMAIL_TOKEN_LIFETIME,
    )
    session.add(change)
    await session.flush()
    return change, token


async def _void_email_changes(session: AsyncSession, user_id: uuid.UUID, *, now: datetime) -> None:
    await session.execute(
        update(EmailChange)
        .where(
            EmailChange.user_id == user_id,
            EmailChange.used_at.is_(None),
            EmailChange.voided_at.is_(None),
        )
        .values(voided_at=now)
    )


@dataclass(frozen=True, slots=True)
class EmailReplaced:
    user: User
    change_id: uuid.UUID
    old_email: str


async def confirm_email_change(
    session: AsyncSession, *, token: str, now: datetime
) -> EmailReplaced:
    """The new address in force (no login needed: the code proves the mailbox). 400
    `invalid_email_token` for a used, expired, unknown or voided code; 409 `email_taken` when
    someone else has the address by now (the code then stays unspent). Reset codes mailed to
    the old address stop working."""
    change = await _spend(session, EmailChange, token, now=now)
    if change is None:
        raise InvalidEmailToken
    user = await session.get(User, change.user_id)
    if user is None or user.closed_at is not None:
        raise InvalidEmailToken
    taken = await session.scalar(
        select(User.id).where(User.email == change.new_email, User.id != user.id)
    )
    if taken is not None:
        raise EmailTaken
    old_email = user.email
    user.email = change.new_email
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # someone took the address at this very moment
        raise EmailTaken from exc
    await _void_email_changes(session, user.id, now=now)
    await _void_resets(session, PasswordReset.user_id == user.id, now=now)
    await session.flush()
    return EmailReplaced(user=user, change_id=change.id, old_email=old_email)
