"""Queries that decide which providers a caller may see, and the directory's reads."""

import uuid

from sqlalchemy import ColumnElement, Select, case, exists, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.auth.actor import Actor
from app.providers.models import (
    Provider,
    ProviderArea,
    ProviderChange,
    ProviderChangeStatus,
    ProviderServiceType,
    ProviderStaff,
    ProviderStatus,
    ServiceType,
    WelshLanguage,
    search_key,
)

WELSH_AT_LEAST: dict[WelshLanguage, tuple[WelshLanguage, ...]] = {
    WelshLanguage.none: tuple(WelshLanguage),
    WelshLanguage.some: (WelshLanguage.some, WelshLanguage.full),
    WelshLanguage.full: (WelshLanguage.full,),
}


def with_offer() -> Select[Provider]:
    """Providers with what a response shows (service types and areas) loaded."""
    return select(Provider).options(
        selectinload(Provider.service_type_rows), selectinload(Provider.area_rows)
    )


def visible_to(actor: Actor | None) -> ColumnElement[bool]:
    """Verified providers for everyone; staff also see their own; platform admins see all."""
    if actor is None:
        return Provider.status == ProviderStatus.verified
    if actor.user.is_platform_admin:
        return true()
    return (Provider.status == ProviderStatus.verified) | Provider.id.in_(
        select(ProviderStaff.provider_id).where(ProviderStaff.user_id == actor.user.id)
    )


async def visible_provider(
    session: AsyncSession, actor: Actor | None, provider_id: uuid.UUID
) -> Provider | None:
    return await session.scalar(with_offer().where(Provider.id == provider_id, visible_to(actor)))


async def is_staff(session: AsyncSession, *, provider_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    return await session.get(ProviderStaff, (provider_id, user_id)) is not None


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_contains(q: str) -> ColumnElement[bool]:
    """Case-insensitive substring match on the casefolded name, the same on every backend."""
    return Provider.name_search.like(name_pattern(q), escape="\\")


def name_pattern(q: str) -> str:
    """What `name_contains` matches the folded name with (`LIKE`, escaped with a backslash)."""
    return f"%{escape_like(search_key(q))}%"


def in_area(
    area_code: str,
    *,
    service_type: ServiceType | None = None,
    welsh_language: WelshLanguage | None = None,
    max_hourly_rate_pence: int | None = None,
    q: str | None = None,
) -> Select[Provider]:
    """Verified providers serving an area, narrowed by the listing's filters."""
    stmt = (
        with_offer()
        .join(
            ProviderArea,
            (ProviderArea.provider_id == Provider.id) & (ProviderArea.area_code == area_code),
        )
        .where(Provider.status == ProviderStatus.verified)
    )
    if service_type is not None:
        stmt = stmt.where(
            exists().where(
                ProviderServiceType.provider_id == Provider.id,
                ProviderServiceType.service_type == service_type,
            )
        )
    if welsh_language is not None and welsh_language != WelshLanguage.none:
        stmt = stmt.where(Provider.welsh_language.in_(WELSH_AT_LEAST[welsh_language]))
    if max_hourly_rate_pence is not None:
        stmt = stmt.where(Provider.hourly_rate_pence <= max_hourly_rate_pence)
    if q:
        stmt = stmt.where(name_contains(q))
    return stmt


def rate_histogram(area_code: str) -> Select[ServiceType, int, int, int]:
    """(service type, hourly rate, providers at that rate, of which `full` Welsh) in an area."""
    return (
        select(
            ProviderServiceType.service_type,
            Provider.hourly_rate_pence,
            func.count(),
            func.count(case((Provider.welsh_language == WelshLanguage.full, 1))),
        )
        .select_from(ProviderArea)
        .join(Provider, Provider.id == ProviderArea.provider_id)
        .join(ProviderServiceType, ProviderServiceType.provider_id == Provider.id)
        .where(ProviderArea.area_code == area_code, Provider.status == ProviderStatus.verified)
        .group_by(ProviderServiceType.service_type, Provider.hourly_rate_pence)
    )


async def lock(session: AsyncSession, provider_id: uuid.UUID) -> Provider | None:
    """The provider's row, locked, read afresh with its offer: edits, verification and
    decisions on its changes happen one after the other."""
    return await session.scalar(
        with_offer()
        .where(Provider.id == provider_id)
        .with_for_update(of=Provider)
        .execution_options(populate_existing=True)
    )


async def pending_change(session: AsyncSession, provider_id: uuid.UUID) -> ProviderChange | None:
    return await session.scalar(
        select(ProviderChange).where(
            ProviderChange.provider_id == provider_id,
            ProviderChange.status == ProviderChangeStatus.pending,
        )
    )


async def verified_holder_of(
    session: AsyncSession, folded_name: str, *, other_than: uuid.UUID | None
) -> uuid.UUID | None:
    """A verified provider (not `other_than`) whose folded name is this one, if any."""
    stmt = select(Provider.id).where(
        Provider.status == ProviderStatus.verified, Provider.name_search == folded_name
    )
    if other_than is not None:
        stmt = stmt.where(Provider.id != other_than)
    return await session.scalar(stmt.limit(1))


async def ciw_holder_of(
    session: AsyncSession, ciw_service_id: str, *, other_than: uuid.UUID
) -> uuid.UUID | None:
    return await session.scalar(
        select(Provider.id).where(
            Provider.ciw_service_id == ciw_service_id, Provider.id != other_than
        )
    )
