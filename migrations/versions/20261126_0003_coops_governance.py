"""Co-operatives and members, Direct Payment awards, mandates and approvals, proposals and votes.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26 03:58:28.562234
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coop",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "voting_mode",
            sa.Enum(
                "one_member_one_vote",
                "class_weighted",
                name="votingmode",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("class_weights", sa.JSON(), nullable=True),
        sa.Column("quorum_percent", sa.Integer(), nullable=False),
        sa.Column("pass_percent", sa.Integer(), nullable=False),
        sa.Column("award_requires_vote", sa.Boolean(), nullable=False),
        sa.Column("refund_second_approval_pence", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "pass_percent BETWEEN 0 AND 100", name=op.f("ck_coop_pass_percent_range")
        ),
        sa.CheckConstraint(
            "quorum_percent BETWEEN 0 AND 100", name=op.f("ck_coop_quorum_percent_range")
        ),
        sa.CheckConstraint(
            "refund_second_approval_pence >= 0",
            name=op.f("ck_coop_refund_second_approval_pence_non_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop")),
    )
    op.create_table(
        "approval",
        sa.Column("holder_user_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("coop_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "refused",
                name="approvalstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_approval_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["holder_user_id"],
            ["user_account.id"],
            name=op.f("fk_approval_holder_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_approval_requested_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval")),
    )
    with op.batch_alter_table("approval", schema=None) as batch_op:
        batch_op.create_index(
            "ix_approval_holder_user_id_status", ["holder_user_id", "status"], unique=False
        )

    op.create_table(
        "coop_area",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_coop_area_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_coop_area_coop_id_coop"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("coop_id", "area_code", name=op.f("pk_coop_area")),
    )
    with op.batch_alter_table("coop_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coop_area_area_code"), ["area_code"], unique=False)

    op.create_table(
        "coop_member",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "member_class",
            sa.Enum(
                "service_user",
                "carer",
                "worker",
                "community_supporter",
                "local_authority",
                name="memberclass",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "active",
                "suspended",
                "left",
                name="memberstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_coop_member_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_coop_member_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_member")),
    )
    with op.batch_alter_table("coop_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coop_member_coop_id"), ["coop_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coop_member_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_coop_member_live",
            ["coop_id", "user_id"],
            unique=True,
            postgresql_where=sa.text("status <> 'left'"),
            sqlite_where=sa.text("status <> 'left'"),
        )

    op.create_table(
        "direct_payment_award",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column("weekly_amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("assessed_hours_per_week", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date",
            name=op.f("ck_direct_payment_award_end_after_start"),
        ),
        sa.CheckConstraint(
            "weekly_amount_pence >= 1",
            name=op.f("ck_direct_payment_award_weekly_amount_pence_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_direct_payment_award_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_direct_payment_award_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_direct_payment_award")),
        sa.UniqueConstraint("user_id", name=op.f("uq_direct_payment_award_user_id")),
    )
    with op.batch_alter_table("direct_payment_award", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_direct_payment_award_area_code"), ["area_code"], unique=False
        )

    op.create_table(
        "mandate",
        sa.Column("holder_user_id", sa.Uuid(), nullable=False),
        sa.Column("representative_user_id", sa.Uuid(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("limit_pence_per_cycle", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "holder_user_id <> representative_user_id", name=op.f("ck_mandate_not_self")
        ),
        sa.CheckConstraint(
            "limit_pence_per_cycle >= 0", name=op.f("ck_mandate_limit_pence_per_cycle_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["holder_user_id"],
            ["user_account.id"],
            name=op.f("fk_mandate_holder_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["representative_user_id"],
            ["user_account.id"],
            name=op.f("fk_mandate_representative_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandate")),
    )
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mandate_holder_user_id"), ["holder_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mandate_representative_user_id"),
            ["representative_user_id"],
            unique=False,
        )
        batch_op.create_index(
            "uq_mandate_live",
            ["holder_user_id", "representative_user_id"],
            unique=True,
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        )

    op.create_table(
        "proposal",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "general",
                "award_tender",
                name="proposalkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "passed",
                "rejected",
                "no_quorum",
                name="proposalstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("opened_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "voting_mode",
            sa.Enum(
                "one_member_one_vote",
                "class_weighted",
                name="votingmode",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("class_weights", sa.JSON(), nullable=True),
        sa.Column("quorum_percent", sa.Integer(), nullable=False),
        sa.Column("pass_percent", sa.Integer(), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=False),
        sa.Column("yes_votes", sa.Integer(), nullable=True),
        sa.Column("no_votes", sa.Integer(), nullable=True),
        sa.Column("abstain_votes", sa.Integer(), nullable=True),
        sa.Column("yes_share", sa.String(length=10), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("closes_at > opened_at", name=op.f("ck_proposal_closes_after_opening")),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_proposal_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["opened_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_proposal_opened_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_proposal_coop_id_opened_at", ["coop_id", "opened_at"], unique=False
        )
        batch_op.create_index("ix_proposal_status_closes_at", ["status", "closes_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_proposal_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "proposal_elector",
        sa.Column("proposal_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column(
            "member_class",
            sa.Enum(
                "service_user",
                "carer",
                "worker",
                "community_supporter",
                "local_authority",
                name="memberclass",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["coop_member.id"],
            name=op.f("fk_proposal_elector_member_id_coop_member"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_proposal_elector_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "member_id", name=op.f("pk_proposal_elector")),
    )
    with op.batch_alter_table("proposal_elector", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_elector_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "proposal_vote",
        sa.Column("proposal_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column(
            "choice",
            sa.Enum(
                "yes",
                "no",
                "abstain",
                name="votechoice",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("cast_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cast_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_proposal_vote_cast_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id", "member_id"],
            ["proposal_elector.proposal_id", "proposal_elector.member_id"],
            name=op.f("fk_proposal_vote_proposal_id_proposal_elector"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "member_id", name=op.f("pk_proposal_vote")),
    )


def downgrade() -> None:
    op.drop_table("proposal_vote")
    with op.batch_alter_table("proposal_elector", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_elector_member_id"))

    op.drop_table("proposal_elector")
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_subject_id"))
        batch_op.drop_index("ix_proposal_status_closes_at")
        batch_op.drop_index("ix_proposal_coop_id_opened_at")

    op.drop_table("proposal")
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mandate_live",
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_mandate_representative_user_id"))
        batch_op.drop_index(batch_op.f("ix_mandate_holder_user_id"))

    op.drop_table("mandate")
    with op.batch_alter_table("direct_payment_award", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_direct_payment_award_area_code"))

    op.drop_table("direct_payment_award")
    with op.batch_alter_table("coop_member", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_coop_member_live",
            postgresql_where=sa.text("status <> 'left'"),
            sqlite_where=sa.text("status <> 'left'"),
        )
        batch_op.drop_index(batch_op.f("ix_coop_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_coop_member_coop_id"))

    op.drop_table("coop_member")
    with op.batch_alter_table("coop_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coop_area_area_code"))

    op.drop_table("coop_area")
    with op.batch_alter_table("approval", schema=None) as batch_op:
        batch_op.drop_index("ix_approval_holder_user_id_status")

    op.drop_table("approval")
    op.drop_table("coop")
