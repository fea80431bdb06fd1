"""Request-scoped dependencies every domain uses: the unit of work, settings and the clock."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request, params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import Clock, Sleeper
from app.core.config import Settings
from app.core.db import SETTINGS_KEY, unit_of_work
from app.core.errors import UnsupportedMediaType, ValidationFailed
from app.core.field_errors import field_error


async def get_session(request: Request, background: BackgroundTasks) -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request, committed before the response is sent;
    what was to follow the commit (`app.core.db.after_commit`) runs after the response."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with unit_of_work(sessionmaker, defer=background.add_task) as session:
        session.info[SETTINGS_KEY] = request.app.state.settings
        yield session


# The dependencies below are `async def` although they only read: FastAPI runs a plain `def`
# dependency in a worker thread, a hop there and back on every request for one attribute.
async def get_sessionmaker(request: Request) -> async_sessionmaker[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    return sessionmaker


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_sleeper(request: Request) -> Sleeper:
    sleeper: Sleeper = request.app.state.sleeper
    return sleeper


async def get_now(request: Request) -> datetime:
    clock: Clock = request.app.state.clock
    return clock.now()


# scope="function": the commit runs before the response is sent, so a failed commit
# can never follow a 2xx the client has already seen.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SessionmakerDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessionmaker)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
NowDep = Annotated[datetime, Depends(get_now)]
SleeperDep = Annotated[Sleeper, Depends(get_sleeper)]


_ALLOWED_QUERY: dict[int, frozenset[str]] = {}


def _allowed_query(route: APIRoute) -> frozenset[str]:
    key = id(route)
    if key not in _ALLOWED_QUERY:
        _ALLOWED_QUERY[key] = frozenset(_query_names(route.dependant))
    return _ALLOWED_QUERY[key]


def _query_names(dependant: Dependant) -> set[str]:
    names: set[str] = set()
    for param in dependant.query_params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            # Query parameters declared together as one model.
            names |= {field.alias or name for name, field in annotation.model_fields.items()}
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:
    """A misspelt filter (`?servce_type=`) is an error, not a silently unfiltered answer."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    unknown = sorted(set(request.query_params.keys()) - _allowed_query(route))
    if unknown:
        raise ValidationFailed(
            [
                field_error(
                    ["query", name],
                    "Unknown query parameter.",
                    msg_cy="Paramedr ymholiad anhysbys.",
                    type="extra_forbidden",
                )
                for name in unknown
            ]
        )


_TAKES_JSON: dict[int, bool] = {}


def _takes_json(route: APIRoute) -> bool:
    key = id(route)
    if key not in _TAKES_JSON:
        fields = route.dependant.body_params
        _TAKES_JSON[key] = bool(fields) and not any(
            isinstance(field.field_info, params.Form | params.File) for field in fields
        )
    return _TAKES_JSON[key]


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


async def require_json_media_type(request: Request) -> None:
    """A route that reads a JSON body refuses a body of any other declared type (415).

    Left to the framework, `text/plain` holding JSON would be read as a plain string and
    answer a confusing 422; forms keep their own types (the login form is a form).
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not _takes_json(route):
        return
    has_body = request.headers.get("content-length", "0") != "0" or (
        "transfer-encoding" in request.headers
    )
    declared = request.headers.get("content-type")
    # Without a declared type the body is read as JSON, as the framework does.
    if has_body and declared is not None and not _is_json(declared):
        raise UnsupportedMediaType(expected="application/json")
