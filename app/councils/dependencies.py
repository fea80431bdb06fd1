"""Who speaks for a council: its officers and API clients (and, for an area's aggregate
figures, platform admins too)."""

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials

from app.areas import service as areas
from app.auth import service as auth
from app.auth.dependencies import bearer_scheme, settles_language, speak_as_preferred
from app.auth.errors import InvalidToken
from app.auth.models import User
from app.auth.tokens import read_access_token
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.councils import clients, service
from app.councils.errors import NotACouncil, NotThisArea


@dataclass(frozen=True, slots=True)
class AreaReader:
    area_code: str
    user_id: uuid.UUID | None = None
    api_client_id: uuid.UUID | None = None


@settles_language
async def area_reader(
    request: Request,
    code: str,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> AreaReader:
    """The caller, allowed to read area `code`'s figures; another area is 403."""
    if credentials is None:
        raise InvalidToken
    claims = read_access_token(settings, credentials.credentials, now=now)
    if claims is None:
        raise InvalidToken
    await areas.get_area(session, code)
    if claims.kind == "client":
        client = await clients.active_client(session, claims.subject)
        if client is None:
            raise InvalidToken
        if client.area_code != code:
            raise NotThisArea
        return AreaReader(area_code=code, api_client_id=client.id)
    user = await auth.load_user_for_token(
        session, user_id=claims.subject, login_id=claims.session_id, now=now
    )
    if user is None:
        raise InvalidToken
    speak_as_preferred(request, user.preferred_language)
    if not user.is_platform_admin and code not in await service.officer_area_codes(
        session, user.id
    ):
        raise NotThisArea
    return AreaReader(area_code=code, user_id=user.id)


CurrentAreaReader = Annotated[AreaReader, Depends(area_reader)]


@dataclass(frozen=True, slots=True)
class Council:
    """A council acting: one of its officers (`user`, who may serve several areas) or its API
    client (one area). Platform admins are not a council."""

    area_codes: frozenset[str]
    user: User | None = None
    api_client_id: uuid.UUID | None = None


async def council(
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Council:
    """The caller as a council: an officer or an API client; anyone else is 403."""
    if credentials is None:
        raise InvalidToken
    claims = read_access_token(settings, credentials.credentials, now=now)
    if claims is None:
        raise InvalidToken
    if claims.kind == "client":
        client = await clients.active_client(session, claims.subject)
        if client is None:
            raise InvalidToken
        return Council(area_codes=frozenset([client.area_code]), api_client_id=client.id)
    user = await auth.load_user_for_token(
        session, user_id=claims.subject, login_id=claims.session_id, now=now
    )
    if user is None:
        raise InvalidToken
    codes = await service.officer_area_codes(session, user.id)
    if not codes:
        raise NotACouncil
    return Council(area_codes=frozenset(codes), user=user)


CurrentCouncil = Annotated[Council, Depends(council)]


async def area_council(code: str, session: SessionDep, caller: CurrentCouncil) -> Council:
    """The caller as the council of area `code`: another council's area is 403."""
    await areas.get_area(session, code)
    if code not in caller.area_codes:
        raise NotThisArea
    return caller


AreaCouncil = Annotated[Council, Depends(area_council)]
