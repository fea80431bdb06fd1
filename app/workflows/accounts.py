"""Accounts and logins as the audit log sees them, and the e-mails they send: each act, then
its entry, then (after the commit) its mail.

The three changes a person is told about whatever their notification settings
(`account.password_changed`, `account.email_changed`; `account.new_login` comes from
`start_login`) each happen in one function here: `change_password`, `confirm_password_reset`
and `confirm_email_change`.
"""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth import recovery, sessions
from app.auth import service as auth
from app.auth.actor import Actor
from app.auth.errors import LoginNotFound
from app.auth.models import AuthSession, PreferredLanguage, User
from app.auth.passwords import Passwords
from app.core.clock import WALES, Sleeper
from app.core.config import Settings
from app.core.i18n import Language
from app.mail.catalogue import compose
from app.mail.sender import send_after_commit
from app.notifications.events import Event, EventType, account_event
from app.notifications.service import notify


def language_of(user: User) -> Language:
    return "cy" if user.preferred_language == PreferredLanguage.cy else "en"


async def register(
    session: AsyncSession,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    full_name: str,
    preferred_language: PreferredLanguage,
    now: datetime,
) -> User:
    """A new account, recorded in the audit log."""
    user = await auth.register(
        session,
        passwords,
        email=email,
        password=password,
        full_name=full_name,
        preferred_language=preferred_language,
        now=now,
    )
    audit.record(session, Actor(user=user), "user.registered", "user", user.id, about=user.id)
    return user


async def start_login(
    session: AsyncSession,
    settings: Settings,
    *,
    user: User,
    now: datetime,
    user_agent: str | None = None,
) -> auth.TokenPair:
    """A login opened and recorded, the person told of it (`account.new_login`, on every
    sign-in with a password), then its first pair of tokens."""
    login = await open_login(session, user=user, now=now, user_agent=user_agent)
    return await auth.issue_pair(session, settings, user_id=user.id, login=login, now=now)


async def open_login(
    session: AsyncSession, *, user: User, now: datetime, user_agent: str | None = None
) -> AuthSession:
    """A login opened, recorded and told of, without tokens: the web pages' cookie session
    is this login, listed and ended with the others."""
    login = await auth.open_login(session, user=user, now=now, user_agent=user_agent)
    audit.record(session, Actor(user=user), "auth.login", "auth_session", login.id, about=user.id)
    await notify(
        session,
        Event(
            type=EventType.account_new_login,
            subject_type="auth_session",
            subject_id=login.id,
            at=now,
            recipients=[user.id],
            params={"signed_in_at": now.isoformat()},
        ),
    )
    return login


