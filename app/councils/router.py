"""Platform administration of council officers."""

import uuid
from typing import Annotated

from fastapi import Query, Response

from app.auth.dependencies import PlatformAdmin
from app.auth.errors import PlatformAdminRequired, UserNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, page_of_list
from app.core.routing import Router
from app.core.schemas import AreaCode
from app.councils import clients, service
from app.councils.errors import ApiClientNotFound, AppointmentNotFound
from app.councils.models import LaOfficer
from app.councils.schemas import (
    ApiClientCreate,
    ApiClientCreated,
    ApiClientRead,
    LaOfficerCreate,
    LaOfficerRead,
)

router = Router(prefix="/admin", tags=["admin"])


@router.post(
    "/la-officers",
    status_code=201,
    response_model=LaOfficerRead,
    responses={
        **problems(PlatformAdminRequired, UserNotFound),
        200: {"model": LaOfficerRead, "description": "Appointed already: the appointment."},
    },
)
async def appoint_la_officer(
    body: LaOfficerCreate,
    response: Response,
    session: SessionDep,
    actor: PlatformAdmin,
    now: NowDep,
) -> LaOfficer:
    """Appoint a person (by `user_id` or `email`) as a local-authority officer for one area
    (platform admins only): 201 with the new appointment, or 200 with the one already in force
    for that person and area."""
    officer, created = await service.appoint_officer(
        session, actor, user_id=body.user_id, email=body.email, area_code=body.area_code, now=now
    )
    if not created:
        response.status_code = 200
    return officer


@router.get(
    "/la-officers",
    response_model=CursorPage[LaOfficerRead],
    responses=problems(PlatformAdminRequired),
)
async def list_la_officers(
    session: SessionDep,
    actor: PlatformAdmin,
    page: PageDep,
    area_code: Annotated[
        AreaCode | None, Query(description="Only this area's appointments.")
    ] = None,
) -> CursorPage[LaOfficerRead]:
    """Every officer appointment, ended ones included (`ended_at`), oldest first."""
    del actor
    items, next_cursor = await service.list_appointments(session, page, area_code=area_code)
    return CursorPage[LaOfficerRead](
        items=[LaOfficerRead.model_validate(o) for o in items], next_cursor=next_cursor
    )


@router.delete(
    "/la-officers/{appointment_id}",
    status_code=204,
    responses=problems(PlatformAdminRequired, AppointmentNotFound),
)
async def end_la_officer(
    appointment_id: uuid.UUID, session: SessionDep, actor: PlatformAdmin, now: NowDep
) -> Response:
    """End an officer's appointment at once: from their next request they may no longer read
    the area's figures. The appointment stays listed, with `ended_at`."""
    await service.end_appointment(session, actor, appointment_id=appointment_id, now=now)
    return Response(status_code=204)


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
