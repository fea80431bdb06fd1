"""Bearer tokens to actors, X-On-Behalf-Of handled once for every route, and role guards."""

import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import service
from app.auth.actor import Actor, MandateResolver
from app.auth.errors import InvalidToken, NoMandate, OutsideMandate, PlatformAdminRequired
from app.auth.tokens import read_access_token
from app.core.deps import NowDep, SessionDep, SettingsDep

bearer_scheme = HTTPBearer(auto_error=False, description="An access token from /api/v1/auth/token.")


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
        session, user_id=claims.subject, login_id=claims.session_id
    )
    if user is None:
        raise InvalidToken
    if not request.headers.get("accept-language"):
        request.state.language = user.preferred_language.value
    if on_behalf_of is None or on_behalf_of == user.id:
        return Actor(user=user)
    holder_id = on_behalf_of
    resolver: MandateResolver | None = getattr(request.app.state, "mandate_resolver", None)
    found = None
    if resolver is not None:
        found = await resolver(session, representative=user, holder_id=holder_id)
    if found is None:
        raise NoMandate
    holder, mandate = found
    return Actor(user=user, on_behalf_of=holder, mandate=mandate)


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
