"""Bearer tokens to actors, X-On-Behalf-Of handled once for every route, and role guards."""

import logging
import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth import service
from app.auth.actor import Actor, MandateResolver
from app.auth.errors import InvalidToken, NoMandate, OutsideMandate, PlatformAdminRequired
from app.auth.models import PreferredLanguage
from app.auth.tokens import read_access_token
from app.core.db import unit_of_work
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.core.i18n import choose

logger = logging.getLogger("app.request")
bearer_scheme = HTTPBearer(auto_error=False, description="An access token from /api/v1/auth/token.")


def speak_as_preferred(request: Request, preferred: PreferredLanguage) -> None:
    """Answer in the signed-in person's language, unless the header put Welsh first (which
    already decided: app.core.i18n)."""
    request.state.language_settled = True
    if not getattr(request.state, "welsh_by_header", False):
        request.state.language = choose(welsh_by_header=False, preferred=preferred.value)


async def resolve_actor(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    on_behalf_of: Annotated[
        uuid.UUID | None,
        Header(
            alias="X-On-Behalf-Of",
            description="The id of a holder you represent; your mandate's scopes then apply.",
        ),
    ] = None,
) -> Actor:
    """The caller and, with X-On-Behalf-Of, the holder they represent (mandate checked here)."""
    if credentials is None:
        raise InvalidToken
    claims = read_access_token(settings, credentials.credentials, now=now)
    if claims is None or claims.kind != "access":
        raise InvalidToken
    user = await service.load_user_for_token(
        session, user_id=claims.subject, login_id=claims.session_id, now=now
    )
    if user is None:
        raise InvalidToken
    speak_as_preferred(request, user.preferred_language)
    if on_behalf_of is None or on_behalf_of == user.id:
        return Actor(user=user, login_id=claims.session_id)
    holder_id = on_behalf_of
    resolver: MandateResolver | None = getattr(request.app.state, "mandate_resolver", None)
    found = None
    if resolver is not None:
        found = await resolver(session, representative=user, holder_id=holder_id)
    if found is None:
        raise NoMandate
    holder, mandate = found
    return Actor(user=user, on_behalf_of=holder, mandate=mandate, login_id=claims.session_id)


AnyActor = Annotated[Actor, Depends(resolve_actor)]


async def current_actor(actor: AnyActor) -> Actor:
    """The caller acting as themselves: a route that is not mandate-aware refuses a representative."""
    if actor.is_representing:
        raise OutsideMandate
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def acting_for(scope: str) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    """A route a representative may use when their mandate has `scope` (holders always may)."""

    async def dependency(actor: AnyActor) -> Actor:
        actor.require_scope(scope)
        return actor

    dependency.__name__ = f"acting_for_{scope}"
    return dependency


# What a representative may do for the holder, one scope of their mandate each (holders always may).
ViewActor = Annotated[Actor, Depends(acting_for("view"))]
ContributeActor = Annotated[Actor, Depends(acting_for("contribute"))]
RefundActor = Annotated[Actor, Depends(acting_for("refund"))]
SupportActor = Annotated[Actor, Depends(acting_for("support"))]
VoteActor = Annotated[Actor, Depends(acting_for("vote"))]
ShareActor = Annotated[Actor, Depends(acting_for("share"))]


async def platform_admin(actor: CurrentActor) -> Actor:
    if not actor.user.is_platform_admin:
        raise PlatformAdminRequired
    return actor


PlatformAdmin = Annotated[Actor, Depends(platform_admin)]


async def resolve_optional_actor(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    on_behalf_of: Annotated[uuid.UUID | None, Header(alias="X-On-Behalf-Of")] = None,
) -> Actor | None:
    """On a public route: None without a token; with one, the caller exactly as elsewhere."""
    if credentials is None:
        return None
    return await resolve_actor(request, session, settings, now, credentials, on_behalf_of)


OptionalActor = Annotated[Actor | None, Depends(resolve_optional_actor)]


# Dependencies that read the caller's token themselves and set the language as they do.
_SETTLES_LANGUAGE: set[Callable[..., Any]] = {resolve_actor, resolve_optional_actor}
_ROUTE_SETTLES: dict[int, bool] = {}


def settles_language(dependency: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a dependency (of another domain) that loads the caller from their token and calls
    `speak_as_preferred`, so `answer_in_their_language` need not look them up again."""
    _SETTLES_LANGUAGE.add(dependency)
    return dependency


def _depends_on_one(dependant: Dependant) -> bool:
    return any(
        sub.call in _SETTLES_LANGUAGE or _depends_on_one(sub) for sub in dependant.dependencies
    )


def _route_settles(route: APIRoute) -> bool:
    key = id(route)
    if key not in _ROUTE_SETTLES:
        _ROUTE_SETTLES[key] = _depends_on_one(route.dependant)
    return _ROUTE_SETTLES[key]


async def settle_language(request: Request) -> None:
    """With a valid access token, answer in the person's preferred language (unless the
    header put Welsh first), looked up in a short transaction of its own. Once per request;
    never raises (a failure leaves the language as the header made it)."""
    state = request.state
    if getattr(state, "welsh_by_header", False) or getattr(state, "language_settled", False):
        return
    state.language_settled = True
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return
    app_state = request.app.state
    now = app_state.clock.now()
    claims = read_access_token(app_state.settings, token.strip(), now=now)
    if claims is None or claims.kind != "access":
        return
    sessionmaker: async_sessionmaker[AsyncSession] = app_state.sessionmaker
    try:
        async with unit_of_work(sessionmaker) as session:
            preferred = await service.language_for_token(
                session, user_id=claims.subject, login_id=claims.session_id, now=now
            )
    except Exception:  # the answer is already decided; only its language is at stake
        logger.warning("language of the token not read")
        return
    if preferred is not None:
        speak_as_preferred(request, preferred)


async def answer_in_their_language(request: Request) -> None:
    """On every route: with a valid token, the person's preferred language. Routes that load
    the caller anyway (most) settle it there, and any refusal before that settles it when
    rendered (`app.core.handlers`); a public route looks the person up here. The header is read
    directly, so public routes are not documented as needing a token."""
    route = request.scope.get("route")
    if isinstance(route, APIRoute) and _route_settles(route):
        return
    await settle_language(request)
