"""Evidence for councils: holders' grants of council access, and councils' monitoring
profiles.

Two new tables only: nothing that exists changes. An area without a profile reads the
defaults, so existing areas need no rows. The new mandate scope `share` needs no change of
schema (a mandate's scopes are a JSON list).

Revision ID: 0030
Revises: 0034
Create Date: 2026-12-02 05:40:26.903073
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area_monitoring_profile",
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column(
            "period",
            sa.Enum(
                "four_weekly",
                "monthly",
                "quarterly",
                "annual",
                name="monitoringperiod",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("surplus_weeks", sa.Integer(), nullable=False),
        sa.Column("first_review_weeks", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_user_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "first_review_weeks BETWEEN 1 AND 104",
            name=op.f("ck_area_monitoring_profile_first_review_weeks_in_range"),
        ),
        sa.CheckConstraint(
            "surplus_weeks BETWEEN 1 AND 52",
            name=op.f("ck_area_monitoring_profile_surplus_weeks_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_area_monitoring_profile_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_area_monitoring_profile_updated_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("area_code", name=op.f("pk_area_monitoring_profile")),
    )
    op.create_table(
        "council_access_grant",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("holder_user_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= granted_at",
            name=op.f("ck_council_access_grant_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_council_access_grant_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_council_access_grant_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_council_access_grant_ended_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_council_access_grant_granted_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["holder_user_id"],
            ["user_account.id"],
            name=op.f("fk_council_access_grant_holder_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["coop_member.id"],
            name=op.f("fk_council_access_grant_member_id_coop_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_access_grant")),
    )
    with op.batch_alter_table("council_access_grant", schema=None) as batch_op:
        batch_op.create_index(
            "ix_council_access_grant_area_code_ended_at", ["area_code", "ended_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_council_access_grant_holder_user_id"), ["holder_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_council_access_grant_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("council_access_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_access_grant_member_id"))
        batch_op.drop_index(batch_op.f("ix_council_access_grant_holder_user_id"))
        batch_op.drop_index("ix_council_access_grant_area_code_ended_at")

    op.drop_table("council_access_grant")
    op.drop_table("area_monitoring_profile")
