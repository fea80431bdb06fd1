"""Each provider's entry in the area listing, kept with the provider.

`provider.listing_entry` holds the JSON the API gives for the provider in a listing (the
fields of `ProviderRead`, its service types in the catalogue's order, its areas sorted),
rendered here for every provider there is and rewritten with every provider write from now
on: a listing page is its providers' entries joined.

The entries are rendered with pydantic as the service does, from a copy of the fields as they
stand at this revision (a migration never imports the service's code, which moves on).
Downgrading drops the column; nothing else held it.

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-03 17:00:00
"""

import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from pydantic import TypeAdapter
from typing_extensions import TypedDict  # pydantic takes typing's TypedDict from 3.12 only

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The catalogue's order of service types at this revision.
SERVICE_TYPES = (
    "domiciliary_support",
    "personal_assistant",
    "respite",
    "day_opportunities",
    "supported_living",
    "adult_placement",
    "care_home_adults",
    "community_support",
)
CHUNK = 500


class _Entry(TypedDict):
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


ENTRY = TypeAdapter(_Entry)

provider = sa.table(
    "provider",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("ciw_service_id", sa.String()),
    sa.column("hourly_rate_pence", sa.Integer()),
    sa.column("capacity_hours_per_week", sa.Integer()),
    sa.column("welsh_language", sa.String()),
    sa.column("contact_email", sa.String()),
    sa.column("phone", sa.String()),
    sa.column("website", sa.String()),
    sa.column("status", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("listing_entry", sa.Text()),
)
provider_service_type = sa.table(
    "provider_service_type", sa.column("provider_id", sa.Uuid()), sa.column("service_type")
)
provider_area = sa.table(
    "provider_area", sa.column("provider_id", sa.Uuid()), sa.column("area_code", sa.String())
)


def _utc(value: datetime) -> datetime:
    """As the service reads its times: aware, in UTC (SQLite keeps no offset)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade() -> None:
    # Added and dropped in place, never by copying the table (SQLite's batch mode): other
    # tables' rows refer to the providers, and SQLite would refuse to drop the old table.
    op.add_column("provider", sa.Column("listing_entry", sa.Text(), nullable=True))

    bind = op.get_bind()
    types: defaultdict[uuid.UUID, set[str]] = defaultdict(set)
    for provider_id, service_type in bind.execute(sa.select(provider_service_type)):
        types[provider_id].add(str(service_type))
    areas: defaultdict[uuid.UUID, list[str]] = defaultdict(list)
    for provider_id, area_code in bind.execute(sa.select(provider_area)):
        areas[provider_id].append(area_code)
    columns = [c for c in provider.c if c.name != "listing_entry"]
    entries = []
    for row in bind.execute(sa.select(*columns)).mappings():
        entry: _Entry = {
            "id": row["id"],
            "name": row["name"],
            "ciw_service_id": row["ciw_service_id"],
            "service_types": [t for t in SERVICE_TYPES if t in types[row["id"]]],
            "area_codes": sorted(areas[row["id"]]),
            "hourly_rate_pence": row["hourly_rate_pence"],
            "capacity_hours_per_week": row["capacity_hours_per_week"],
            "welsh_language": row["welsh_language"],
            "contact_email": row["contact_email"],
            "phone": row["phone"],
            "website": row["website"],
            "status": row["status"],
            "created_at": _utc(row["created_at"]),
        }
        entries.append({"provider_id": row["id"], "entry": ENTRY.dump_json(entry).decode()})
    kept = (
        provider.update()
        .where(provider.c.id == sa.bindparam("provider_id"))
        .values(listing_entry=sa.bindparam("entry"))
    )
    for start in range(0, len(entries), CHUNK):
        bind.execute(kept, entries[start : start + CHUNK])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        # No DROP COLUMN before SQLite 3.35: the table is copied instead, which works only
        # while no other table's rows refer to a provider.
        with op.batch_alter_table("provider", schema=None) as batch_op:
            batch_op.drop_column("listing_entry")
        return
    op.drop_column("provider", "listing_entry")
