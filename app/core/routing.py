"""The router every domain declares its routes on: FastAPI's, declining at a glance a path none
of its routes could serve.

FastAPI keeps an included router nested and, for every request, tries each route of every
router in turn: before a route near the end of the house (a contribution, the pool, a tender)
was reached, some 200 routes of the domains before it had each been matched against the path,
about half a millisecond of every request. This router first compares the path with the
addresses of all its routes at once (one regular expression of theirs) and only then lets
FastAPI try its routes, so a request walks the routers of one domain only. Which
route answers, and in what order routes are tried among those that could, is FastAPI's as
before.

The addresses a router serves depend on where it is included (the prefixes of the routers
above it), which only FastAPI's record of that inclusion knows: it is read from the request
scope on the first request through each inclusion and kept on that record. Were a later
FastAPI to keep it elsewhere, the router simply tries its routes as FastAPI's does.

`tests/core/test_routing.py` sends a request to every route of the house and checks that it
reaches the route FastAPI's own matching reaches.
"""

import re
from typing import Any, ClassVar

from fastapi import APIRouter
from fastapi.routing import APIRoute, _IncludedRouter
from starlette._utils import get_route_path
from starlette.routing import Host, Match, Mount
from starlette.types import Scope

# Where FastAPI notes, in the scope, which inclusion of a router is being matched.
_FASTAPI_SCOPE_KEY = "fastapi"
_INCLUDED_ROUTER_KEY = "included_router"
# The addresses an inclusion serves, kept on FastAPI's record of that inclusion.
_KEPT_ON_INCLUSION = "_dpc_served_addresses"
_GROUP_NAME = re.compile(r"\(\?P<\w+>")


class ServedAddresses:
    """The addresses an inclusion of a router could serve, as one pattern of all its routes'."""

    __slots__ = ("pattern",)

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def could_serve(self, path: str) -> bool:
        return self.pattern.match(path) is not None

    @classmethod
    def of(cls, inclusion: Any) -> "ServedAddresses":
        patterns: list[str] = []
        for context in inclusion.effective_route_contexts():
            route = context.starlette_route
            if route is None and isinstance(context.original_route, APIRoute):
                route = context
            if route is None or isinstance(route, Host):
                # A kind of route whose address is not a path pattern: it could serve any.
                return cls(re.compile(""))
            if isinstance(route, Mount):
                patterns.append(re.escape(route.path))
            # Starlette's `^/coops/(?P<coop_id>[^/]+)/pool$`: the names would clash in one pattern.
            patterns.append(
                _GROUP_NAME.sub("(?:", route.path_regex.pattern.lstrip("^").rstrip("$"))
            )
        return cls(re.compile("(?:" + "|".join(patterns) + ")$" if patterns else "(?!)"))


class Router(APIRouter):
    """An `APIRouter` that declines, without trying its routes, a path none of them could serve.

    Only routers of its kind are included in it, so that one count of changes covers them all:
    FastAPI asks, at every level of every request, whether any route below has changed, and
    walked the whole tree below to answer (some 350 routes and routers from `/api/v1`); a
    change to any `Router`'s routes moves the one count on, and the answer is that count.
    """

    _changes: ClassVar[int] = 0

    def _mark_routes_changed(self) -> None:
        super()._mark_routes_changed()
        Router._changes += 1

    def _get_routes_version(self, seen: set[int] | None = None) -> int:  # noqa: ARG002
        return Router._changes

    def include_router(self, router: APIRouter, *args: Any, **kwargs: Any) -> None:
        if not isinstance(router, Router):
            # Its changes would not move the count on, and would go unseen.
            raise TypeError("a Router includes Routers only (app.core.routing.Router)")
        super().include_router(router, *args, **kwargs)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        inclusion = scope.get(_FASTAPI_SCOPE_KEY, {}).get(_INCLUDED_ROUTER_KEY)
        if isinstance(inclusion, _IncludedRouter) and inclusion.original_router is self:
            # Kept with the count of changes: a route added later is found all the same.
            kept = inclusion.__dict__.get(_KEPT_ON_INCLUSION)
            if kept is None or kept[0] != Router._changes:
                kept = (Router._changes, ServedAddresses.of(inclusion))
                inclusion.__dict__[_KEPT_ON_INCLUSION] = kept
            if not kept[1].could_serve(get_route_path(scope)):
                return Match.NONE, {}
        return super().matches(scope)
