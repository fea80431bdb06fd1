"""Platform administration of council officers."""

import uuid

from fastapi import APIRouter, Response

from app.auth.dependencies import PlatformAdmin
from app.auth.errors import PlatformAdminRequired, UserNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, page_of_list
from app.councils import clients, service
from app.councils.errors import ApiClientNotFound
from app.councils.models import LaOfficer
from app.councils.schemas import (
    ApiClientCreate,
    ApiClientCreated,
    ApiClientRead,
    LaOfficerCreate,
    LaOfficerRead,
)

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post(
    "/la-officers",
    status_code=201,
    response_model=LaOfficerRead,
    responses=problems(PlatformAdminRequired, UserNotFound),
)
async def appoint_la_officer(
    body: LaOfficerCreate, session: SessionDep, actor: PlatformAdmin, now: NowDep
) -> LaOfficer:
    """Appoint a user as a local-authority officer for one area (platform admins only)."""
    return await service.appoint_officer(
        session, actor, user_id=body.user_id, area_code=body.area_code, now=now
    )


@router.post(
    "/api-clients",
    status_code=201,
    response_model=ApiClientCreated,
    responses=problems(PlatformAdminRequired),
)
async def create_api_client(
    body: ApiClientCreate, session: SessionDep, actor: PlatformAdmin, now: NowDep
) -> ApiClientCreated:
    """Register a council's system to pull one area's figures with client credentials.

    The `client_secret` is shown in this answer only; keep it safe. The client's token reads
    that area's summary and open data, and lists, confirms and rejects the Direct Payment
    awards that council pays; nothing else.
    """
    client, secret = await clients.create_client(
        session, actor, name=body.name, area_code=body.area_code, now=now
    )
    return ApiClientCreated(
        **ApiClientRead.model_validate(client).model_dump(), client_secret=secret
    )


@router.get(
    "/api-clients",
    response_model=CursorPage[ApiClientRead],
    responses=problems(PlatformAdminRequired),
)
async def list_api_clients(
    session: SessionDep, actor: PlatformAdmin, page: PageDep
) -> CursorPage[ApiClientRead]:
    """Every API client, revoked ones included (secrets are never shown again)."""
    del actor
    items, next_cursor = page_of_list(await clients.list_clients(session), page)
    return CursorPage[ApiClientRead](
        items=[ApiClientRead.model_validate(c) for c in items], next_cursor=next_cursor
    )


@router.delete(
    "/api-clients/{client_id}",
    status_code=204,
    responses=problems(PlatformAdminRequired, ApiClientNotFound),
)
async def revoke_api_client(
    client_id: uuid.UUID, session: SessionDep, actor: PlatformAdmin, now: NowDep
) -> Response:
    """Revoke a client at once: its tokens stop working on their next request."""
    await clients.revoke_client(session, actor, client_uuid=client_id, now=now)
    return Response(status_code=204)
