"""Shared administrative support: services, subscription periods, requests and comments.

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-26 04:25:55.072198
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "support_service",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "payroll",
                "dbs_checks",
                "insurance",
                "dp_returns",
                "recruitment",
                "training",
                "other",
                name="supportcategory",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("monthly_fee_pence", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "monthly_fee_pence >= 0", name=op.f("ck_support_service_monthly_fee_pence_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_support_service_coop_id_coop")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_service")),
    )
    with op.batch_alter_table("support_service", schema=None) as batch_op:
        batch_op.create_index(
            "ix_support_service_coop_id_created_at", ["coop_id", "created_at"], unique=False
        )

    op.create_table(
        "subscription_period",
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_subscription_period_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["coop_member.id"],
            name=op.f("fk_subscription_period_member_id_coop_member"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["support_service.id"],
            name=op.f("fk_subscription_period_service_id_support_service"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_period")),
    )
    with op.batch_alter_table("subscription_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscription_period_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            "ix_subscription_period_service_id_started_on",
            ["service_id", "started_on"],
            unique=False,
        )
        batch_op.create_index(
            "uq_subscription_period_open",
            ["service_id", "member_id"],
            unique=True,
            postgresql_where=sa.text("ended_on IS NULL"),
            sqlite_where=sa.text("ended_on IS NULL"),
        )

    op.create_table(
        "support_request",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("requester_member_id", sa.Uuid(), nullable=False),
        sa.Column("raised_by_user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "payroll",
                "dbs_checks",
                "insurance",
                "dp_returns",
                "recruitment",
                "training",
                "other",
                name="supportcategory",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "priority",
            sa.Enum(
                "low",
                "normal",
                "urgent",
                name="priority",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "resolved",
                name="supportstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("assignee_member_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_member_id"],
            ["coop_member.id"],
            name=op.f("fk_support_request_assignee_member_id_coop_member"),
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_support_request_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_support_request_raised_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["requester_member_id"],
            ["coop_member.id"],
            name=op.f("fk_support_request_requester_member_id_coop_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_request")),
    )
    with op.batch_alter_table("support_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_support_request_assignee_member_id", ["assignee_member_id"], unique=False
        )
        batch_op.create_index(
            "ix_support_request_coop_id_created_at", ["coop_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_support_request_requester_member_id", ["requester_member_id"], unique=False
        )

    op.create_table(
        "support_comment",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_member_id", sa.Uuid(), nullable=False),
        sa.Column("written_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_support_comment_number_positive")),
        sa.ForeignKeyConstraint(
            ["author_member_id"],
            ["coop_member.id"],
            name=op.f("fk_support_comment_author_member_id_coop_member"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_request.id"],
            name=op.f("fk_support_comment_request_id_support_request"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_support_comment_written_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_comment")),
        sa.UniqueConstraint(
            "request_id", "number", name=op.f("uq_support_comment_request_id_number")
        ),
    )


def downgrade() -> None:
    op.drop_table("support_comment")
    with op.batch_alter_table("support_request", schema=None) as batch_op:
        batch_op.drop_index("ix_support_request_requester_member_id")
        batch_op.drop_index("ix_support_request_coop_id_created_at")
        batch_op.drop_index("ix_support_request_assignee_member_id")

    op.drop_table("support_request")
    with op.batch_alter_table("subscription_period", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_subscription_period_open",
            postgresql_where=sa.text("ended_on IS NULL"),
            sqlite_where=sa.text("ended_on IS NULL"),
        )
        batch_op.drop_index("ix_subscription_period_service_id_started_on")
        batch_op.drop_index(batch_op.f("ix_subscription_period_member_id"))

    op.drop_table("subscription_period")
    with op.batch_alter_table("support_service", schema=None) as batch_op:
        batch_op.drop_index("ix_support_service_coop_id_created_at")

    op.drop_table("support_service")
