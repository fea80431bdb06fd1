"""Signing up, in and out, a forgotten password, and the language switch.

Signing in opens a login exactly as `POST /api/v1/auth/token` does (counted by the same
throttle, recorded and told of by the same workflow), only its proof is a cookie instead of
tokens. Sign-up and sign-in do not use the request's own session: their counts commit in
transactions of their own first, as in the API.
"""

from datetime import datetime

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from app.auth import service as auth
from app.auth import sessions, throttle
from app.auth.errors import InvalidCredentials
from app.auth.models import AuthSession, User
from app.auth.passwords import Passwords
from app.auth.schemas import PasswordResetConfirm, PasswordResetRequest, UserCreate
from app.core.config import Settings
from app.core.db import SETTINGS_KEY, unit_of_work
from app.core.deps import NowDep, SessionmakerDep, SettingsDep, SleeperDep
from app.core.errors import AppError
from app.core.routing import Router
from app.core.schemas import EMAIL_MAX_LENGTH, normalise_email
from app.web import cookies
from app.web.forms import read_form, refuse, validated
from app.web.pages import EMPTY_FORM, AnyPage, FormState, Page, choose_language, local_path
from app.web.route import PageRoute
from app.workflows import accounts

router = Router(route_class=PageRoute, include_in_schema=False)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def signed_in_response(
    settings: Settings, *, user: User, login: AuthSession, to: str, now: datetime
) -> Response:
    """Into the browser: the login's cookie (for as long as the login can live), and a new
    CSRF secret, so no form made before signing in works after it."""
    response = RedirectResponse(to, status_code=303)
    cookies.set_session(
        response,
        settings,
        user_id=user.id,
        login_id=login.id,
        max_age=max(1, int((sessions.hard_end(login) - now).total_seconds())),
    )
    cookies.set_csrf_secret(response, settings, cookies.new_csrf_secret())
    return response


@router.get("/language/{language}")
async def switch_language(
    language: str, settings: SettingsDep, next: str | None = None
) -> Response:
    """The switch on every page: this browser's pages in that language from now on."""
    response = RedirectResponse(local_path(next), status_code=303)
    cookies.set_language(response, settings, "cy" if language == "cy" else "en")
    return response


# Signing up ---------------------------------------------------------------------------


async def show_sign_up(page: Page, form: FormState) -> Response:
    return page.render("account/sign_up.html", form=form)


@router.get("/sign-up")
async def sign_up_form(page: AnyPage) -> Response:
    if page.actor is not None:
        return page.redirect("/")
    return await show_sign_up(page, EMPTY_FORM)


@router.post("/sign-up")
async def sign_up(
    request: Request, sessionmaker: SessionmakerDep, settings: SettingsDep, now: NowDep
) -> Response:
    """A new account (the API's rules: `UserCreate`), then signed in at once."""
    values = await read_form(request)
    wanted: dict[str, object] = {
        k: values[k] for k in ("email", "password", "full_name") if k in values
    }
    wanted["preferred_language"] = "cy" if values.get("preferred_language") == "cy" else "en"
    try:
        body = validated(UserCreate, wanted)
        async with unit_of_work(sessionmaker) as counting:
            await throttle.note_registration_attempt(
                counting,
                client_address=client_address(request),
                now=now,
                limit=settings.registrations_per_address_per_hour,
            )
        passwords: Passwords = request.app.state.passwords
        async with unit_of_work(sessionmaker) as session:
            session.info[SETTINGS_KEY] = settings
            user = await accounts.register(
                session,
                passwords,
                email=body.email,
                password=body.password,
                full_name=body.full_name,
                preferred_language=body.preferred_language,
                now=now,
            )
            login = await accounts.open_login(
                session, user=user, now=now, user_agent=request.headers.get("user-agent")
            )
    except AppError as error:
        raise refuse(
            choose_language(request, None),
            error,
            values,
            show_sign_up,
            fields={"email_taken": "email"},
        ) from error
    return signed_in_response(settings, user=user, login=login, to="/?done=welcome", now=now)


# Signing in and out -------------------------------------------------------------------


async def show_sign_in(page: Page, form: FormState) -> Response:
    back = local_path(form.value("next") or page.request.query_params.get("next"))
    return page.render(
        "account/sign_in.html", form=form, next=back, done=page.request.query_params.get("done")
    )


