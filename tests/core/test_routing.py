"""The routers decline at a glance a path none of their routes could serve (app.core.routing):
every address of the house still reaches the route FastAPI's own matching reaches."""

import inspect
import re
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import _IncludedRouter
from starlette.types import Receive, Scope, Send

from app.core.routing import Router

SAMPLE = {"uuid": "00000000-0000-4000-8000-000000000001", "int": "7", "path": "a/b.css"}


def addresses(app: FastAPI) -> list[tuple[str, str]]:
    """(method, a concrete path) for every route of the app, its parameters filled in."""
    found: list[tuple[str, str]] = []
    for top in app.router.routes:
        contexts: Any = top.effective_route_contexts() if isinstance(top, _IncludedRouter) else []
        for context in contexts:
            route = context.starlette_route or context
            template = route.path
            path = re.sub(
                r"\{(\w+)(?::(\w+))?\}", lambda m: SAMPLE.get(m.group(2) or "", "x1"), template
            )
            methods = sorted(getattr(route, "methods", None) or {"GET"})
            found.append((methods[0], path))
    return found


async def chosen_routes(app: FastAPI, requests: list[tuple[str, str]]) -> list[str | None]:
    """The template of the route each request was routed to (None: no route)."""
    chosen: list[str | None] = []

    statuses: list[int] = []

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        await app(scope, receive, send)
        context = scope.get("fastapi", {}).get("effective_route_context")
        route = scope.get("route")
        chosen.append(getattr(context, "path", None) or getattr(route, "path", None))

    transport = httpx.ASGITransport(app=recording)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for method, path in requests:
            answer = await client.request(method, path)
            statuses.append(answer.status_code)
    # Asked without a login or a body, every route refuses or answers, and none fails.
    assert 500 not in statuses
    return chosen


async def test_every_address_reaches_the_route_fastapis_own_matching_reaches(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    requests = addresses(app)
    assert len(requests) > 250
    # Paths no route serves, and ones that only begin like a route's.
    requests += [
        ("GET", "/api/v1/nowhere"),
        ("GET", "/api/v1/coops"),
        ("GET", "/api/v1/coops/x1/nowhere"),
        ("GET", "/staticx"),
        ("GET", "/healthz/"),
        ("POST", "/healthz"),
    ]

    indexed = await chosen_routes(app, requests)
    monkeypatch.setattr(Router, "matches", APIRouter.matches)
    monkeypatch.setattr(Router, "_get_routes_version", APIRouter._get_routes_version)
    fastapis = await chosen_routes(app, requests)

    assert indexed == fastapis
    unrouted = [request for request, route in zip(requests, indexed, strict=True) if route is None]
    assert unrouted == [
        ("GET", "/api/v1/nowhere"),
        ("GET", "/api/v1/coops/x1/nowhere"),
        ("GET", "/staticx"),
        ("GET", "/healthz/"),
    ]


async def test_a_route_added_after_the_first_request_is_reached(app: FastAPI) -> None:
    outer, inner = Router(prefix="/outer"), Router()

    @inner.get("/first")
    async def first() -> dict[str, str]:
        return {"route": "first"}

    outer.include_router(inner)
    small = FastAPI()
    small.include_router(outer)
    transport = httpx.ASGITransport(app=small)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/outer/first")).status_code == 200
        assert (await client.get("/outer/second")).status_code == 404

        @inner.get("/second")
        async def second() -> dict[str, str]:
            return {"route": "second"}

        answer = await client.get("/outer/second")
    assert answer.status_code == 200
    assert answer.json() == {"route": "second"}


def test_a_router_includes_routers_of_its_kind_only() -> None:
    with pytest.raises(TypeError, match="Routers only"):
        Router().include_router(APIRouter())


def _runs_on_the_loop(call: Any) -> bool:
    target = call if inspect.isfunction(call) or inspect.ismethod(call) else call.__call__
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)


def test_no_dependency_is_run_in_a_worker_thread(app: FastAPI) -> None:
    """FastAPI runs a plain `def` dependency in a worker thread, a hop there and back on
    every request: the service's dependencies are `async def` (none of them blocks)."""
    in_threads: set[str] = set()
    seen = 0

    def visit(dependant: Dependant) -> None:
        nonlocal seen
        for sub in dependant.dependencies:
            seen += 1
            if not _runs_on_the_loop(sub.call):
                in_threads.add(
                    f"{sub.call.__module__}.{getattr(sub.call, '__qualname__', sub.call)}"
                )
            visit(sub)

    for top in app.router.routes:
        contexts: Any = top.effective_route_contexts() if isinstance(top, _IncludedRouter) else []
        for context in contexts:
            # The route's dependencies with those of the routers that include it.
            dependant = getattr(context, "dependant", None)
            if isinstance(dependant, Dependant):
                visit(dependant)
    assert seen > 1000
    assert in_threads == set()
