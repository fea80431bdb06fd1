"""Directory stamps per area, and the area listing's keys on each area row.

* `provider_area_stamp` holds one stamp per area, rewritten in the same transaction as every
  write to a provider that serves the area before or after the write. Every area gets its
  row here, with a fresh stamp.
* `provider_directory_stamp` stays, still rewritten by every provider write: it keys the
  answers that span areas.
* `provider_area` gains a copy of its provider's listing keys, `listed` (the provider is
  verified), `hourly_rate_pence` and `name_search`, filled in here from the providers and
  rewritten with every provider write from now on, and the index
  `ix_provider_area_listing` (area_code, listed, hourly_rate_pence, name_search,
  provider_id): an area's listing walks it in listing order and stops after a page.

Downgrading drops the table, the index and the copies (the providers keep the originals);
the single stamp carries on alone, as before.

Revision ID: 0039
Revises: 0029
Create Date: 2026-12-02 12:40:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

provider = sa.table(
    "provider",
    sa.column("id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("hourly_rate_pence", sa.Integer()),
    sa.column("name_search", sa.String()),
)
provider_area = sa.table(
    "provider_area",
    sa.column("provider_id", sa.Uuid()),
    sa.column("listed", sa.Boolean()),
    sa.column("hourly_rate_pence", sa.Integer()),
    sa.column("name_search", sa.String()),
)


def _of_provider(column: sa.ColumnElement[object]) -> sa.ScalarSelect[object]:
    return sa.select(column).where(provider.c.id == provider_area.c.provider_id).scalar_subquery()


def upgrade() -> None:
    op.create_table(
        "provider_area_stamp",
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column("stamp", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_provider_area_stamp_area_code_area")
        ),
        sa.PrimaryKeyConstraint("area_code", name=op.f("pk_provider_area_stamp")),
    )
    codes = op.get_bind().execute(sa.text("SELECT code FROM area ORDER BY code")).scalars().all()
    stamps = sa.table(
        "provider_area_stamp", sa.column("area_code", sa.String), sa.column("stamp", sa.Uuid)
    )
    if codes:
        op.bulk_insert(stamps, [{"area_code": code, "stamp": uuid.uuid4()} for code in codes])

    with op.batch_alter_table("provider_area", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("hourly_rate_pence", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("name_search", sa.String(length=200), nullable=True))
    op.execute(
        provider_area.update().values(
            listed=_of_provider(provider.c.status == "verified"),
            hourly_rate_pence=_of_provider(provider.c.hourly_rate_pence),
            name_search=_of_provider(provider.c.name_search),
        )
    )
    with op.batch_alter_table("provider_area", schema=None) as batch_op:
        batch_op.create_index(
            "ix_provider_area_listing",
            ["area_code", "listed", "hourly_rate_pence", "name_search", "provider_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("provider_area", schema=None) as batch_op:
        batch_op.drop_index("ix_provider_area_listing")
        batch_op.drop_column("name_search")
        batch_op.drop_column("hourly_rate_pence")
        batch_op.drop_column("listed")
    op.drop_table("provider_area_stamp")
