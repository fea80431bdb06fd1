"""The provider directory's rules: registration, verification, edits, staff and the area reads."""

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth import service as auth
from app.auth.actor import Actor
from app.auth.models import User
from app.core.pagination import PageRequest, Sort, paginate
from app.providers import repository
from app.providers.coverage import Coverage, RateCount, coverage_by_type
from app.providers.errors import (
    CiwServiceIdTaken,
    LastStaff,
    NotProviderStaff,
    ProviderNameTaken,
    ProviderNotFound,
    StaffNotFound,
)
from app.providers.listing_entries import keep_entries
from app.providers.models import (
    Provider,
    ProviderArea,
    ProviderAreaStamp,
    ProviderDirectoryStamp,
    ProviderServiceType,
    ProviderStaff,
    ProviderStatus,
    ServiceType,
    WelshLanguage,
    fold_name,
)
from app.providers.schemas import ProviderCreate, ProviderStaffMember

AREA_ORDER = (Provider.hourly_rate_pence, Provider.name_search, Provider.id)
NAME_ORDER = (Provider.name_search, Provider.id)


def _of_provider(column: Any) -> Any:
    return select(column).where(Provider.id == ProviderArea.provider_id).scalar_subquery()


async def touch_directory(
    session: AsyncSession,
    provider_ids: Collection[uuid.UUID] = (),
    *,
    areas: Iterable[str] = (),
    every_area: bool = False,
) -> None:
    """Mark the directory changed, in the transaction of every provider write, after its
    flush: the providers' listing keys are copied again onto their area rows, their listing
    entries rendered again, and cached answers (keyed by the stamps) are let go: those
    spanning areas, and those of each area a written provider served before the write
    (`areas`, read once it was locked) or serves now, or of every area. Where the providers
    are now is read back here, so an area a request running alongside gave them is marked
    too."""
    stamp = uuid.uuid4()
    result = await session.execute(
        update(ProviderDirectoryStamp).where(ProviderDirectoryStamp.id == 1).values(stamp=stamp)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]  # only a hand-built database lacks it
        session.add(ProviderDirectoryStamp(id=1, stamp=stamp))
    written = ProviderArea.provider_id.in_(list(provider_ids))
    # Nothing reads the copies through the ORM: the session's objects are left as they are.
    copied = (
        update(ProviderArea)
        .values(
            listed=_of_provider(Provider.status == ProviderStatus.verified),
            hourly_rate_pence=_of_provider(Provider.hourly_rate_pence),
            name_search=_of_provider(Provider.name_search),
        )
        .execution_options(synchronize_session=False)
    )
    await session.execute(copied if every_area else copied.where(written))
    await keep_entries(session, provider_ids)
    touched = (
        update(ProviderAreaStamp).values(stamp=stamp).execution_options(synchronize_session=False)
    )
    if not every_area:
        now_serving = select(ProviderArea.area_code).where(written)
        touched = touched.where(
            ProviderAreaStamp.area_code.in_(sorted(set(areas)))
            | ProviderAreaStamp.area_code.in_(now_serving)
        )
    await session.execute(touched)


def set_service_types(provider: Provider, wanted: Iterable[ServiceType]) -> None:
    """Keep rows that stay, so an unchanged type is never deleted and re-inserted."""
    wanted_set = set(wanted)
    kept = [r for r in provider.service_type_rows if r.service_type in wanted_set]
    have = {r.service_type for r in kept}
    provider.service_type_rows = kept + [
        ProviderServiceType(service_type=t) for t in ServiceType if t in wanted_set - have
    ]


def set_area_codes(provider: Provider, wanted: Iterable[str]) -> None:
    wanted_set = set(wanted)
    kept = [r for r in provider.area_rows if r.area_code in wanted_set]
    have = {r.area_code for r in kept}
    provider.area_rows = kept + [ProviderArea(area_code=c) for c in sorted(wanted_set - have)]


