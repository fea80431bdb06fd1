"""Listings that stay true (SPEC 19, 25): which edits apply at once and which wait for a
platform administrator, verification, and what no edit may do.

A verified provider's staff change their rate, capacity, Welsh offer, phone and website at
once. A change to the name, CIW service id, contact address, service types or areas waits
(`ProviderChange`): the listing keeps the verified values until a platform administrator
applies it with `verify`, or drops it with `changes/reject`. A platform administrator's own
edit, and any edit of a provider not (yet) verified, applies at once. Nothing may drop an
area or a service type a running contract is for, nor give a verified provider a name another
verified provider holds (case and accents aside).
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.core.errors import must_exist
from app.providers import repository
from app.providers.errors import (
    CiwServiceIdTaken,
    NoPendingChanges,
    NothingToVerify,
    ProviderHasContracts,
    ProviderNameTaken,
)
from app.providers.models import (
    Provider,
    ProviderChange,
    ProviderChangeStatus,
    ProviderStatus,
    ServiceType,
    fold_name,
)
from app.providers.schemas import PendingChanges, ProviderDetail
from app.providers.service import (
    apply_fields,
    flush_unique,
    is_staff,
    require_staff_or_admin,
    settle_status,
    touch_directory,
)

IMMEDIATE_FIELDS = frozenset(
    {"hourly_rate_pence", "capacity_hours_per_week", "welsh_language", "phone", "website"}
)
HELD_FIELDS = frozenset({"name", "ciw_service_id", "contact_email", "service_types", "area_codes"})


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """What a running contract binds its provider to: its tender's service type and areas."""

    contract_id: uuid.UUID
    provider_id: uuid.UUID
    service_type: ServiceType
    area_codes: frozenset[str]


def wire_value(name: str, value: Any) -> Any:
    """A field's value in the one form it is stored and compared in (lists in a fixed order)."""
    if name == "service_types":
        wanted = {ServiceType(v) for v in value}
        return [t.value for t in ServiceType if t in wanted]
    if name == "area_codes":
        return sorted(set(value))
    return value


def from_wire(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: [ServiceType(v) for v in value] if name == "service_types" else value
        for name, value in fields.items()
    }


