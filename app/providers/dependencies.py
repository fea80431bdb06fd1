"""The optional caller of public reads, the directory cache and the CSV body."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from starlette.applications import Starlette

from app.auth.actor import Actor
from app.auth.dependencies import bearer_scheme, resolve_actor
from app.core.config import Settings
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.core.errors import UnsupportedMediaType, ValidationFailed
from app.core.http_cache import RenderCache
from app.providers.directory import Directory


async def optional_actor(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Actor | None:
    """Anyone may read the public directory; a token, when sent, must be valid and widens it."""
    if credentials is None:
        return None
    return await resolve_actor(request, session, settings, now, credentials)


OptionalActor = Annotated[Actor | None, Depends(optional_actor)]


def directory(app: Starlette) -> Directory:
    """The application's directory cache (a plain call: a dependency costs more per request)."""
    found: Directory | None = getattr(app.state, "provider_directory", None)
    if found is None:
        settings: Settings = app.state.settings
        cache = RenderCache(
            max_entries=settings.directory_cache_entries,
            ttl_seconds=settings.directory_cache_seconds,
        )
        found = Directory(cache, app.state.sessionmaker)
        app.state.provider_directory = found
        app.state.on_shutdown.append(found.close)
    return found


async def csv_body(request: Request) -> str:
    """The request body as text: `text/csv` (415 otherwise) in UTF-8 (422 otherwise)."""
    content_type = request.headers.get("content-type", "")
    media_type, _, parameters = content_type.partition(";")
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media_type.strip().lower() != "text/csv" or charset not in ("", "utf-8", "utf8"):
        raise UnsupportedMediaType(expected="text/csv; charset=utf-8")
    raw = await request.body()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            [{"loc": ["body"], "msg": f"The file is not UTF-8 text (byte {exc.start} is not)."}]
        ) from exc


CsvBody = Annotated[str, Depends(csv_body)]
