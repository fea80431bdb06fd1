"""OCDS as a record of publication: stored releases that never change, and Welsh tender texts.

`ocds_release` holds every published release as the exact text served, numbered in
publication order (`seq`, given under the lock on the one row of `ocds_feed_head`).
Triggers refuse any UPDATE or DELETE of a release (and TRUNCATE on PostgreSQL), as on the
ledger and the audit chain: a correction is a new release. Tenders gain `title_cy` and
`description_cy`.

The one-time step: tenders already published get their releases rebuilt once from the rows
as their first stored releases (`app.tenders.ocds.backfill`, which says what it takes from
where), under the ocid prefix DPC_OCID_PREFIX names when the migration runs.

Downgrading drops the releases (the older code rebuilds its packages from the rows) and
the Welsh texts.

Revision ID: 0023
Revises: 0019
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.config import Settings
from app.tenders.ocds import backfill

revision: str = "0023"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "ocds_release is append-only: a published release is never changed or removed"


def upgrade() -> None:
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_cy", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("description_cy", sa.Text(), nullable=True))

    op.create_table(
        "ocds_feed_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ocds_feed_head")),
    )
    op.create_table(
        "ocds_release",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("release_id", sa.String(length=300), nullable=False),
        sa.Column("ocid", sa.String(length=200), nullable=False),
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tender.id"], name=op.f("fk_ocds_release_tender_id_tender")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_ocds_release")),
        sa.UniqueConstraint("release_id", name=op.f("uq_ocds_release_release_id")),
    )
    with op.batch_alter_table("ocds_release", schema=None) as batch_op:
        batch_op.create_index("ix_ocds_release_date", ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_ocds_release_ocid"), ["ocid"], unique=False)
        batch_op.create_index("ix_ocds_release_tender_id_seq", ["tender_id", "seq"], unique=False)

    backfill.store(op.get_bind(), ocid_prefix=Settings().ocid_prefix)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION ocds_release_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER ocds_release_append_only BEFORE UPDATE OR DELETE ON ocds_release "
            "FOR EACH ROW EXECUTE FUNCTION ocds_release_append_only()"
        )
        op.execute(
            "CREATE TRIGGER ocds_release_no_truncate BEFORE TRUNCATE ON ocds_release "
            "FOR EACH STATEMENT EXECUTE FUNCTION ocds_release_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER ocds_release_no_{verb.lower()} BEFORE {verb} ON ocds_release "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    # Dropping the table drops its triggers; the function outlives it on PostgreSQL.
    op.drop_table("ocds_release")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ocds_release_append_only()")
    op.drop_table("ocds_feed_head")
    # In place, never by copying the table: SQLite (3.35 and later) drops a plain column
    # itself, and copying `tender` would mean dropping a table other rows refer to.
    with op.batch_alter_table("tender", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("description_cy")
        batch_op.drop_column("title_cy")