def apply_fields(provider: Provider, fields: Mapping[str, Any]) -> bool:
    """Set the given fields; whether anything differed from what was stored."""
    changed = False
    for name, value in fields.items():
        if name == "service_types":
            if set(provider.service_types) != set(value):
                set_service_types(provider, value)
                changed = True
        elif name == "area_codes":
            if set(provider.area_codes) != set(value):
                set_area_codes(provider, value)
                changed = True
        elif getattr(provider, name) != value:
            setattr(provider, name, value)
            if name == "name":
                rename(provider, value)
            changed = True
    return changed


def rename(provider: Provider, name: str) -> None:
    """Set the folded name; a verified provider whose folded name changes claims the new one
    (its old name is free at once). A new spelling of the same folded name claims nothing."""
    folded = fold_name(name)
    if folded != provider.name_search:
        provider.name_search = folded
        if provider.status == ProviderStatus.verified:
            provider.verified_name_key = folded


def settle_status(provider: Provider, status: ProviderStatus) -> None:
    """Set the status: a provider that becomes verified claims its folded name, one that
    stops being verified lets it go."""
    provider.status = status
    provider.verified_name_key = provider.name_search if status == ProviderStatus.verified else None


def new_provider(*, status: ProviderStatus, now: datetime) -> Provider:
    return Provider(
        status=status, created_at=now, updated_at=now, service_type_rows=[], area_rows=[]
    )


async def flush_unique(session: AsyncSession) -> None:
    """Flush, turning a CIW id or a verified name another provider holds (even one taken a
    moment ago, by a request running alongside) into a 409."""
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        if "verified_name_key" in str(exc.orig):
            raise ProviderNameTaken from exc
        raise CiwServiceIdTaken from exc


async def create_provider(
    session: AsyncSession, actor: Actor, *, details: ProviderCreate, now: datetime
) -> Provider:
    """Register a provider as `pending`; the person registering it becomes its staff."""
    await areas.require_codes(session, details.area_codes, loc=("body", "area_codes"))
    provider = new_provider(status=ProviderStatus.pending, now=now)
    apply_fields(provider, details.model_dump())
    session.add(provider)
    await flush_unique(session)
    session.add(ProviderStaff(provider_id=provider.id, user_id=actor.user.id, added_at=now))
    await session.flush()
    await touch_directory(session, [provider.id])
    audit.record(session, actor, "provider.created", "provider", provider.id)
    return provider


async def get_provider(
    session: AsyncSession, actor: Actor | None, provider_id: uuid.UUID
) -> Provider:
    provider = await repository.visible_provider(session, actor, provider_id)
    if provider is None:
        raise ProviderNotFound
    return provider


async def require_staff_or_admin(session: AsyncSession, actor: Actor, provider: Provider) -> None:
    if actor.user.is_platform_admin:
        return
    if not await repository.is_staff(session, provider_id=provider.id, user_id=actor.user.id):
        raise NotProviderStaff


async def add_staff(
    session: AsyncSession,
    actor: Actor,
    provider: Provider,
    *,
    user_id: uuid.UUID | None = None,
    email: str | None = None,
    now: datetime,
) -> tuple[ProviderStaff, bool]:
    """Add a person (by id or address) to a provider's staff; adding someone already there
    returns them unchanged."""
    await require_staff_or_admin(session, actor, provider)
    user = await auth.open_user(session, user_id=user_id, email=email)
    user_id = user.id
    existing = await session.get(ProviderStaff, (provider.id, user_id))
    if existing is not None:
        return existing, False
    staff = ProviderStaff(
        provider_id=provider.id, user_id=user_id, added_at=now, added_by_user_id=actor.user.id
    )
    session.add(staff)
    await session.flush()
    audit.record(
        session,
        actor,
        "provider.staff_added",
        "provider",
        provider.id,
        data={"user_id": user_id},
        about=user_id,
    )
    return staff, True


async def list_staff(
    session: AsyncSession, actor: Actor, provider: Provider
) -> list[ProviderStaffMember]:
    """The provider's staff, first added first (its staff or a platform administrator)."""
    await require_staff_or_admin(session, actor, provider)
    rows = await session.execute(
        select(ProviderStaff, User.full_name, User.email)
        .join(User, User.id == ProviderStaff.user_id)
        .where(ProviderStaff.provider_id == provider.id)
        .order_by(ProviderStaff.added_at, ProviderStaff.user_id)
    )
    return [
        ProviderStaffMember(
            provider_id=staff.provider_id,
            user_id=staff.user_id,
            added_at=staff.added_at,
            full_name=full_name,
            email=email,
        )
        for staff, full_name, email in rows.all()
    ]


