"""A page being answered: who asks, in which language, and how the answer is rendered."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service as auth
from app.auth import sessions
from app.auth.actor import Actor
from app.auth.models import User
from app.core.config import Settings
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.core.errors import must_exist
from app.core.i18n import Language, prefers_welsh
from app.web import cookies
from app.web.rendering import (
    day_text,
    label_in,
    money,
    pounds_field,
    templates,
    texts_in,
    time_text,
)
from app.web.texts import text

# A page in use keeps its login alive (30 days from the last use, like a refresh), noted at
# most this often so that reading pages rarely writes.
NOTE_USE_EVERY = timedelta(minutes=5)


def choose_language(request: Request, preferred: str | None) -> Language:
    """SPEC 25 for pages: the page's own switch, then Welsh first in Accept-Language, then the
    signed-in person's preference, then English."""
    switched = cookies.chosen_language(request)
    if switched is not None:
        return switched
    if prefers_welsh(request.headers.get("accept-language")):
        return "cy"
    return "cy" if preferred == "cy" else "en"


@dataclass
class Page:
    request: Request
    session: AsyncSession
    settings: Settings
    now: datetime
    language: Language
    actor: Actor | None
    csrf_secret: str
    csrf_is_new: bool
    # A session cookie whose login has ended: cleared with this answer.
    signed_out: bool = False
    # Plain copies for the layout, readable after the transaction has rolled back.
    user_name: str | None = None

    @property
    def me(self) -> Actor:
        return must_exist(self.actor, "a signed-in page's actor")

    @property
    def user(self) -> User:
        return self.me.user

    @property
    def login_id(self) -> uuid.UUID | None:
        return self.actor.login_id if self.actor else None

    @property
    def csrf_token(self) -> str:
        return cookies.csrf_token(self.settings, self.csrf_secret, self.login_id)

    @property
    def path(self) -> str:
        query = self.request.url.query
        return self.request.url.path + (f"?{query}" if query else "")

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.language, **params)

    def render(self, template: str, *, status: int = 200, **context: Any) -> Response:
        response = templates.TemplateResponse(
            self.request,
            template,
            {
                "page": self,
                "lang": self.language,
                "other_lang": "en" if self.language == "cy" else "cy",
                "t": texts_in(self.language),
                "label": label_in(self.language),
                "money": money,
                "pounds_field": pounds_field,
                "day": lambda value: day_text(value, self.language),
                "moment": lambda value: time_text(value, self.language),
                **context,
            },
            status_code=status,
        )
        return self.finish(response)

    def redirect(self, url: str) -> Response:
        """303 See Other: after a form, the browser asks for the next page with GET."""
        return self.finish(RedirectResponse(url, status_code=303))

    def finish(self, response: Response) -> Response:
        if self.csrf_is_new:
            cookies.set_csrf_secret(response, self.settings, self.csrf_secret)
        if self.signed_out:
            cookies.clear_session(response, self.settings)
        return response


async def build_page(
    request: Request, session: AsyncSession, settings: Settings, now: datetime
) -> Page:
    """Who asks (the session cookie's login, while it is live), and in which language."""
    actor = None
    signed_out = False
    signed_in = cookies.read_session(request, settings)
    if signed_in is not None:
        found = await auth.load_login(
            session, user_id=signed_in.user_id, login_id=signed_in.login_id, now=now
        )
        if found is None:
            signed_out = True
        else:
            user, login = found
            actor = Actor(user=user, login_id=login.id)
            await sessions.note_use(session, login, now=now, every=NOTE_USE_EVERY)
    preferred = actor.user.preferred_language.value if actor else None
    language = choose_language(request, preferred)
    # What the middleware says in Content-Language, and what any problem is written in.
    request.state.language = language
    request.state.language_settled = True
    secret = request.cookies.get(cookies.CSRF_COOKIE)
    page = Page(
        request=request,
        session=session,
        settings=settings,
        now=now,
        language=language,
        actor=actor,
        csrf_secret=secret or cookies.new_csrf_secret(),
        csrf_is_new=not secret,
        signed_out=signed_out,
        user_name=actor.user.full_name if actor else None,
    )
    request.state.web_page = page
    return page


async def current_page(
    request: Request, session: SessionDep, settings: SettingsDep, now: NowDep
) -> Page:
    return await build_page(request, session, settings, now)


class SignInRequired(Exception):
    """The page is someone's own: the browser is sent to sign in, and brought back after."""


async def signed_in_page(page: Annotated[Page, Depends(current_page)]) -> Page:
    if page.actor is None:
        raise SignInRequired
    return page


AnyPage = Annotated[Page, Depends(current_page)]
SignedInPage = Annotated[Page, Depends(signed_in_page)]


def sign_in_address(request: Request) -> str:
    """The sign-in page, bringing the person back to the page they asked for (a form's
    page, for a form posted after the login ended)."""
    back = request.url.path if request.method == "GET" else "/"
    query = request.url.query
    if request.method == "GET" and query:
        back += f"?{query}"
    return f"/sign-in?next={quote(back, safe='/')}"


def local_path(candidate: str | None, default: str = "/") -> str:
    """Only a path on this site (never `//elsewhere` or a full address): no open redirect."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return default
    if "\\" in candidate or any(ch in candidate for ch in "\r\n\t"):
        return default
    return candidate


@dataclass(frozen=True)
class FormState:
    """What a refused form is shown again with: what was typed (never a password) and why
    it was refused, per field and in a summary."""

    values: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    summary: tuple[tuple[str | None, str], ...] = ()

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


EMPTY_FORM = FormState()
