"""Registration, login (password and refresh grants), token rotation, logging out, forgotten
passwords, and finding an account by its address (platform admins)."""

from enum import Enum
from typing import Annotated, Literal

from fastapi import Depends, Form, Query, Request, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from app.auth import service, throttle
from app.auth.actor import Actor
from app.auth.dependencies import AnyActor, PlatformAdmin
from app.auth.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidResetToken,
    InvalidToken,
    PlatformAdminRequired,
    TooManyAttempts,
)
from app.auth.models import User
from app.auth.passwords import Passwords
from app.auth.schemas import (
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    TokenRead,
    UserCreate,
    UserRead,
    UserSummary,
)
from app.core.db import unit_of_work
from app.core.deps import NowDep, SessionDep, SessionmakerDep, SettingsDep, SleeperDep
from app.core.errors import NO_NUL, ValidationFailed, must_exist, problems
from app.core.field_errors import field_error
from app.core.pagination import CursorPage
from app.core.routing import Router
from app.core.schemas import EMAIL_MAX_LENGTH, normalise_email
from app.workflows import accounts

router = Router()
AUTH: list[str | Enum] = ["auth"]
basic_scheme = HTTPBasic(auto_error=False, description="API client credentials.")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/auth/register",
    tags=AUTH,
    status_code=201,
    response_model=UserRead,
    responses=problems(EmailTaken, TooManyAttempts),
)
async def register(
    body: UserCreate,
    request: Request,
    session: SessionDep,
    sessionmaker: SessionmakerDep,
    settings: SettingsDep,
    now: NowDep,
) -> User:
    """Create an account. Passwords have at least 12 characters and are stored as Argon2id
    hashes. The e-mail is stored after Unicode NFKC normalisation and case folding (two
    addresses differing only in case or in how an accent is written are one address). One
    client address may ask for at most `DPC_REGISTRATIONS_PER_ADDRESS_PER_HOUR` (default 20)
    accounts an hour, however many at once (429 `too_many_attempts` with Retry-After)."""
    # Counted in a transaction of its own: a refused registration still counts.
    async with unit_of_work(sessionmaker) as counting:
        await throttle.note_registration_attempt(
            counting,
            client_address=client_address(request),
            now=now,
            limit=settings.registrations_per_address_per_hour,
        )
    passwords: Passwords = request.app.state.passwords
    return await accounts.register(
        session,
        passwords,
        email=body.email,
        password=body.password,
        full_name=body.full_name,
        preferred_language=body.preferred_language,
        now=now,
    )


@router.post(
    "/auth/token",
    tags=AUTH,
    response_model=TokenRead,
    response_model_exclude_none=True,
    responses=problems(InvalidCredentials, TooManyAttempts),
)
async def issue_token(
    request: Request,
    sessionmaker: SessionmakerDep,
    settings: SettingsDep,
    now: NowDep,
    sleeper: SleeperDep,
    basic: Annotated[HTTPBasicCredentials | None, Depends(basic_scheme)],
    grant_type: Annotated[Literal["password", "client_credentials"], Form()] = "password",
    username: Annotated[str | None, Form(min_length=1, max_length=254, pattern=NO_NUL)] = None,
    password: Annotated[str | None, Form(min_length=1, max_length=1024, pattern=NO_NUL)] = None,
    client_id: Annotated[str | None, Form(min_length=1, max_length=64, pattern=NO_NUL)] = None,
    client_secret: Annotated[str | None, Form(min_length=1, max_length=256, pattern=NO_NUL)] = None,
) -> service.TokenPair:
    """Log in (OAuth2 password grant: `username` is the e-mail address) or, for a council's
    system, obtain a token with `grant_type=client_credentials` (credentials in the form body
    or HTTP Basic): it reads its area's figures and open data, and lists, confirms and
    rejects the Direct Payment awards its council pays. The password grant also gives a
    refresh token.

    Unknown e-mail and wrong password get the same answer in about the same time. E-mail
    addresses are compared after Unicode NFKC normalisation and case folding. After 5 failed
    logins for one e-mail (or client id) from one client address within 15 minutes, or 50 from
    one client address, further attempts from that address answer 429 `too_many_attempts`
    (with Retry-After) until 15 minutes after the last failure; a success clears that count.
    Failures for one e-mail from many addresses slow every further attempt on it (by up to 5
    seconds) but never refuse an address that has not failed. Limits hold however many
    requests arrive at once: an attempt is counted before its password is checked.
    """
    if grant_type == "client_credentials":
        if basic is not None:
            client_id, client_secret = basic.username, basic.password
            if "\x00" in client_id or "\x00" in client_secret:
                raise ValidationFailed(
                    [
                        field_error(
                            ["header", "Authorization"],
                            "text may not contain NUL",
                            msg_cy="ni all testun gynnwys NUL",
                        )
                    ]
                )
        if not client_id or not client_secret:
            raise ValidationFailed(
                [
                    field_error(
                        ["body", "client_id"],
                        "client_id and client_secret are required",
                        msg_cy="mae angen client_id a client_secret",
                        type="missing",
                    )
                ]
            )
        login_name, secret = f"client:{client_id}", client_secret
    else:
        if not username or not password:
            raise ValidationFailed(
                [
                    field_error(
                        ["body", "username"],
                        "username and password are required",
                        msg_cy="mae angen username a password",
                        type="missing",
                    )
                ]
            )
        login_name, secret = normalise_email(username), password
        if len(login_name) > EMAIL_MAX_LENGTH:
            raise ValidationFailed(
                [
                    field_error(
                        ["body", "username"],
                        f"longer than {EMAIL_MAX_LENGTH} characters once normalised",
                        msg_cy=f"yn hwy na {EMAIL_MAX_LENGTH} nod ar ôl ei normaleiddio",
                        type="string_too_long",
                        ctx={"max_length": EMAIL_MAX_LENGTH},
                    )
                ]
            )
    address = client_address(request)
    passwords: Passwords = request.app.state.passwords
    # Counted before the credentials are checked, and committed: however many arrive at
    # once, no more than the limit are ever checked.
    async with unit_of_work(sessionmaker) as counting:
        delay = await throttle.claim_login_attempt(
            counting, name=login_name, client_address=address, now=now
        )
    await sleeper(delay)  # failures for this name from other addresses slow it down
    async with unit_of_work(sessionmaker) as session:
        pair: service.TokenPair | None = None
        if grant_type == "client_credentials":
            pair = await service.client_login(
                session,
                settings,
                client_id=login_name.removeprefix("client:"),
                client_secret=secret,
                now=now,
            )
        else:
            user = await service.authenticate(session, passwords, email=login_name, password=secret)
            if user is not None:
                pair = await accounts.start_login(
                    session,
                    settings,
                    user=user,
                    now=now,
                    user_agent=request.headers.get("user-agent"),
                )
        if pair is not None:
            await throttle.clear_failures(session, name=login_name, client_address=address)
            return pair
    raise InvalidCredentials