async def remove_staff(
    session: AsyncSession, actor: Actor, provider: Provider, *, user_id: uuid.UUID
) -> None:
    """Take a person off the provider's staff (its staff, themselves included, or a platform
    administrator): they lose its bids, invoices and details at once. The provider's row is
    locked first so two removals cannot together leave it with nobody (409 `last_staff`)."""
    await require_staff_or_admin(session, actor, provider)
    await session.execute(select(Provider.id).where(Provider.id == provider.id).with_for_update())
    staff = await session.get(ProviderStaff, (provider.id, user_id), populate_existing=True)
    if staff is None:
        raise StaffNotFound
    remaining = await session.scalar(
        select(func.count())
        .select_from(ProviderStaff)
        .where(ProviderStaff.provider_id == provider.id, ProviderStaff.user_id != user_id)
    )
    if not remaining:
        raise LastStaff
    await session.delete(staff)
    await session.flush()
    audit.record(
        session,
        actor,
        "provider.staff_removed",
        "provider",
        provider.id,
        data={"user_id": user_id},
        about=user_id,
    )


async def provider_with_offer(session: AsyncSession, provider_id: uuid.UUID) -> Provider | None:
    """The provider with what it offers (service types, areas) loaded."""
    return await session.scalar(repository.with_offer().where(Provider.id == provider_id))


async def is_staff(session: AsyncSession, *, provider_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    return await repository.is_staff(session, provider_id=provider_id, user_id=user_id)


async def staff_provider_ids(session: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        (
            await session.scalars(
                select(ProviderStaff.provider_id)
                .where(ProviderStaff.user_id == user_id)
                .order_by(ProviderStaff.added_at, ProviderStaff.provider_id)
            )
        ).all()
    )


async def list_providers(
    session: AsyncSession,
    actor: Actor | None,
    page: PageRequest,
    *,
    status: ProviderStatus | None = None,
) -> tuple[list[Provider], str | None]:
    stmt = repository.with_offer().where(repository.visible_to(actor))
    if status is not None:
        stmt = stmt.where(Provider.status == status)
    return await paginate(
        session,
        stmt,
        page,
        order=[Sort(c) for c in NAME_ORDER],
        key=lambda p: (p.name_search, p.id),
    )


async def list_in_area(
    session: AsyncSession,
    area_code: str,
    page: PageRequest,
    *,
    service_type: ServiceType | None = None,
    welsh_language: WelshLanguage | None = None,
    max_hourly_rate_pence: int | None = None,
    q: str | None = None,
) -> tuple[list[Provider], str | None]:
    """Verified providers serving an area: cheapest first, then by name, then by id."""
    await areas.get_area(session, area_code)
    stmt = repository.in_area(
        area_code,
        service_type=service_type,
        welsh_language=welsh_language,
        max_hourly_rate_pence=max_hourly_rate_pence,
        q=q,
    )
    return await paginate(
        session,
        stmt,
        page,
        order=[Sort(c) for c in AREA_ORDER],
        key=lambda p: (p.hourly_rate_pence, p.name_search, p.id),
    )


async def area_coverage(session: AsyncSession, area_code: str) -> list[Coverage]:
    await areas.get_area(session, area_code)
    return coverage_of((await session.execute(repository.rate_histogram(area_code))).all())


def coverage_of(histogram: Iterable[Sequence[Any]]) -> list[Coverage]:
    """The coverage by service type from an area's `repository.rate_histogram` rows."""
    counts: dict[ServiceType, list[RateCount]] = {}
    for service_type, rate, providers, welsh_full in histogram:
        counts.setdefault(service_type, []).append(
            RateCount(hourly_rate_pence=rate, providers=providers, welsh_full=welsh_full)
        )
    return coverage_by_type(counts)
