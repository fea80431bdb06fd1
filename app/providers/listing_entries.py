"""Each provider's entry in the area listing, rendered at every write and kept with it.

A listing page is its providers' entries joined: a miss reads one short row per provider and
renders nothing but the page around them. An entry is the JSON `ProviderRead` gives the
provider (its service types in the catalogue's order, its areas sorted), serialized by a
TypeAdapter from plain rows; `touch_directory` writes it in the transaction of every provider
write, after the flush. A provider written some other way (straight into the tables, say)
has none yet, and its entry is rendered when a page is read instead, and not kept.
"""

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from pydantic import TypeAdapter
from sqlalchemy import String, Table, bindparam, func, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession
from typing_extensions import TypedDict  # pydantic takes typing's TypedDict from 3.12 only

from app.providers.models import Provider, ProviderArea, ProviderServiceType, ServiceType

# Providers rendered per statement, when many are written at once (an import).
CHUNK = 500


class ListedProvider(TypedDict):
    """`ProviderRead`'s fields in its order, as the row gives them (enums as their values)."""

    id: uuid.UUID
    name: str
    ciw_service_id: str | None
    service_types: list[str]
    area_codes: list[str]
    hourly_rate_pence: int
    capacity_hours_per_week: int
    welsh_language: str
    contact_email: str
    phone: str | None
    website: str | None
    status: str
    created_at: datetime


ENTRY = TypeAdapter(ListedProvider)
SERVICE_ORDER = {t.value: position for position, t in enumerate(ServiceType)}


def _columns() -> list[Any]:
    """An entry's fields, read from the provider's row, each one's service types and areas
    joined by commas (no code or type holds one)."""
    service_types = (
        select(func.aggregate_strings(ProviderServiceType.service_type, ","))
        .where(ProviderServiceType.provider_id == Provider.id)
        .scalar_subquery()
    )
    area_codes = (
        select(func.aggregate_strings(ProviderArea.area_code, ","))
        .where(ProviderArea.provider_id == Provider.id)
        .scalar_subquery()
    )
    return [
        Provider.id,
        Provider.name,
        Provider.ciw_service_id,
        service_types,
        area_codes,
        Provider.hourly_rate_pence,
        Provider.capacity_hours_per_week,
        type_coerce(Provider.welsh_language, String),  # the values, as the answer gives them
        Provider.contact_email,
        Provider.phone,
        Provider.website,
        type_coerce(Provider.status, String),
        Provider.created_at,
    ]


# Built once: composing a statement costs more than the database's round trip.
ENTRY_ROWS = select(*_columns()).where(Provider.id.in_(bindparam("ids", expanding=True)))
# A Core statement, run once per row given: the session's objects are left as they are.
_PROVIDER = cast(Table, Provider.__table__)
KEEP_ENTRY = (
    update(_PROVIDER)
    .where(_PROVIDER.c.id == bindparam("provider_id"))
    .values(listing_entry=bindparam("entry"))
)


def _joined(values: str | None) -> list[str]:
    return values.split(",") if values else []


def entry(row: Sequence[Any]) -> bytes:
    """The entry of a row of `ENTRY_ROWS`."""
    listed: ListedProvider = {
        "id": row[0],
        "name": row[1],
        "ciw_service_id": row[2],
        "service_types": sorted(_joined(row[3]), key=SERVICE_ORDER.__getitem__),
        "area_codes": sorted(_joined(row[4])),
        "hourly_rate_pence": row[5],
        "capacity_hours_per_week": row[6],
        "welsh_language": row[7],
        "contact_email": row[8],
        "phone": row[9],
        "website": row[10],
        "status": row[11],
        "created_at": row[12],
    }
    return ENTRY.dump_json(listed)


async def keep_entries(session: AsyncSession, provider_ids: Collection[uuid.UUID]) -> None:
    """Render the providers' entries afresh from what the session has flushed, and keep
    them (nothing reads an entry through the ORM)."""
    ids = sorted(set(provider_ids))
    for start in range(0, len(ids), CHUNK):
        rows = (await session.execute(ENTRY_ROWS, {"ids": ids[start : start + CHUNK]})).all()
        if rows:
            await session.execute(
                KEEP_ENTRY, [{"provider_id": row[0], "entry": entry(row).decode()} for row in rows]
            )
