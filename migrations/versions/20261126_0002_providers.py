"""Providers: the directory, service types and areas offered, staff, the directory stamp.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 03:56:40.184750
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_search", sa.String(length=200), nullable=False),
        sa.Column("ciw_service_id", sa.String(length=50), nullable=True),
        sa.Column("hourly_rate_pence", sa.Integer(), nullable=False),
        sa.Column("capacity_hours_per_week", sa.Integer(), nullable=False),
        sa.Column(
            "welsh_language",
            sa.Enum(
                "none",
                "some",
                "full",
                name="welshlanguage",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "verified",
                "suspended",
                name="providerstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "capacity_hours_per_week > 0", name=op.f("ck_provider_capacity_positive")
        ),
        sa.CheckConstraint("hourly_rate_pence > 0", name=op.f("ck_provider_hourly_rate_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider")),
        sa.UniqueConstraint("ciw_service_id", name=op.f("uq_provider_ciw_service_id")),
    )
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.create_index(
            "ix_provider_name_search_contact_email", ["name_search", "contact_email"], unique=False
        )
        batch_op.create_index(
            "ix_provider_status_rate_name",
            ["status", "hourly_rate_pence", "name_search", "id"],
            unique=False,
        )

    op.create_table(
        "provider_directory_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.Uuid(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_provider_directory_stamp_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_directory_stamp")),
    )
    op.create_table(
        "provider_area",
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_provider_area_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_provider_area_provider_id_provider"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("area_code", "provider_id", name=op.f("pk_provider_area")),
    )
    with op.batch_alter_table("provider_area", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_area_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "provider_service_type",
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column(
            "service_type",
            sa.Enum(
                "domiciliary_support",
                "personal_assistant",
                "respite",
                "day_opportunities",
                "supported_living",
                "adult_placement",
                "care_home_adults",
                "community_support",
                name="servicetype",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_provider_service_type_provider_id_provider"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "provider_id", "service_type", name=op.f("pk_provider_service_type")
        ),
    )
    with op.batch_alter_table("provider_service_type", schema=None) as batch_op:
        batch_op.create_index(
            "ix_provider_service_type_service_type_provider_id",
            ["service_type", "provider_id"],
            unique=False,
        )

    op.create_table(
        "provider_staff",
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_provider_staff_added_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_provider_staff_provider_id_provider"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_provider_staff_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("provider_id", "user_id", name=op.f("pk_provider_staff")),
    )
    with op.batch_alter_table("provider_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provider_staff_user_id"), ["user_id"], unique=False)

    stamp = sa.table(
        "provider_directory_stamp", sa.column("id", sa.Integer), sa.column("stamp", sa.Uuid)
    )
    op.bulk_insert(stamp, [{"id": 1, "stamp": uuid.uuid4()}])


def downgrade() -> None:
    with op.batch_alter_table("provider_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_staff_user_id"))

    op.drop_table("provider_staff")
    with op.batch_alter_table("provider_service_type", schema=None) as batch_op:
        batch_op.drop_index("ix_provider_service_type_service_type_provider_id")

    op.drop_table("provider_service_type")
    with op.batch_alter_table("provider_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_area_provider_id"))

    op.drop_table("provider_area")
    op.drop_table("provider_directory_stamp")
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_index("ix_provider_status_rate_name")
        batch_op.drop_index("ix_provider_name_search_contact_email")

    op.drop_table("provider")
