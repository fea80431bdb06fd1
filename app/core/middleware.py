"""The outermost layer: request id, language, body limit, security headers, logs, metrics.

It runs for every request, so it reads the headers once and keeps the metrics' children;
a shortcut (`Shortcut`) may answer a public read here, before any routing.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.db import is_busy
from app.core.docs import DOCS_CSP as DOCS_POLICY
from app.core.errors import AppError, BadRequest, BodyTooLarge, Busy, InternalError, problem_body
from app.core.i18n import DEFAULT_LANGUAGE, Language, prefers_welsh
from app.core.logging import request_id_var
from app.core.metrics import LATENCY, REQUESTS

# A shortcut answers some requests before routing, from what the request says alone (a
# cached public read): given a GET that carries no credentials, no body and no Origin, it
# either answers through `send` and returns the route template it answered as (for the
# metrics and the log), or sends nothing and returns None, and the request is routed as
# usual. The application's shortcuts are `app.state.shortcuts`.
Shortcut = Callable[[Scope, Send], Awaitable[str | None]]

logger = logging.getLogger("app.request")
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
DOCS_CSP = (b"content-security-policy", DOCS_POLICY.encode())
# The web pages load their own stylesheet and nothing else, and post forms only to themselves.
PAGE_CSP = (
    b"content-security-policy",
    b"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    b"base-uri 'none'; frame-ancestors 'none'",
)
REPLACED_HEADERS = (
    b"x-request-id",
    b"content-language",
    b"content-security-policy",
    b"cache-control",
)
CREDENTIAL_HEADERS = frozenset({b"authorization", b"cookie"})


# The metrics' children by their labels: looking a child up by its labels costs more than
# counting. Bounded, as the labels are: methods, route templates and statuses.
_COUNTERS: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def _count(method: str, route: str, status: int, elapsed: float) -> None:
    children = _COUNTERS.get((method, route, status))
    if children is None:
        children = (REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route))
        _COUNTERS[(method, route, status)] = children
    requests, latency = children
    requests.inc()
    latency.observe(elapsed)


class _BodyTooLargeError(HTTPException):
    """Raised while the body streams in. An HTTPException, so that the framework's body
    reader (which turns any other error into a 400) lets it through as a 413."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


# The request headers the middleware reads, picked out in one pass.
_READ = frozenset(
    {b"x-request-id", b"accept-language", b"content-length", b"transfer-encoding", b"origin"}
)


def _read_headers(scope: Scope) -> tuple[dict[bytes, str], bool]:
    """The first value of each header the middleware reads, and whether the request carries
    credentials (an Authorization header or a cookie)."""
    found: dict[bytes, str] = {}
    personal = False
    for key, value in scope.get("headers", ()):
        if key in _READ:
            found.setdefault(key, value.decode("latin-1"))
        elif key in CREDENTIAL_HEADERS:
            personal = True
    return found, personal


def _route_template(scope: Scope) -> str:
    """The matched path template (`/api/v1/areas/{code}`), so metrics do not split per id."""
    # FastAPI keeps the full template of a route inside an included router here; the route
    # object itself only knows its path relative to that router.
    context = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(context, "path", None) or getattr(scope.get("route"), "path", None)
    return str(template) if template else "unmatched"


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        body_limits: Sequence[tuple[re.Pattern[str], int]] = (),
    ) -> None:
        """`body_limits`: paths (matched whole) that take bodies of another size than
        `max_body_bytes`, such as files imported, with their own limit."""
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_limits = tuple(body_limits)

    def body_limit(self, path: str) -> int:
        for pattern, limit in self.body_limits:
            if pattern.fullmatch(path):
                return limit
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        read, personal = _read_headers(scope)
        incoming = read.get(b"x-request-id")
        request_id = incoming if incoming and SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        # Welsh first in the header decides now; otherwise a signed-in person's preference may
        # (set once their token is read: app.auth.dependencies), else English.
        welsh = prefers_welsh(read.get(b"accept-language"))
        state["welsh_by_header"] = welsh
        if welsh:
            state["language"] = "cy"
        status_holder = {"status": 500, "started": False}
        answered_as: str | None = None

        def language() -> Language:
            chosen: Language = state.get("language") or DEFAULT_LANGUAGE
            return chosen

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                own = message.get("headers", [])
                cache_control = next((v for k, v in own if k == b"cache-control"), None)
                headers = [(k, v) for k, v in own if k not in REPLACED_HEADERS]
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"content-language", language().encode()))
                headers.extend(SECURITY_HEADERS)
                path = scope["path"]
                docs = path == "/docs" or path.startswith("/docs/")
                content_type = next((v for k, v in own if k == b"content-type"), b"")
                if docs:
                    headers.append(DOCS_CSP)
                elif content_type.startswith(b"text/html"):
                    headers.append(PAGE_CSP)
                else:
                    headers.append(API_CSP)
                # A personal answer (sent with credentials) is never stored by a browser or a
                # proxy; nor is anything that has not said for itself how it may be cached.
                if personal or cache_control is None:
                    cache_control = b"no-store"
                headers.append((b"cache-control", cache_control))
                message = {**message, "headers": headers}
            await send(message)

        limit = self.body_limit(scope["path"])
        declared = read.get(b"content-length")
        too_large = declared is not None and declared.isdigit() and int(declared) > limit
        shortcuts: Sequence[Shortcut] = ()
        if (
            scope["method"] == "GET"
            and not personal
            and declared in (None, "0")
            and b"transfer-encoding" not in read
            # Cross-origin requests are answered inside, where the CORS headers are added.
            and b"origin" not in read
        ):
            shortcuts = getattr(scope["app"].state, "shortcuts", ())
        received = 0

        async def receive_wrapper() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLargeError
            return message

        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            # No address or filter holds a NUL, and PostgreSQL text cannot store one.
            await self._problem(send_wrapper, BadRequest(), language())
            self._finish(scope, started, 400, token)
            return
        try:
            for shortcut in shortcuts:
                answered_as = await shortcut(scope, send_wrapper)
                if answered_as is not None:
                    break
            if answered_as is None:
                if too_large:
                    await self._problem(send_wrapper, BodyTooLarge(limit=limit), language())
                else:
                    await self.app(scope, receive_wrapper, send_wrapper)
        except _BodyTooLargeError:
            if not status_holder["started"]:
                await self._problem(send_wrapper, BodyTooLarge(limit=limit), language())
        except Exception as exc:
            if is_busy(exc):
                # Raised outside a route (the handlers answer those): still 503, never 500.
                logger.warning("database busy", extra={"path": scope["path"]})
                error: AppError = Busy(headers={"Retry-After": "1"})
            else:
                logger.exception("unhandled error", extra={"path": scope["path"]})
                error = InternalError()
            if not status_holder["started"]:
                await self._problem(send_wrapper, error, language())
        finally:
            status = int(status_holder["status"])
            self._finish(scope, started, status, token, answered_as)

    @staticmethod
    def _finish(
        scope: Scope, started: float, status: int, token: Any, route: str | None = None
    ) -> None:
        elapsed = time.perf_counter() - started
        route_path = route or _route_template(scope)
        _count(scope["method"], route_path, status, elapsed)
        logger.info(
            "request",
            extra={
                "method": scope["method"],
                "path": scope["path"],
                "route": route_path,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
            },
        )
        request_id_var.reset(token)

    @staticmethod
    async def _problem(send: Send, error: Any, language: Language) -> None:
        body = json.dumps(problem_body(error, language), ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": error.status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    *((k.lower().encode(), v.encode()) for k, v in error.headers.items()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
