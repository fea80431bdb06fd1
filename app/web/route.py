"""How every page route answers what goes wrong: in a page, never in problem+json.

Each page route is a `PageRoute`. Before a POST reaches its handler the form's CSRF token is
checked (403 without the right one), so no form can be added without the check. What goes
wrong is raised, so that the request's transaction rolls back first (nothing a refused
request did is kept, its audit entries and mail included), and is then answered by the
handlers below (the app's own hand a page's problems here): a
refused form is shown again with its errors, read afresh; a page that needs a signed-in
person sends the browser to sign in; what the person may not see is the page that does not
exist (404), as in the API.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.db import SETTINGS_KEY, unit_of_work
from app.core.errors import AppError
from app.web import cookies
from app.web.forms import Refused
from app.web.pages import Page, SignInRequired, build_page, sign_in_address

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
Work = Callable[[Page], Coroutine[Any, Any, Response]]


class FormTokenRefused(Exception):
    """A POST without the CSRF token its cookies call for."""


async def _fresh_page(request: Request, work: Work) -> Response:
    """`work` on a page read in a transaction of its own (the request's has rolled back)."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    state = request.app.state
    async with unit_of_work(sessionmaker) as session:
        session.info[SETTINGS_KEY] = state.settings
        page = await build_page(request, session, state.settings, state.clock.now())
        return await work(page)


async def error_page(request: Request, status: int, error: AppError | None = None) -> Response:
    """The page for a refusal: its own words for a missing page or a refused form token,
    else the problem's title and detail in the page's language."""
    own_words = error is None or status == 404

    async def render(page: Page) -> Response:
        return page.render(
            "error.html",
            status=status,
            status_code=status,
            error_title=None if own_words or error is None else error.title_in(page.language),
            error_detail=None if own_words or error is None else error.detail_in(page.language),
        )

    page = getattr(request.state, "web_page", None)
    if isinstance(page, Page):
        # Its plain fields (language, name, token) are all the frame needs.
        return await render(page)
    return await _fresh_page(request, render)


async def _refused_form(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, Refused):  # pragma: no cover - registered for that type
        raise exc

    async def again(page: Page) -> Response:
        response = await exc.show(page, exc.state)
        response.status_code = exc.status
        return response

    return await _fresh_page(request, again)


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    del exc

    async def redirect(page: Page) -> Response:
        return page.redirect(sign_in_address(request))

    return await _fresh_page(request, redirect)


async def _refused_token(request: Request, exc: Exception) -> Response:
    del exc
    return await error_page(request, 403)


async def page_error(request: Request, exc: Exception) -> Response:
    """A page's refusal (the app's handlers hand page requests here: `app.state.page_errors`)."""
    if isinstance(exc, RequestValidationError):
        # An id that is not one (a mistyped address) names no page.
        return await error_page(request, 404)
    if isinstance(exc, AppError):
        return await error_page(request, exc.status, exc)
    raise exc


def install_handlers(app: FastAPI) -> None:
    """The pages' own refusals; the API's handlers pass page requests to `page_error`."""
    app.state.page_errors = page_error
    app.add_exception_handler(Refused, _refused_form)
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(FormTokenRefused, _refused_token)


class PageRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            request.state.page_route = True
            if request.method != "POST":
                return await original(request)
            try:
                form = await request.form()
                token = form.get(cookies.CSRF_FIELD)
                if not cookies.csrf_holds(request, request.app.state.settings, token):
                    raise FormTokenRefused
                return await original(request)
            finally:
                # A posted file is spooled to disk when large: closed once answered, whatever
                # the answer (a refused token included), so no temporary copy is left behind.
                await request.close()

        return handler
