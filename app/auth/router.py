"""Registration, login (password and refresh grants) and token rotation."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from app.auth import service, throttle
from app.auth.errors import EmailTaken, InvalidCredentials, InvalidToken, TooManyAttempts
from app.auth.models import User
from app.auth.passwords import Passwords
from app.auth.schemas import RefreshRequest, TokenRead, UserCreate, UserRead
from app.core.db import unit_of_work
from app.core.deps import NowDep, SessionDep, SessionmakerDep, SettingsDep, SleeperDep
from app.core.errors import NO_NUL, ValidationFailed, problems
from app.core.schemas import EMAIL_MAX_LENGTH, normalise_email
from app.workflows import accounts

router = APIRouter(prefix="/auth", tags=["auth"])
basic_scheme = HTTPBasic(auto_error=False, description="API client credentials.")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/register",
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
    "/token",
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
                    [{"loc": ["header", "Authorization"], "msg": "text may not contain NUL"}]
                )
        if not client_id or not client_secret:
            raise ValidationFailed(
                [{"loc": ["body", "client_id"], "msg": "client_id and client_secret are required"}]
            )
        login_name, secret = f"client:{client_id}", client_secret
    else:
        if not username or not password:
            raise ValidationFailed(
                [{"loc": ["body", "username"], "msg": "username and password are required"}]
            )
        login_name, secret = normalise_email(username), password
        if len(login_name) > EMAIL_MAX_LENGTH:
            raise ValidationFailed(
                [
                    {
                        "loc": ["body", "username"],
                        "msg": f"longer than {EMAIL_MAX_LENGTH} characters once normalised",
                    }
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
                pair = await accounts.start_login(session, settings, user=user, now=now)
        if pair is not None:
            await throttle.clear_failures(session, name=login_name, client_address=address)
            return pair
    raise InvalidCredentials


@router.post("/refresh", response_model=TokenRead, responses=problems(InvalidToken))
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
