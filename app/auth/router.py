"""Registration, login (password and refresh grants) and token rotation."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from app.auth import service
from app.auth.errors import EmailTaken, InvalidCredentials, InvalidToken, TooManyAttempts
from app.auth.models import User
from app.auth.passwords import Passwords
from app.auth.schemas import RefreshRequest, TokenRead, UserCreate, UserRead
from app.core.db import unit_of_work
from app.core.deps import NowDep, SessionDep, SessionmakerDep, SettingsDep
from app.core.errors import NO_NUL, ValidationFailed, problems

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
    hashes. One client address may ask for at most 20 accounts an hour (429 with Retry-After)."""
    # Counted in a transaction of its own: a refused registration still counts.
    async with unit_of_work(sessionmaker) as counting:
        await service.note_registration_attempt(
            counting,
            client_address=client_address(request),
            now=now,
            limit=settings.registrations_per_address_per_hour,
        )
    passwords: Passwords = request.app.state.passwords
    return await service.register(
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
    basic: Annotated[HTTPBasicCredentials | None, Depends(basic_scheme)],
    grant_type: Annotated[Literal["password", "client_credentials"], Form()] = "password",
    username: Annotated[str | None, Form(min_length=1, max_length=254, pattern=NO_NUL)] = None,
    password: Annotated[str | None, Form(min_length=1, max_length=1024, pattern=NO_NUL)] = None,
    client_id: Annotated[str | None, Form(min_length=1, max_length=64, pattern=NO_NUL)] = None,
    client_secret: Annotated[str | None, Form(min_length=1, max_length=256, pattern=NO_NUL)] = None,
) -> service.TokenPair:
    """Log in (OAuth2 password grant: `username` is the e-mail address) or, for a council's
    system, obtain a read-only token with `grant_type=client_credentials` (credentials in the
    form body or HTTP Basic). The password grant also gives a refresh token.

    Unknown e-mail and wrong password get the same answer in about the same time. After 5
    failures for one e-mail within 15 minutes, or 50 from one client address, attempts answer
    429 `too_many_attempts` (with Retry-After) until 15 minutes after the last failure.
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
        login_name, secret = service.normalise_email(username), password
    address = client_address(request)
    passwords: Passwords = request.app.state.passwords
    async with unit_of_work(sessionmaker) as session:
        await service.check_throttle(session, email=login_name, client_address=address, now=now)
        if grant_type == "client_credentials":
            pair = await service.client_login(
                session,
                settings,
                client_id=login_name.removeprefix("client:"),
                client_secret=secret,
                now=now,
            )
            if pair is not None:
                return pair
        else:
            user = await service.authenticate(session, passwords, email=login_name, password=secret)
            if user is not None:
                return await service.start_login(
                    session, settings, user=user, email=login_name, now=now
                )
    # The failure is kept even though the request fails: that is what throttling counts.
    async with unit_of_work(sessionmaker) as session:
        await service.record_failure(session, email=login_name, client_address=address, now=now)
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
            await service.revoke_login(
                session, login_id=spent.login_id, user_id=spent.user_id, now=now
            )
        raise InvalidToken from None