def differing(provider: Provider, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes that differ from what is stored, in wire form."""
    return {
        name: wire_value(name, value)
        for name, value in changes.items()
        if wire_value(name, value) != wire_value(name, getattr(provider, name))
    }


def contracts_broken(
    provider: Provider, changes: Mapping[str, Any], running: Sequence[ContractTerms]
) -> list[ContractTerms]:
    """The running contracts whose service type or areas these changes would drop."""
    dropped_types = set(provider.service_types) - set(
        changes.get("service_types", provider.service_types)
    )
    dropped_areas = set(provider.area_codes) - set(changes.get("area_codes", provider.area_codes))
    return [
        terms
        for terms in running
        if terms.provider_id == provider.id
        and (terms.service_type in dropped_types or terms.area_codes & dropped_areas)
    ]


def require_keeps_contracts(
    provider: Provider, changes: Mapping[str, Any], running: Sequence[ContractTerms]
) -> None:
    broken = contracts_broken(provider, changes, running)
    if broken:
        raise ProviderHasContracts(
            extra={"contract_ids": [str(terms.contract_id) for terms in broken]}
        )


async def require_name_free(session: AsyncSession, provider: Provider, name: str) -> None:
    """Refuse a name a verified provider other than this one holds, folded."""
    holder = await repository.verified_holder_of(session, fold_name(name), other_than=provider.id)
    if holder is not None:
        raise ProviderNameTaken


async def check_changes(
    session: AsyncSession,
    provider: Provider,
    changes: Mapping[str, Any],
    running: Sequence[ContractTerms],
    *,
    verified_after: bool,
) -> None:
    """What no change may do, checked before any is made: drop what a running contract is
    for, or leave a verified provider with a name another verified provider holds (checked
    when it is renamed or becomes verified; a new spelling of the same name is no rename)."""
    require_keeps_contracts(provider, changes, running)
    name = changes.get("name", provider.name)
    renamed = fold_name(name) != provider.name_search
    becomes_verified = verified_after and provider.status != ProviderStatus.verified
    if renamed or becomes_verified:
        await require_name_free(session, provider, name)


async def locked(session: AsyncSession, provider: Provider) -> Provider:
    return must_exist(await repository.lock(session, provider.id), "providers are never deleted")


async def _apply_now(
    session: AsyncSession,
    actor: Actor,
    provider: Provider,
    changes: Mapping[str, Any],
    *,
    now: datetime,
) -> None:
    served_before = provider.area_codes
    if not apply_fields(provider, changes):
        return
    provider.updated_at = now
    await flush_unique(session)
    await touch_directory(session, [provider.id], areas=served_before)
    audit.record(
        session,
        actor,
        "provider.updated",
        "provider",
        provider.id,
        data={"fields": sorted(changes)},
    )


def _decide(
    change: ProviderChange, actor: Actor, status: ProviderChangeStatus, now: datetime
) -> None:
    change.status = status
    change.decided_at = now
    change.decided_by_user_id = actor.user.id


async def _request(
    session: AsyncSession,
    actor: Actor,
    provider: Provider,
    wanted: dict[str, Any],
    *,
    now: datetime,
) -> None:
    """Replace what waits with `wanted` (nothing waits when it is empty)."""
    waiting = await repository.pending_change(session, provider.id)
    if waiting is not None and waiting.fields == wanted:
        return
    if waiting is not None:
        status = ProviderChangeStatus.superseded if wanted else ProviderChangeStatus.withdrawn
        _decide(waiting, actor, status, now)
        await session.flush()  # the one pending request per provider is free again
        if not wanted:
            audit.record(
                session,
                actor,
                "provider.changes_withdrawn",
                "provider",
                provider.id,
                data={"change_id": waiting.id},
            )
    if not wanted:
        return
    change = ProviderChange(
        provider_id=provider.id,
        status=ProviderChangeStatus.pending,
        fields=wanted,
        requested_at=now,
        requested_by_user_id=actor.user.id,
    )
    session.add(change)
    await session.flush()
    audit.record(
        session,
        actor,
        "provider.changes_requested",
        "provider",
        provider.id,
        data={
            "change_id": change.id,
            "fields": sorted(wanted),
            **({"replaces": waiting.id} if waiting is not None else {}),
        },
    )


async def update(
    session: AsyncSession,
    actor: Actor,
    provider: Provider,
    *,
    changes: Mapping[str, Any],
    running: Sequence[ContractTerms],
    now: datetime,
) -> Provider:
    """A PATCH by the provider's staff or a platform administrator (see the module)."""
    await require_staff_or_admin(session, actor, provider)
    if "area_codes" in changes:
        await areas.require_codes(session, changes["area_codes"], loc=("body", "area_codes"))
    provider = await locked(session, provider)
    held_back = not actor.user.is_platform_admin and provider.status == ProviderStatus.verified
    if not held_back:
        await check_changes(session, provider, changes, running, verified_after=False)
        await _apply_now(session, actor, provider, changes, now=now)
        return provider
    held = {name: value for name, value in changes.items() if name in HELD_FIELDS}
    wanted = differing(provider, held)
    if wanted:
        await check_changes(session, provider, from_wire(wanted), running, verified_after=True)
        ciw = wanted.get("ciw_service_id")
        if ciw is not None and await repository.ciw_holder_of(session, ciw, other_than=provider.id):
            raise CiwServiceIdTaken
    immediate = {name: value for name, value in changes.items() if name in IMMEDIATE_FIELDS}
    await _apply_now(session, actor, provider, immediate, now=now)
    if held:
        await _request(session, actor, provider, wanted, now=now)
    return provider


async def verify(
    session: AsyncSession,
    actor: Actor,
    provider: Provider,
    *,
    running: Sequence[ContractTerms],
    now: datetime,
) -> Provider:
    """Verify a provider, applying what waits (platform administrators). A verified provider
    with nothing waiting: 409 `invalid_transition`."""
    provider = await locked(session, provider)
    waiting = await repository.pending_change(session, provider.id)
    if provider.status == ProviderStatus.verified and waiting is None:
        raise NothingToVerify
    changes = from_wire(waiting.fields) if waiting is not None else {}
    await check_changes(session, provider, changes, running, verified_after=True)
    previous = provider.status
    served_before = provider.area_codes
    apply_fields(provider, changes)
    if previous != ProviderStatus.verified:
        settle_status(provider, ProviderStatus.verified)
    provider.updated_at = now
    await flush_unique(session)
    await touch_directory(session, [provider.id], areas=served_before)
    if previous != ProviderStatus.verified:
        audit.record(
            session,
            actor,
            "provider.verified",
            "provider",
            provider.id,
            data={"from": previous.value},
        )
    if waiting is not None:
        _decide(waiting, actor, ProviderChangeStatus.applied, now)
        await session.flush()
        audit.record(
            session,
            actor,
            "provider.changes_applied",
            "provider",
            provider.id,
            data={"change_id": waiting.id, "fields": sorted(waiting.fields)},
        )
    return provider


async def suspend(
    session: AsyncSession, actor: Actor, provider: Provider, *, now: datetime
) -> Provider:
    """Suspend (platform administrators): it leaves every listing and lets its name go.
    Suspending a suspended provider changes nothing; what waits keeps waiting."""
    provider = await locked(session, provider)
    if provider.status == ProviderStatus.suspended:
        return provider
    previous = provider.status
    settle_status(provider, ProviderStatus.suspended)
    provider.updated_at = now
    await session.flush()
    await touch_directory(session, [provider.id])
    audit.record(
        session, actor, "provider.suspended", "provider", provider.id, data={"from": previous.value}
    )
    return provider


async def reject_changes(
    session: AsyncSession, actor: Actor, provider: Provider, *, reason: str, now: datetime
) -> Provider:
    """Drop what waits (platform administrators), keeping the reason with the request."""
    provider = await locked(session, provider)
    waiting = await repository.pending_change(session, provider.id)
    if waiting is None:
        raise NoPendingChanges
    _decide(waiting, actor, ProviderChangeStatus.rejected, now)
    waiting.reason = reason
    await session.flush()
    audit.record(
        session,
        actor,
        "provider.changes_rejected",
        "provider",
        provider.id,
        data={"change_id": waiting.id, "fields": sorted(waiting.fields)},
    )
    return provider


async def detail(session: AsyncSession, actor: Actor | None, provider: Provider) -> ProviderDetail:
    """The provider as `GET /providers/{id}` shows it: what waits only for its staff and
    platform administrators."""
    shown = ProviderDetail.model_validate(provider)
    if actor is None or not (
        actor.user.is_platform_admin
        or await is_staff(session, provider_id=provider.id, user_id=actor.user.id)
    ):
        return shown
    waiting = await repository.pending_change(session, provider.id)
    if waiting is None:
        return shown
    shown.pending_changes = PendingChanges.model_validate(waiting.fields)
    shown.pending_changes_requested_at = waiting.requested_at
    return shown
