"""Every error leaves as problem+json: one place renders them all."""

import json
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.db import is_busy
from app.core.errors import (
    AppError,
    BadRequest,
    BodyTooLarge,
    Busy,
    MalformedBody,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    UnsupportedMediaType,
    ValidationFailed,
    problem_body,
)
from app.core.field_errors import from_pydantic
from app.core.i18n import DEFAULT_LANGUAGE, Language
from app.core.replay import IdempotentReplay, stored_answer

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger("app.request")


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def request_language(request: Request) -> Language:
    language: Language = getattr(request.state, "language", None) or DEFAULT_LANGUAGE
    return language


def render(request: Request, error: AppError) -> Response:
    return ProblemResponse(
        problem_body(error, request_language(request)),
        status_code=error.status,
        headers=error.headers or None,
    )


def busy_error(request: Request) -> Busy:
    """503 `busy`: told to come back after about as long as it was made to wait."""
    wait = getattr(request.app.state.settings, "db_wait_seconds", 1.0)
    return Busy(headers={"Retry-After": str(max(1, math.ceil(wait)))})


def validation_problem(exc: RequestValidationError) -> AppError:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return MalformedBody()
    # Never echo the input back: it may hold a password (from_pydantic leaves it out).
    return ValidationFailed([from_pydantic(e) for e in errors])


async def settle_language(request: Request) -> None:
    """A refusal can come before the caller's token was read: read it now (the hook installed
    as `app.state.settle_language`), so the problem is in their language."""
    settle = getattr(request.app.state, "settle_language", None)
    if settle is not None:
        await settle(request)


def page_errors(request: Request) -> Callable[[Request, Exception], Awaitable[Response]] | None:
    """For a web page's request (its route says so in `request.state.page_route`), the hook
    the web front end installs as `app.state.page_errors`: refusals answered as pages."""
    if not getattr(request.state, "page_route", False):
        return None
    hook: Callable[[Request, Exception], Awaitable[Response]] | None = getattr(
        request.app.state, "page_errors", None
    )
    return hook


def install_handlers(app: FastAPI) -> None:
    async def app_error(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, AppError):  # pragma: no cover - registered for that type
            raise exc
        if (as_page := page_errors(request)) is not None:
            return await as_page(request, exc)
        if not isinstance(exc, Busy):
            await settle_language(request)
        return render(request, exc)

    async def request_validation(request: Request, exc: Exception) -> Response:
        if not isinstance(
            exc, RequestValidationError
        ):  # pragma: no cover - registered for that type
            raise exc
        if (as_page := page_errors(request)) is not None:
            return await as_page(request, exc)
        await settle_language(request)
        return render(request, validation_problem(exc))

    async def http_exception(request: Request, exc: Exception) -> Response:
        if not isinstance(
            exc, StarletteHTTPException
        ):  # pragma: no cover - registered for that type
            raise exc
        error: AppError
        if exc.status_code == 404:
            error = NotFound()
        elif exc.status_code == 405:
            error = MethodNotAllowed()
        elif exc.status_code == 401:
            error = NotAuthenticated()
        elif exc.status_code == 413:
            error = BodyTooLarge(limit=request.app.state.settings.max_body_bytes)
        elif exc.status_code == 415:
            error = UnsupportedMediaType(expected="application/json")
        elif exc.status_code == 400:
            error = BadRequest()
        else:
            error = AppError()
        await settle_language(request)
        response = render(request, error)
        if exc.status_code == 405 and exc.headers and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response

    async def replay(request: Request, exc: Exception) -> Response:
        del request
        if not isinstance(exc, IdempotentReplay):  # pragma: no cover - registered for that type
            raise exc
        return stored_answer(exc.status, exc.body)

    async def database_busy(request: Request, exc: Exception) -> Response:
        if not is_busy(exc):
            raise exc
        logger.warning("database busy: %s", type(exc).__name__)
        return render(request, busy_error(request))

    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(PoolTimeout, database_busy)
    app.add_exception_handler(DBAPIError, database_busy)
    app.add_exception_handler(RequestValidationError, request_validation)
    app.add_exception_handler(StarletteHTTPException, http_exception)
    app.add_exception_handler(IdempotentReplay, replay)
