"""The browser's cookies: the signed-in login, the CSRF secret and the chosen language.

The session cookie holds the ids of the person and of their login (an `auth_session` row,
the same kind of login an access token comes from), signed so it cannot be forged; whether
the login is still live is asked of the database on every page, so ending it anywhere (the
API's `DELETE /me/sessions/{id}`, a password change) signs the browser out on its next page.

The CSRF token is a signed double submit bound to the login: the cookie holds a random
secret, each form carries an HMAC of that secret and the login's id, and a POST whose form
does not carry the HMAC of its own cookie's secret is refused. A page from another site can
neither read the cookie nor, with SameSite=Lax, send it with a POST.
"""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request, Response
from itsdangerous import BadSignature, Signer, URLSafeSerializer

from app.core.config import Settings
from app.core.i18n import SUPPORTED, Language

SESSION_COOKIE = "dpc_session"
CSRF_COOKIE = "dpc_csrf"
LANGUAGE_COOKIE = "dpc_lang"
CSRF_FIELD = "csrf_token"
LANGUAGE_KEPT = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class SessionCookie:
    user_id: uuid.UUID
    login_id: uuid.UUID


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(
        settings.signing_key,
        salt="dpc-web-session",
        signer_kwargs={"digest_method": hashlib.sha256},
    )


def _csrf_signer(settings: Settings) -> Signer:
    return Signer(settings.signing_key, salt="dpc-web-csrf", digest_method=hashlib.sha256)


def read_session(request: Request, settings: Settings) -> SessionCookie | None:
    """The ids the session cookie names, or None for no cookie or a forged one."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        user_id, login_id = _serializer(settings).loads(raw)
        return SessionCookie(user_id=uuid.UUID(user_id), login_id=uuid.UUID(login_id))
    except (BadSignature, ValueError, TypeError):
        return None


def secure(settings: Settings) -> bool:
    """Cookies travel over HTTPS only, except on a developer's own machine over plain HTTP."""
    return settings.env != "development"


def set_session(
    response: Response, settings: Settings, *, user_id: uuid.UUID, login_id: uuid.UUID, max_age: int
) -> None:
    value = _serializer(settings).dumps([str(user_id), str(login_id)])
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=secure(settings),
        samesite="lax",
    )


def clear_session(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, secure=secure(settings), samesite="lax"
    )


def new_csrf_secret() -> str:
    return secrets.token_urlsafe(32)


def set_csrf_secret(response: Response, settings: Settings, secret: str) -> None:
    # A browser-session cookie: a form left open across a restart is simply shown again.
    response.set_cookie(
        CSRF_COOKIE, secret, path="/", httponly=True, secure=secure(settings), samesite="lax"
    )


def csrf_token(settings: Settings, secret: str, login_id: uuid.UUID | None) -> str:
    """What each form carries: the HMAC of the cookie's secret and the login it was made for."""
    material = f"{secret}|{login_id or ''}".encode()
    return _csrf_signer(settings).get_signature(material).decode()


def csrf_holds(request: Request, settings: Settings, submitted: object) -> bool:
    """Whether a POST's form token is the one its own cookies call for."""
    secret = request.cookies.get(CSRF_COOKIE)
    if not secret or not isinstance(submitted, str) or not submitted:
        return False
    signed_in = read_session(request, settings)
    expected = csrf_token(settings, secret, signed_in.login_id if signed_in else None)
    return hmac.compare_digest(expected.encode(), submitted.encode())


def chosen_language(request: Request) -> Language | None:
    """The language the page's own switch chose in this browser, if it did."""
    value = request.cookies.get(LANGUAGE_COOKIE)
    return "cy" if value == "cy" else "en" if value in SUPPORTED else None


def set_language(response: Response, settings: Settings, language: Language) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=int(LANGUAGE_KEPT.total_seconds()),
        path="/",
        httponly=True,
        secure=secure(settings),
        samesite="lax",
    )
