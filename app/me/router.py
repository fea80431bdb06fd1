"""The caller's own account: profile and roles, password, address and logins, and the activity
recorded about them."""

import uuid
from typing import Any

from fastapi import Request, Response

from app.audit import service as audit
from app.auth import sessions
from app.auth.dependencies import CurrentActor, speak_as_preferred
from app.auth.errors import (
    EmailTaken,
    InvalidEmailToken,
    LoginNotFound,
    TooManyAttempts,
    WrongPassword,
)
from app.auth.passwords import Passwords
from app.coops.errors import LastAdmin, LastSafeguardingLead, MemberHasCommitments
from app.core.deps import NowDep, SessionDep, SettingsDep, SleeperDep
from app.core.errors import problems
from app.core.handlers import render, request_language
from app.core.pagination import CursorPage, PageDep
from app.core.routing import Router
from app.me import privacy, service
from app.me.schemas import (
    ActivityItemRead,
    EmailChangeConfirm,
    EmailChangeRequest,
    LoginRead,
    MeRead,
    MeUpdate,
    PasswordChange,
)
from app.workflows import accounts, membership

router = Router(prefix="/me", tags=["me"])


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("", response_model=MeRead, responses=problems())
async def read_me(session: SessionDep, actor: CurrentActor) -> MeRead:
    """Who you are: memberships (with the co-op's name and your member account's balance),
    provider staff roles, council areas and representation."""
    return await service.describe(session, actor.user)


@router.patch("", response_model=MeRead, responses=problems())
async def update_me(
    body: MeUpdate, request: Request, session: SessionDep, actor: CurrentActor
) -> MeRead:
    """Change your name or preferred language (only the fields sent). The language is used
    for every answer to your token unless `Accept-Language` puts Welsh first (this answer
    included), and for e-mail."""
    user = await accounts.update_profile(
        session,
        actor,
        full_name=body.full_name,
        preferred_language=body.preferred_language,
    )
    speak_as_preferred(request, user.preferred_language)
    return await service.describe(session, user)


@router.post(
    "/password",
    status_code=204,
    responses=problems(WrongPassword, TooManyAttempts),
)
async def change_my_password(
    body: PasswordChange,
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    now: NowDep,
    sleeper: SleeperDep,
) -> Response:
    """Change your password. Every other login of yours ends at once (their access and refresh
    tokens answer 401); this one goes on. A wrong current password answers 403
    `wrong_password` and counts as a failed login (the limits of `POST /api/v1/auth/token`
    apply: 429 `too_many_attempts`)."""
    passwords: Passwords = request.app.state.passwords
    try:
        await accounts.change_password(
            session,
            passwords,
            sleeper,
            actor,
            current_password=body.current_password,
            new_password=body.new_password,
            client_address=_client_address(request),
            now=now,
        )
    except WrongPassword as refused:
        # Answered, not raised: the failed attempt is kept (committed) for the throttle.
        return render(request, refused)
    return Response(status_code=204)


@router.post(
    "/email",
    status_code=202,
    response_class=Response,
    responses={
        202: {"description": "Asked: the code is on its way to the new address (no body)."},
        **problems(WrongPassword, TooManyAttempts),
    },
)
async def change_my_email(
    body: EmailChangeRequest,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: CurrentActor,
    now: NowDep,
    sleeper: SleeperDep,
) -> Response:
    """Ask to change your e-mail address: a confirmation code is sent to the new address (in
    your language), valid 24 hours; asking again makes earlier codes stop working. Your
    address changes only when the code is confirmed (`POST /api/v1/me/email/confirm`). Whether
    the new address is in use is checked then, not here, so asking reveals nothing about it.
    The current password is checked as in `POST /api/v1/me/password`."""
    passwords: Passwords = request.app.state.passwords
    try:
        await accounts.request_email_change(
            session,
            settings,
            passwords,
            sleeper,
            actor,
            new_email=body.new_email,
            current_password=body.current_password,
            client_address=_client_address(request),
            now=now,
        )
    except WrongPassword as refused:
        return render(request, refused)  # the failed attempt is kept, as above
    return Response(status_code=202)


