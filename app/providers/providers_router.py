"""The provider directory: registration, verification, edits, staff and bulk import."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.auth.dependencies import CurrentActor, PlatformAdmin
from app.auth.errors import PlatformAdminRequired, UserNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import NotAuthenticated, UnsupportedMediaType, problems
from app.core.http_cache import conditional, rendered
from app.core.pagination import CursorPage, PageDep
from app.providers import imports, service
from app.providers.dependencies import CsvBody, OptionalActor
from app.providers.errors import (
    CiwServiceIdTaken,
    LastStaff,
    NotProviderStaff,
    ProviderNotFound,
    StaffNotFound,
)
from app.providers.models import Provider, ProviderStaff, ProviderStatus
from app.providers.schemas import (
    ImportResult,
    ProviderCreate,
    ProviderRead,
    ProviderStaffCreate,
    ProviderStaffMember,
    ProviderStaffRead,
    ProviderUpdate,
)

router = APIRouter(prefix="/providers", tags=["providers"])

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `ETag` sent in `If-None-Match` is still current."}
}
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "name,service_types,area_codes,hourly_rate_pence,"
                "capacity_hours_per_week,welsh_language,contact_email\n"
                "Gofal Cymunedol Eryri,domiciliary_support;respite,W06000002,2450,400,full,"
                "gofal@example.org\n",
            }
        },
    }
}


@router.post(
    "",
    status_code=201,
    response_model=ProviderRead,
    responses=problems(NotAuthenticated, CiwServiceIdTaken),
)
async def create_provider(
    body: ProviderCreate, session: SessionDep, actor: CurrentActor, now: NowDep
) -> Provider:
    """Register a care provider. It starts `pending` until a platform administrator verifies
    it, and only verified providers are listed publicly or may bid. You become its staff."""
    return await service.create_provider(session, actor, details=body, now=now)


@router.get("", response_model=CursorPage[ProviderRead], responses=problems(NotAuthenticated))
async def list_providers(
    session: SessionDep,
    actor: OptionalActor,
    page: PageDep,
    status: Annotated[
        ProviderStatus | None, Query(description="Only providers with this status.")
    ] = None,
) -> CursorPage[ProviderRead]:
    """Providers by name. Anyone sees verified providers; staff also see their own provider
    whatever its status, and platform administrators see every provider."""
    items, next_cursor = await service.list_providers(session, actor, page, status=status)
    return CursorPage[ProviderRead](
        items=[ProviderRead.model_validate(p) for p in items], next_cursor=next_cursor
    )


@router.post(
    "/import",
    response_model=ImportResult,
    responses=problems(NotAuthenticated, PlatformAdminRequired, UnsupportedMediaType),
    openapi_extra=CSV_BODY,
)
async def import_providers(
    actor: PlatformAdmin, session: SessionDep, now: NowDep, text: CsvBody
) -> ImportResult:
    """Import providers from a UTF-8 `text/csv` file (platform administrators).

    The header row names fields of `POST /providers`; `service_types` and `area_codes` are
    `;`-separated inside their cell, and an empty cell leaves an optional field empty.
    Imported providers are `verified`. A row updates the provider with its `ciw_service_id`,
    else one with the same name (ignoring case) and `contact_email`; other rows create
    providers; `updated` counts the rows that matched one. Every row is applied or none: a bad file answers 422 with an error for every
    bad row, `loc` being `["body", <line>, <field>]` with the header as line 1.
    """
    created, updated = await imports.import_csv(session, actor, text=text, now=now)
    return ImportResult(created=created, updated=updated)


@router.get(
    "/{provider_id}",
    response_model=ProviderRead,
    responses={**problems(NotAuthenticated, ProviderNotFound), **NOT_MODIFIED},
)
async def get_provider(
    provider_id: uuid.UUID, request: Request, session: SessionDep, actor: OptionalActor
) -> Response:
    """One provider. Verified providers are public; a pending or suspended one is visible to
    its staff and platform administrators only (404 for anyone else). Answers carry a strong
    `ETag`; send it back in `If-None-Match` to get 304 while nothing changed."""
    provider = await service.get_provider(session, actor, provider_id)
    body = ProviderRead.model_validate(provider).model_dump_json().encode()
    return conditional(request, rendered(body), vary="Authorization")


@router.patch(
    "/{provider_id}",
    response_model=ProviderRead,
    responses=problems(NotAuthenticated, NotProviderStaff, ProviderNotFound, CiwServiceIdTaken),
)
async def update_provider(
    provider_id: uuid.UUID,
    body: ProviderUpdate,
    session: SessionDep,
    actor: CurrentActor,
    now: NowDep,
) -> Provider:
    """Change a provider's details (its staff or a platform administrator). Only the fields
    sent change; `null` clears `ciw_service_id`, `phone` or `website`; lists are replaced."""
    provider = await service.get_provider(session, actor, provider_id)
    changes = body.model_dump(exclude_unset=True)
    return await service.update_provider(session, actor, provider, changes=changes, now=now)


@router.post(
    "/{provider_id}/verify",
    response_model=ProviderRead,
    responses=problems(NotAuthenticated, PlatformAdminRequired, ProviderNotFound),
)
async def verify_provider(
    provider_id: uuid.UUID, actor: PlatformAdmin, session: SessionDep, now: NowDep
) -> Provider:
    """Mark a provider `verified` (platform administrators): it is then listed and may bid."""
    provider = await service.get_provider(session, actor, provider_id)
    return await service.set_status(
        session, actor, provider, status=ProviderStatus.verified, now=now
    )


@router.post(
    "/{provider_id}/suspend",
    response_model=ProviderRead,
    responses=problems(NotAuthenticated, PlatformAdminRequired, ProviderNotFound),
)
async def suspend_provider(
    provider_id: uuid.UUID, actor: PlatformAdmin, session: SessionDep, now: NowDep
) -> Provider:
    """Mark a provider `suspended` (platform administrators): it leaves every listing."""
    provider = await service.get_provider(session, actor, provider_id)
    return await service.set_status(
        session, actor, provider, status=ProviderStatus.suspended, now=now
    )


@router.post(
    "/{provider_id}/staff",
    status_code=201,
    response_model=ProviderStaffRead,
    responses=problems(NotAuthenticated, NotProviderStaff, ProviderNotFound, UserNotFound),
)
async def add_provider_staff(
    provider_id: uuid.UUID,
    body: ProviderStaffCreate,
    response: Response,
    session: SessionDep,
    actor: CurrentActor,
    now: NowDep,
) -> ProviderStaff:
    """Add a registered person, by `user_id` or `email`, to the provider's staff (its staff or
    a platform administrator). 201 when added; 200 when they were staff already; 404 when
    nobody has that id or address."""
    provider = await service.get_provider(session, actor, provider_id)
    staff, added = await service.add_staff(
        session, actor, provider, user_id=body.user_id, email=body.email, now=now
    )
    if not added:
        response.status_code = 200
    return staff


@router.get(
    "/{provider_id}/staff",
    response_model=CursorPage[ProviderStaffMember],
    responses=problems(NotAuthenticated, NotProviderStaff, ProviderNotFound),
)
async def list_provider_staff(
    provider_id: uuid.UUID, session: SessionDep, actor: CurrentActor
) -> CursorPage[ProviderStaffMember]:
    """The provider's staff with their names and e-mail addresses, first added first (its
    staff or a platform administrator). A provider's staff is a handful of people: one page,
    `next_cursor` always null."""
    provider = await service.get_provider(session, actor, provider_id)
    return CursorPage(items=await service.list_staff(session, actor, provider))


@router.delete(
    "/{provider_id}/staff/{user_id}",
    status_code=204,
    responses=problems(
        NotAuthenticated, NotProviderStaff, ProviderNotFound, StaffNotFound, LastStaff
    ),
)
async def remove_provider_staff(
    provider_id: uuid.UUID, user_id: uuid.UUID, session: SessionDep, actor: CurrentActor
) -> Response:
    """Take someone off the provider's staff (its staff, themselves included, or a platform
    administrator): from the next request they no longer see its bids, invoices or pending
    details, nor act for it. The last member of staff stays (409 `last_staff`): add another
    first."""
    provider = await service.get_provider(session, actor, provider_id)
    await service.remove_staff(session, actor, provider, user_id=user_id)
    return Response(status_code=204)
