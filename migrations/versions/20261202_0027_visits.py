"""Visits: care recorded by the provider, confirmed by the holder, invoiced once.

A new table only: nothing that exists changes.

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-02 05:12:52.049843
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("worker_name", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "to_confirm",
                "confirmed",
                "queried",
                "rejected",
                name="visitstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "confirmed_by",
            sa.Enum(
                "member",
                "representative",
                "auto",
                "admin",
                name="confirmedby",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("query_reason", sa.Text(), nullable=True),
        sa.Column("queried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("queried_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("invoice_line_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_visit_ends_after_start")),
        sa.CheckConstraint("minutes BETWEEN 1 AND 1440", name=op.f("ck_visit_minutes_in_a_day")),
        sa.ForeignKeyConstraint(
            ["confirmed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_visit_confirmed_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_visit_contract_id_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invoice_line_id"],
            ["invoice_line.id"],
            name=op.f("fk_visit_invoice_line_id_invoice_line"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["coop_member.id"], name=op.f("fk_visit_member_id_coop_member")
        ),
        sa.ForeignKeyConstraint(
            ["queried_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_visit_queried_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_visit_recorded_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_visit_resolved_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visit_contract_id_member_id_starts_at",
            ["contract_id", "member_id", "starts_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_visit_invoice_line_id"), ["invoice_line_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visit_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            "ix_visit_status_recorded_at", ["status", "recorded_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_status_recorded_at")
        batch_op.drop_index(batch_op.f("ix_visit_member_id"))
        batch_op.drop_index(batch_op.f("ix_visit_invoice_line_id"))
        batch_op.drop_index("ix_visit_contract_id_member_id_starts_at")

    op.drop_table("visit")
