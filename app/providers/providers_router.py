"""The provider directory: registration, verification, edits, staff and bulk import."""

import uuid
from typing import Annotated, Any

from fastapi import Query, Request, Response

from app.auth.dependencies import CurrentActor, PlatformAdmin
from app.auth.errors import PlatformAdminRequired, UserNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import NotAuthenticated, UnsupportedMediaType, problems
from app.core.http_cache import conditional, rendered
from app.core.pagination import CursorPage, PageDep
from app.core.routing import Router
from app.providers import listing, service
from app.providers.dependencies import CsvBody, OptionalActor
from app.providers.errors import (
    CiwServiceIdTaken,
    LastStaff,
    NoPendingChanges,
    NothingToVerify,
    NotProviderStaff,
    ProviderHasContracts,
    ProviderNameTaken,
    ProviderNotFound,
    StaffNotFound,
)
from app.providers.models import Provider, ProviderStaff, ProviderStatus
from app.providers.schemas import (
    ChangesReject,
    ImportResult,
    ProviderCreate,
    ProviderDetail,
    ProviderRead,
    ProviderStaffCreate,
    ProviderStaffMember,
    ProviderStaffRead,
    ProviderUpdate,
)
from app.workflows import provider_listing

router = Router(prefix="/providers", tags=["providers"])

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
    Imported providers are `verified`, and the file's values apply at once (changes waiting
    for approval are left as they are). A row updates the provider with its
    `ciw_service_id`, else one with the same name (ignoring case and accents) and
    `contact_email`; other rows create providers; `updated` counts the rows that matched one.
    Every row is applied or none: a bad file answers 422 with an error for every bad row,
    `loc` being `["body", <line>, <field>]` with the header as line 1. Besides bad values, a
    row is refused when it would list two verified providers under one name (letter case
    and accents aside: "Gofal Cymru" and "GOFAL CYMRÛ" are one name), whether with another
    row or a provider already listed, and when it drops an area or a service type the
    provider holds a running contract for.
    """
    created, updated = await provider_listing.import_providers(session, actor, text=text, now=now)
    return ImportResult(created=created, updated=updated)


@router.get(
    "/{provider_id}",
    response_model=ProviderDetail,
    responses={**problems(NotAuthenticated, ProviderNotFound), **NOT_MODIFIED},
)
async def get_provider(
    provider_id: uuid.UUID, request: Request, session: SessionDep, actor: OptionalActor
) -> Response:
    """One provider, with its listed (verified) values. Verified providers are public; a
    pending or suspended one is visible to its staff and platform administrators only (404
    for anyone else). Its staff and platform administrators also see `pending_changes`: what
    waits for a platform administrator (null for everyone else). Answers carry a strong
    `ETag`; send it back in `If-None-Match` to get 304 while nothing changed."""
    provider = await service.get_provider(session, actor, provider_id)
    shown = await listing.detail(session, actor, provider)
    return conditional(request, rendered(shown.model_dump_json().encode()), vary="Authorization")


@router.patch(
    "/{provider_id}",
    response_model=ProviderDetail,
    responses=problems(
        NotAuthenticated,
        NotProviderStaff,
        ProviderNotFound,
        CiwServiceIdTaken,
        ProviderNameTaken,
        ProviderHasContracts,
    ),
)
async def update_provider(
    provider_id: uuid.UUID,
    body: ProviderUpdate,
    session: SessionDep,
    actor: CurrentActor,
    now: NowDep,
) -> ProviderDetail:
    """Change a provider's details (its staff or a platform administrator). Only the fields
    sent change; `null` clears `ciw_service_id`, `phone` or `website`; lists are replaced.

    On a verified provider its staff's changes to `hourly_rate_pence`,
    `capacity_hours_per_week`, `welsh_language`, `phone` and `website` apply at once; changes
    to `name`, `ciw_service_id`, `contact_email`, `service_types` and `area_codes` wait for
    a platform administrator: the answer (200) and every listing keep the verified values,
    and the fields sent that differ from them replace `pending_changes` (sending the listed
    values withdraws what waits). A platform administrator's changes, and any change to a
    provider not verified, apply at once.

    409 `provider_has_contracts` when the change would drop an area or a service type the
    provider holds a running contract for; 409 `provider_name_taken` when the new name is a
    verified provider's (letter case and accents aside); 409 `ciw_service_id_taken`.
    """
    provider = await service.get_provider(session, actor, provider_id)
    changes = body.model_dump(exclude_unset=True)
    provider = await provider_listing.update_provider(
        session, actor, provider, changes=changes, now=now
    )
    return await listing.detail(session, actor, provider)


@router.post(
    "/{provider_id}/verify",
    response_model=ProviderDetail,
    responses=problems(
        NotAuthenticated,
        PlatformAdminRequired,
        ProviderNotFound,
        NothingToVerify,
        CiwServiceIdTaken,
        ProviderNameTaken,
        ProviderHasContracts,
    ),
)
async def verify_provider(
    provider_id: uuid.UUID, actor: PlatformAdmin, session: SessionDep, now: NowDep
) -> ProviderDetail:
    """Mark a provider `verified` and apply its `pending_changes` (platform administrators):
    it is then listed, under those values, and may bid. A verified provider with nothing
    waiting: 409 `invalid_transition`. Refused (409 `provider_name_taken`) when a verified
    provider already has its name, letter case and accents aside, and (409
    `provider_has_contracts`) when the changes would drop what a running contract is for."""
    provider = await service.get_provider(session, actor, provider_id)
    provider = await provider_listing.verify_provider(session, actor, provider, now=now)
    return await listing.detail(session, actor, provider)


@router.post(
    "/{provider_id}/changes/reject",
    response_model=ProviderDetail,
    responses=problems(NotAuthenticated, PlatformAdminRequired, ProviderNotFound, NoPendingChanges),
)
async def reject_provider_changes(
    provider_id: uuid.UUID,
    body: ChangesReject,
    actor: PlatformAdmin,
    session: SessionDep,
    now: NowDep,
) -> ProviderDetail:
    """Drop the provider's `pending_changes` (platform administrators), giving the reason:
    the listing stays as it is. Nothing waiting: 409 `invalid_transition`."""
    provider = await service.get_provider(session, actor, provider_id)
    provider = await listing.reject_changes(session, actor, provider, reason=body.reason, now=now)
    return await listing.detail(session, actor, provider)


@router.post(
    "/{provider_id}/suspend",
    response_model=ProviderDetail,
    responses=problems(NotAuthenticated, PlatformAdminRequired, ProviderNotFound),
)
async def suspend_provider(
    provider_id: uuid.UUID, actor: PlatformAdmin, session: SessionDep, now: NowDep
) -> ProviderDetail:
    """Mark a provider `suspended` (platform administrators): it leaves every listing, and
    its name is free for another verified provider. What waits keeps waiting."""
    provider = await service.get_provider(session, actor, provider_id)
    provider = await listing.suspend(session, actor, provider, now=now)
    return await listing.detail(session, actor, provider)


@router.post(
    "/{provider_id}/staff",
    status_code=201,
    response_model=ProviderStaffRead,
    responses={
        200: {"model": ProviderStaffRead, "description": "Staff already: nothing changed."},
        **problems(NotAuthenticated, NotProviderStaff, ProviderNotFound, UserNotFound),
    },
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
