"""The application factory; `app.main:app` is the ASGI entry point."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from sqlalchemy.ext.asyncio import AsyncEngine

from app import models  # noqa: F401  (every table registered before anything queries)
from app.api import api_router, route_operation_id
from app.auth.dependencies import settle_language
from app.auth.passwords import Passwords
from app.bank.dependencies import STATEMENT_UPLOAD
from app.core.clock import Clock, Sleeper, SystemClock, real_sleep
from app.core.config import Settings, get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.docs import router as docs_router
from app.core.errors import (
    Problem,
    codes_table,
    complete_problem_responses,
    forbid_nul_in_text,
    iter_error_classes,
)
from app.core.handlers import install_handlers
from app.core.logging import configure_logging
from app.core.metrics import worker_exiting
from app.core.middleware import RequestContextMiddleware
from app.core.ops import router as ops_router
from app.providers.shortcut import DirectoryShortcut
from app.representatives.service import resolve_mandate
from app.web import router as web
from app.worker import Worker
from app.workflows import registry

DESCRIPTION = """
The system of record for Direct Payments co-operatives in Wales: holders of a Direct
Payment pool part of it in a multi-stakeholder co-operative, find care providers in their
area, buy together through collective tenders, share administrative support, run their
co-op democratically, and give councils trustworthy aggregate figures.

* Money is integer pence in fields named `*_pence`.
* Errors are RFC 9457 `application/problem+json` with a stable `code` (table below).
  Request validation answers 422 `validation_error` with `errors: [{loc, msg, type, ctx}]`:
  `type` is Pydantic's error type (`missing`, `string_too_short`, `int_type`, ...), `ctx` its
  limits where it has any (`{"min_length": 12}`; strings and numbers only), `msg` in the
  answer's language. A body that is not well-formed JSON answers 400 `malformed_body`.
* Language: Welsh when `cy` (any region) has the highest weight in `Accept-Language` (ties go
  to the range listed first); otherwise, with a valid token, the person's
  `preferred_language`, on every route, public ones included; otherwise English. Browsers
  send an English header whatever their user prefers, so a header naming English never
  overrides a stated preference. Problems, validation messages, labels in `/me/activity` and
  e-mails follow it; `Content-Language` says which was chosen.
* `Idempotency-Key` (1-255 characters) answers are kept for 48 hours per caller, person
  acted for (`X-On-Behalf-Of`) and resource (the route and its resolved ids, however the
  URL spells them).
  Only successful answers are stored: a refused request stores nothing and may be retried
  with the same key.

### Problem codes

| status | code | title |
|---|---|---|
"""


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    description = DESCRIPTION + codes_table(iter_error_classes())
    schema = get_openapi(
        title="Direct Payments co-operatives API",
        version=app.version,
        description=description,
        routes=app.routes,
    )
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    # The framework's own 422 shapes are never sent: every 422 is a Problem.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    complete_problem_responses(schema)
    forbid_nul_in_text(schema)
    app.openapi_schema = schema
    return schema


def create_app(
    settings: Settings | None = None,
    *,
    engine: AsyncEngine | None = None,
    clock: Clock | None = None,
    sleeper: Sleeper | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or create_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        running = None
        if settings.runs_worker_in_process:
            # The embedded default (SQLite) needs no second process: the server is the worker.
            worker = Worker(settings, app.state.sessionmaker, clock=app.state.clock)
            running = asyncio.create_task(worker.run(stop), name="worker")
        yield
        stop.set()
        if running is not None:
            await running
        for close in app.state.on_shutdown:
            await close()
        await app.state.engine.dispose()
        worker_exiting()

    app = FastAPI(
        title="Direct Payments co-operatives API",
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # A redirect to the other spelling would be built from the request's Host header (a
        # forged Host would appear in Location): an address with a stray slash is just 404.
        redirect_slashes=False,
        generate_unique_id_function=route_operation_id,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = create_sessionmaker(engine, registry.build())
    app.state.clock = clock or SystemClock()
    app.state.sleeper = sleeper or real_sleep
    app.state.passwords = Passwords(settings)
    install_extensions(app)

    # The web pages (`/`), calling the same services; the API keeps `/api/v1`. First, since
    # routes are matched in order and no page's address is another route's.
    web.install(app)
    app.include_router(ops_router)
    app.include_router(docs_router)
    app.include_router(api_router)
    if settings.bench_endpoints:
        from app.bench import router as bench_router

        app.include_router(bench_router)
    install_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "Idempotency-Key",
                "X-On-Behalf-Of",
                "Accept-Language",
                "X-Request-ID",
                "If-None-Match",
            ],
            expose_headers=["X-Request-ID", "ETag", "Retry-After", "Content-Language"],
        )
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        body_limits=[(STATEMENT_UPLOAD, settings.max_import_bytes)],
    )
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    return app


def install_extensions(app: FastAPI) -> None:
    """The mandate resolver for X-On-Behalf-Of, and what is held open that must be closed at
    shutdown."""
    app.state.mandate_resolver = resolve_mandate
    app.state.settle_language = settle_language
    app.state.on_shutdown = []
    # Public reads the middleware answers before routing (app.core.middleware.Shortcut).
    app.state.shortcuts = [DirectoryShortcut(api_router.prefix)]


def _default_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level)
    return create_app(settings)


def __getattr__(name: str) -> FastAPI:
    """`app.main:app`, the ASGI entry point, built from the environment's settings when first
    asked for: a module importing `create_app` alone (the tests, a benchmark) builds none
    (building one is about 1.6 s of routes)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    built = _default_app()
    globals()["app"] = built
    return built
