"""How every page route answers what goes wrong: in a page, never in problem+json.

Each page route is a `PageRoute`. Before a POST reaches its handler the form's CSRF token is
checked (403 without the right one), so no form can be added without the check. A refused
form is shown again with its errors once its transaction has rolled back; a page that needs
a signed-in person sends the browser to sign in; what the person may not see is the page
that does not exist (404), as in the API.
"""

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.db import SETTINGS_KEY, unit_of_work
from app.core.errors import AppError
from app.web import cookies
from app.web.forms import Refused
from app.web.pages import Page, SignInRequired, build_page, sign_in_address

logger = logging.getLogger("app.request")
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


async def _fresh_page(
    request: Request, work: Callable[[Page], Coroutine[Any, Any, Response]]
) -> Response:
    """`work` on a page read in a transaction of its own (the request's has rolled back)."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with unit_of_work(sessionmaker) as session:
        session.info[SETTINGS_KEY] = request.app.state.settings
        page = await build_page(
            request, session, request.app.state.settings, request.app.state.clock.now()
        )
        return await work(page)


async def error_page(request: Request, status: int, error: AppError | None = None) -> Response:
    """The page for a refusal: its own words for a missing page or a refused form token,
    else the problem's title and detail in the page's language."""

    async def render(page: Page) -> Response:
        return page.render(
            "error.html",
            status=status,
            status_code=status,
            error_title=error.title_in(page.language)
            if error and status not in (403, 404)
            else None,
            error_detail=error.detail_in(page.language)
            if error and status not in (403, 404)
            else None,
        )

    page = getattr(request.state, "web_page", None)
    if isinstance(page, Page):
        return await render(page)
    return await _fresh_page(request, render)


class PageRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            if request.method == "POST":
                form = await request.form()
                if not cookies.csrf_holds(
                    request, request.app.state.settings, form.get(cookies.CSRF_FIELD)
                ):
                    return await error_page(request, 403)
            try:
                return await original(request)
            except SignInRequired:
                return await _fresh_page(
                    request, lambda page: _redirect(page, sign_in_address(request))
                )
            except Refused as refused:
                return await _fresh_page(request, _shown_again(refused))
            except RequestValidationError:
                # An id that is not one (a mistyped address) names no page.
                return await error_page(request, 404)
            except AppError as error:
                return await error_page(request, error.status, error)

        return handler


def _shown_again(refused: Refused) -> Callable[[Page], Coroutine[Any, Any, Response]]:
    async def again(page: Page) -> Response:
        response = await refused.show(page, refused.state)
        response.status_code = refused.status
        return response

    return again


async def _redirect(page: Page, url: str) -> Response:
    return page.redirect(url)