@router.post(
    "/email/confirm",
    response_model=MeRead,
    responses=problems(InvalidEmailToken, EmailTaken),
)
async def confirm_my_email(
    body: EmailChangeConfirm, session: SessionDep, settings: SettingsDep, now: NowDep
) -> MeRead:
    """Confirm a new e-mail address with the code sent to it; no login is needed (the code
    proves the mailbox). Answers the account as `GET /api/v1/me` does; the old address is told
    of the change. A code that is unknown, used, expired or replaced answers 400
    `invalid_email_token`; an address someone else has by now answers 409 `email_taken` (the
    code keeps working if it becomes free)."""
    user = await accounts.confirm_email_change(session, settings, token=body.token, now=now)
    return await service.describe(session, user)


@router.get("/sessions", response_model=CursorPage[LoginRead], responses=problems())
async def list_my_sessions(
    session: SessionDep, actor: CurrentActor, page: PageDep, now: NowDep
) -> CursorPage[LoginRead]:
    """Your logins that have not ended, newest first; `current` marks this one. A login ends
    when you end it, 30 days after its last use (sign-in or token refresh) or 90 days after it
    began, whichever comes first."""
    logins, next_cursor = await sessions.list_logins(session, actor.user.id, page, now=now)
    return CursorPage[LoginRead](
        items=[
            LoginRead(
                id=login.id,
                created_at=login.created_at,
                last_used_at=login.last_used_at,
                user_agent=login.user_agent,
                current=login.id == actor.login_id,
            )
            for login in logins
        ],
        next_cursor=next_cursor,
    )


@router.delete("/sessions/{session_id}", status_code=204, responses=problems(LoginNotFound))
async def end_my_session(
    session_id: uuid.UUID, session: SessionDep, actor: CurrentActor, now: NowDep
) -> Response:
    """End one of your logins at once: its access and refresh tokens answer 401 from now on.
    Someone else's login, or one that has ended, answers 404."""
    await accounts.end_login(session, actor, login_id=session_id, now=now)
    return Response(status_code=204)


@router.get("/activity", response_model=CursorPage[ActivityItemRead], responses=problems())
async def list_my_activity(
    request: Request, session: SessionDep, actor: CurrentActor, page: PageDep
) -> CursorPage[ActivityItemRead]:
    """Every audit entry about you, newest first, including acts done on your behalf, each
    with a `description` in your language beside its codes."""
    items, next_cursor = await audit.activity_of(session, actor.user.id, page)
    language = request_language(request)
    return CursorPage[ActivityItemRead](
        items=[service.activity_item(e, language) for e in items], next_cursor=next_cursor
    )


@router.get("/export", responses=problems())
async def export_my_data(session: SessionDep, actor: CurrentActor) -> dict[str, Any]:
    """Everything this service holds about you (a UK GDPR subject access request), by section:
    account, memberships, Direct Payment awards, mandates, approvals, your ledger postings,
    refunds, subscriptions, support requests and comments, the care you asked for, bought and
    were invoiced for (demand, call-offs, invoice lines), your votes, the bids and invoices
    you wrote for a provider, roles, the council access you granted, your logins (when, and
    from which client), the changes of e-mail address you asked for, and your activity log."""
    return await privacy.export(session, actor.user)


@router.delete(
    "",
    status_code=204,
    responses=problems(MemberHasCommitments, LastAdmin, LastSafeguardingLead),
)
async def close_my_account(session: SessionDep, actor: CurrentActor, now: NowDep) -> Response:
    """Close your account. Your memberships end as on leaving (unspent balances are refunded),
    mandates and logins are revoked, and your name and e-mail are replaced by a pseudonym.
    Money records stay (kept six years for audit). A membership with open commitments, or a
    co-op whose last administrator you are, stops the closure (409) and nothing changes."""
    await membership.close_account(session, actor, now=now)
    return Response(status_code=204)