@router.post("/auth/refresh", tags=AUTH, response_model=TokenRead, responses=problems(InvalidToken))
async def refresh_token(
    body: RefreshRequest, sessionmaker: SessionmakerDep, settings: SettingsDep, now: NowDep
) -> service.TokenPair:
    """Exchange a refresh token for a new pair. Each refresh token works once: presenting a
    spent one revokes every token issued from that login (theft detection)."""
    try:
        async with unit_of_work(sessionmaker) as session:
            return await service.refresh(
                session, settings, refresh_token=body.refresh_token, now=now
            )
    except service.SpentRefreshToken as spent:
        async with unit_of_work(sessionmaker) as session:
            await accounts.revoke_login(
                session, login_id=spent.login_id, user_id=spent.user_id, now=now
            )
        raise InvalidToken from None


@router.post("/auth/logout", tags=AUTH, status_code=204, responses=problems())
async def log_out(session: SessionDep, actor: AnyActor, now: NowDep) -> Response:
    """End the login this access token came from, at once: its access and refresh tokens
    answer 401 from now on. Other logins of yours go on (see `GET /api/v1/me/sessions`)."""
    # The caller's own login, even when they act for a holder (the holder is not involved).
    login_id = must_exist(actor.login_id, "the login of an access token")
    myself = Actor(user=actor.user, login_id=login_id)
    await accounts.end_login(session, myself, login_id=login_id, now=now)
    return Response(status_code=204)


@router.post(
    "/auth/password-reset",
    tags=AUTH,
    status_code=202,
    response_class=Response,
    responses={202: {"description": "Asked: no body, whatever the address."}, **problems()},
)
async def request_password_reset(
    body: PasswordResetRequest,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Ask for a code to reset a forgotten password. The answer is the same (202, no body) and
    takes about as long whether or not the address has an account; only an account's address
    is sent the code, in its owner's language. The code works once, for 30 minutes; asking
    again makes earlier codes stop working. Beyond 5 requests an hour for one address, or 20
    an hour from one client address, nothing is sent (and the answer is still 202)."""
    await accounts.request_password_reset(
        session, settings, email=body.email, client_address=client_address(request), now=now
    )
    return Response(status_code=202)


@router.post(
    "/auth/password-reset/confirm",
    tags=AUTH,
    status_code=204,
    responses=problems(InvalidResetToken),
)
async def confirm_password_reset(
    body: PasswordResetConfirm, request: Request, session: SessionDep, now: NowDep
) -> Response:
    """Set a new password with the code from the e-mail (no login needed). Every login of the
    account ends at once and its failed-login counts are cleared. A code that is unknown, used
    already, expired or replaced by a newer one answers 400 `invalid_reset_token`."""
    passwords: Passwords = request.app.state.passwords
    await accounts.confirm_password_reset(
        session, passwords, token=body.token, new_password=body.new_password, now=now
    )
    return Response(status_code=204)


@router.get(
    "/admin/users",
    tags=["admin"],
    response_model=CursorPage[UserSummary],
    responses=problems(PlatformAdminRequired),
)
async def find_users(
    session: SessionDep,
    actor: PlatformAdmin,
    email: Annotated[
        str,
        Query(
            min_length=1,
            max_length=EMAIL_MAX_LENGTH,
            description="The exact address, in any case (compared normalised).",
        ),
    ],
) -> CursorPage[UserSummary]:
    """Find the account with this address (platform admins), to appoint an officer or add
    provider staff. Exact match only, never a search; closed accounts are not found. Each
    look-up is recorded, and shows in the activity of the person found."""
    found = await accounts.look_up_users(session, actor, email=email)
    return CursorPage[UserSummary](items=[UserSummary.model_validate(u) for u in found])
