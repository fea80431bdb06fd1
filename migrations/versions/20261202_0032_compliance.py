"""Compliance records: DBS checks, insurance, registrations and the like, with their expiry.

A new table only: nothing that exists changes, so there are no rows to carry forward. Records
are never changed once written (a renewal or a correction is a new record): a trigger refuses
any UPDATE of a row, on SQLite and PostgreSQL alike.

Revision ID: 0032
Revises: 0028
Create Date: 2026-12-02 05:23:21.322376
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "compliance_record is never updated: a renewal or a correction is a new record"


def upgrade() -> None:
    op.create_table(
        "compliance_record",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "subject_kind",
            sa.Enum(
                "member",
                "worker",
                "provider",
                name="subjectkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "dbs_enhanced",
                "dbs_basic",
                "right_to_work",
                "employers_liability",
                "public_liability",
                "ciw_registration",
                "training",
                "employment_contract",
                name="compliancekind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on > issued_on",
            name=op.f("ck_compliance_record_expires_after_issue"),
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_compliance_record_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_compliance_record_recorded_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_compliance_record")),
        sa.UniqueConstraint("id", name=op.f("uq_compliance_record_id")),
    )
    with op.batch_alter_table("compliance_record", schema=None) as batch_op:
        batch_op.create_index("ix_compliance_record_expires_on", ["expires_on"], unique=False)
        batch_op.create_index(
            "ix_compliance_record_subject",
            ["coop_id", "subject_kind", "subject_id", "kind", "seq"],
            unique=False,
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION compliance_record_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER compliance_record_no_update BEFORE UPDATE ON compliance_record "
            "FOR EACH ROW EXECUTE FUNCTION compliance_record_unchanged()"
        )
    else:
        op.execute(
            "CREATE TRIGGER compliance_record_no_update BEFORE UPDATE ON compliance_record "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS compliance_record_no_update ON compliance_record")
        op.execute("DROP FUNCTION IF EXISTS compliance_record_unchanged()")
    else:
        op.execute("DROP TRIGGER IF EXISTS compliance_record_no_update")
    with op.batch_alter_table("compliance_record", schema=None) as batch_op:
        batch_op.drop_index("ix_compliance_record_subject")
        batch_op.drop_index("ix_compliance_record_expires_on")
    op.drop_table("compliance_record")