async def revoke_login(
    session: AsyncSession, *, login_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> None:
    """A login revoked on theft detection, recorded when its user still exists."""
    user = await auth.revoke_login(session, login_id=login_id, user_id=user_id, now=now)
    if user is not None:
        audit.record(
            session, Actor(user=user), "auth.login_revoked", "auth_session", login_id, about=user_id
        )


async def update_profile(
    session: AsyncSession,
    actor: Actor,
    *,
    full_name: str | None,
    preferred_language: PreferredLanguage | None,
) -> User:
    """The fields given changed; recorded (by name only) when anything did."""
    changed = await auth.update_profile(
        session, actor.user, full_name=full_name, preferred_language=preferred_language
    )
    if changed:
        audit.record(
            session, actor, "user.updated", "user", actor.user.id, data={"fields": changed}
        )
    return actor.user


async def end_login(
    session: AsyncSession, actor: Actor, *, login_id: uuid.UUID, now: datetime
) -> None:
    """One of the caller's logins ended at once (404 when they have no such live login)."""
    if not await sessions.end_login(session, user_id=actor.user.id, login_id=login_id, now=now):
        raise LoginNotFound
    action = "auth.logout" if login_id == actor.login_id else "auth.login_ended"
    audit.record(session, actor, action, "auth_session", login_id, about=actor.user.id)


async def look_up_users(session: AsyncSession, actor: Actor, *, email: str) -> list[User]:
    """A platform administrator finds an account by its address; the look-up is recorded and
    shows in the activity of the person found."""
    found = await auth.users_by_email(session, email)
    for user in found:
        audit.record(session, actor, "user.looked_up", "user", user.id, about=user.id)
    return found


async def change_password(
    session: AsyncSession,
    passwords: Passwords,
    sleeper: Sleeper,
    actor: Actor,
    *,
    current_password: str,
    new_password: str,
    client_address: str,
    now: datetime,
) -> None:
    """The person's new password, once the current one is proved (403 `wrong_password`,
    throttled as logins are); every other login ends at once."""
    user = actor.user
    await recovery.check_password(
        session,
        passwords,
        sleeper,
        user,
        password=current_password,
        client_address=client_address,
        now=now,
    )
    ended = await recovery.set_password(
        session, passwords, user, new_password=new_password, now=now, keep_login=actor.login_id
    )
    audit.record(
        session, actor, "user.password_changed", "user", user.id, data={"logins_ended": ended}
    )
    await notify(
        session, account_event(EventType.account_password_changed, user_id=user.id, at=now)
    )


async def request_password_reset(
    session: AsyncSession, settings: Settings, *, email: str, client_address: str, now: datetime
) -> None:
    """A reset code mailed to a known address (after the commit, in the person's language);
    for an unknown one the same work is done and nothing is sent; past the limits nothing at
    all. The caller answers the same in every case."""
    requested = await recovery.request_reset(
        session, settings, email=email, client_address=client_address, now=now
    )
    if requested is None:
        return
    user = requested.user
    # Whoever asked is not known (anyone may ask for any address): no actor, about the owner.
    audit.record(
        session,
        None,
        "user.password_reset_requested",
        "password_reset",
        requested.reset_id,
        about=user.id if user else None,
    )
    if user is not None:
        mail = compose(
            "account.password_reset",
            language_of(user),
            to=user.email,
            full_name=user.full_name,
            token=requested.token,
            minutes=int(recovery.RESET_LIFETIME.total_seconds() // 60),
        )
        send_after_commit(session, settings, mail)


async def confirm_password_reset(
    session: AsyncSession, passwords: Passwords, *, token: str, new_password: str, now: datetime
) -> User:
    """A forgotten password replaced with a mailed code: every login ends, failed-login counts
    for the address are cleared."""
    replaced = await recovery.confirm_reset(
        session, passwords, token=token, new_password=new_password, now=now
    )
    user = replaced.user
    audit.record(
        session,
        Actor(user=user),
        "user.password_reset",
        "user",
        user.id,
        data={"logins_ended": replaced.logins_ended},
    )
    await notify(
        session, account_event(EventType.account_password_changed, user_id=user.id, at=now)
    )
    return user


async def request_email_change(
    session: AsyncSession,
    settings: Settings,
    passwords: Passwords,
    sleeper: Sleeper,
    actor: Actor,
    *,
    new_email: str,
    current_password: str,
    client_address: str,
    now: datetime,
) -> None:
    """A confirmation code mailed to the new address, once the current password is proved."""
    user = actor.user
    await recovery.check_password(
        session,
        passwords,
        sleeper,
        user,
        password=current_password,
        client_address=client_address,
        now=now,
    )
    change, token = await recovery.request_email_change(session, user, new_email=new_email, now=now)
    audit.record(session, actor, "user.email_change_requested", "email_change", change.id)
    mail = compose(
        "account.email_change_confirm",
        language_of(user),
        to=change.new_email,
        full_name=user.full_name,
        token=token,
        hours=int(recovery.EMAIL_TOKEN_LIFETIME.total_seconds() // 3600),
    )
    send_after_commit(session, settings, mail)


async def confirm_email_change(
    session: AsyncSession, settings: Settings, *, token: str, now: datetime
) -> User:
    """The new address in force (the code proves the mailbox; no login needed); the old
    address is told."""
    replaced = await recovery.confirm_email_change(session, token=token, now=now)
    user = replaced.user
    audit.record(
        session,
        Actor(user=user),
        "user.email_changed",
        "user",
        user.id,
        data={"email_change_id": replaced.change_id},
    )
    await notify(session, account_event(EventType.account_email_changed, user_id=user.id, at=now))
    mail = compose(
        "account.email_changed",
        language_of(user),
        to=replaced.old_email,
        full_name=user.full_name,
        new_email=user.email,
        when=now.astimezone(WALES).strftime("%Y-%m-%d %H:%M"),
    )
    send_after_commit(session, settings, mail)
    return user