@router.get("/sign-in")
async def sign_in_form(page: AnyPage) -> Response:
    if page.actor is not None:
        return page.redirect(local_path(page.request.query_params.get("next")))
    return await show_sign_in(page, EMPTY_FORM)


@router.post("/sign-in")
async def sign_in(
    request: Request,
    sessionmaker: SessionmakerDep,
    settings: SettingsDep,
    now: NowDep,
    sleeper: SleeperDep,
) -> Response:
    """The password checked under the login limits of `POST /api/v1/auth/token` (the attempt
    counted and committed first, the same delays, the same 429), then a login opened."""
    values = await read_form(request)
    language = choose_language(request, None)
    email = normalise_email(values.get("email", ""))
    password = values.get("password", "")
    try:
        if not email or not password or len(email) > EMAIL_MAX_LENGTH:
            raise InvalidCredentials
        address = client_address(request)
        async with unit_of_work(sessionmaker) as counting:
            delay = await throttle.claim_login_attempt(
                counting, name=email, client_address=address, now=now
            )
        await sleeper(delay)
        passwords: Passwords = request.app.state.passwords
        async with unit_of_work(sessionmaker) as session:
            session.info[SETTINGS_KEY] = settings
            user = await auth.authenticate(session, passwords, email=email, password=password)
            if user is None:
                raise InvalidCredentials
            login = await accounts.open_login(
                session, user=user, now=now, user_agent=request.headers.get("user-agent")
            )
            await throttle.clear_failures(session, name=email, client_address=address)
    except AppError as error:
        raise refuse(
            language, error, values, show_sign_in, fields={"invalid_credentials": "email"}
        ) from error
    return signed_in_response(
        settings, user=user, login=login, to=local_path(values.get("next")), now=now
    )


@router.post("/sign-out")
async def sign_out(page: AnyPage) -> Response:
    """This browser's login ends, as `POST /api/v1/auth/logout` ends a token's."""
    if page.actor is not None and page.login_id is not None:
        await accounts.end_login(page.session, page.me, login_id=page.login_id, now=page.now)
    response = page.redirect("/sign-in?done=signed_out")
    cookies.clear_session(response, page.settings)
    cookies.set_csrf_secret(response, page.settings, cookies.new_csrf_secret())
    return response


# A forgotten password -----------------------------------------------------------------


async def show_reset_request(page: Page, form: FormState) -> Response:
    return page.render("account/reset_request.html", form=form)


@router.get("/password-reset")
async def reset_request_form(page: AnyPage) -> Response:
    return await show_reset_request(page, EMPTY_FORM)


@router.post("/password-reset")
async def request_reset(request: Request, page: AnyPage) -> Response:
    """The same answer whether or not the address has an account (as the API's 202)."""
    values = await read_form(request)
    try:
        body = validated(PasswordResetRequest, {k: v for k, v in values.items() if k == "email"})
        await accounts.request_password_reset(
            page.session,
            page.settings,
            email=body.email,
            client_address=client_address(request),
            now=page.now,
        )
    except AppError as error:
        raise refuse(page.language, error, values, show_reset_request) from error
    return page.redirect("/password-reset/confirm?done=sent")


async def show_reset_confirm(page: Page, form: FormState) -> Response:
    return page.render(
        "account/reset_confirm.html", form=form, done=page.request.query_params.get("done")
    )


@router.get("/password-reset/confirm")
async def reset_confirm_form(page: AnyPage) -> Response:
    return await show_reset_confirm(page, EMPTY_FORM)


@router.post("/password-reset/confirm")
async def confirm_reset(request: Request, page: AnyPage) -> Response:
    """The code from the e-mail and a new password: every login of the account ends."""
    values = await read_form(request)
    try:
        body = validated(
            PasswordResetConfirm,
            {k: values[k] for k in ("token", "new_password") if k in values},
        )
        passwords: Passwords = request.app.state.passwords
        await accounts.confirm_password_reset(
            page.session, passwords, token=body.token, new_password=body.new_password, now=page.now
        )
    except AppError as error:
        raise refuse(
            page.language,
            error,
            values,
            show_reset_confirm,
            fields={"invalid_reset_token": "token"},
        ) from error
    response = page.redirect("/sign-in?done=password_reset")
    cookies.clear_session(response, page.settings)
    return response
