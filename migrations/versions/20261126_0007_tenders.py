"""Collective tenders: areas, demand, questions, sealed bids, awards, contracts, invoices.

Revision ID: 0007
Revises: 0008
Create Date: 2026-11-26 05:27:31.674142
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tender",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
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
        sa.Column("max_hourly_rate_pence", sa.Integer(), nullable=False),
        sa.Column(
            "welsh_language_required",
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
        sa.Column("price_weight", sa.Integer(), nullable=False),
        sa.Column("quality_weight", sa.Integer(), nullable=False),
        sa.Column("submission_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("standstill_days", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "evaluation",
                "award_pending_vote",
                "awarded",
                "contracted",
                "cancelled",
                "unsuccessful",
                name="tenderstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bids_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("max_hourly_rate_pence > 0", name=op.f("ck_tender_max_rate_positive")),
        sa.CheckConstraint(
            "price_weight >= 0 AND quality_weight >= 0 AND price_weight + quality_weight = 100",
            name=op.f("ck_tender_weights_sum_to_100"),
        ),
        sa.CheckConstraint("standstill_days >= 0", name=op.f("ck_tender_standstill_not_negative")),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_tender_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_tender_created_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender")),
    )
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tender_coop_id_created_at", ["coop_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_tender_status_submission_deadline", ["status", "submission_deadline"], unique=False
        )

    op.create_table(
        "tender_area",
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_tender_area_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
            name=op.f("fk_tender_area_tender_id_tender"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("area_code", "tender_id", name=op.f("pk_tender_area")),
    )
    with op.batch_alter_table("tender_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tender_area_tender_id"), ["tender_id"], unique=False)

    op.create_table(
        "tender_bid",
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "withdrawn",
                name="bidstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("hourly_rate_pence", sa.Integer(), nullable=False),
        sa.Column("capacity_hours_per_week", sa.Integer(), nullable=False),
        sa.Column("quality_statement", sa.Text(), nullable=False),
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
        sa.Column("quality_score", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("amended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "capacity_hours_per_week > 0", name=op.f("ck_tender_bid_capacity_positive")
        ),
        sa.CheckConstraint("hourly_rate_pence > 0", name=op.f("ck_tender_bid_rate_positive")),
        sa.CheckConstraint(
            "quality_score BETWEEN 0 AND 100", name=op.f("ck_tender_bid_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_tender_bid_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_tender_bid_submitted_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tender.id"], name=op.f("fk_tender_bid_tender_id_tender")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_bid")),
    )
    with op.batch_alter_table("tender_bid", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tender_bid_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tender_bid_tender_id"), ["tender_id"], unique=False)
        batch_op.create_index(
            "uq_tender_bid_live",
            ["tender_id", "provider_id"],
            unique=True,
            postgresql_where=sa.text("status = 'submitted'"),
            sqlite_where=sa.text("status = 'submitted'"),
        )

    op.create_table(
        "tender_demand",
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "hours_per_week BETWEEN 1 AND 168", name=op.f("ck_tender_demand_hours_in_a_week")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["coop_member.id"], name=op.f("fk_tender_demand_member_id_coop_member")
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
            name=op.f("fk_tender_demand_tender_id_tender"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tender_id", "member_id", name=op.f("pk_tender_demand")),
    )
    with op.batch_alter_table("tender_demand", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tender_demand_member_id"), ["member_id"], unique=False)

    op.create_table(
        "tender_question",
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_tender_question_answered_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"],
            ["tender.id"],
            name=op.f("fk_tender_question_tender_id_tender"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_question")),
    )
    with op.batch_alter_table("tender_question", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tender_question_tender_id_asked_at", ["tender_id", "asked_at"], unique=False
        )

    op.create_table(
        "contract",
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("bid_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("hourly_rate_pence", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                name="contractstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("hourly_rate_pence > 0", name=op.f("ck_contract_rate_positive")),
        sa.ForeignKeyConstraint(
            ["bid_id"], ["tender_bid.id"], name=op.f("fk_contract_bid_id_tender_bid")
        ),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_contract_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_contract_created_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_contract_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tender.id"], name=op.f("fk_contract_tender_id_tender")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("tender_id", name=op.f("uq_contract_tender_id")),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_coop_id"), ["coop_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "tender_award",
        sa.Column("tender_id", sa.Uuid(), nullable=False),
        sa.Column("bid_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending_vote",
                "awarded",
                "rejected",
                name="awardstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("proposal_id", sa.Uuid(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("awarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("standstill_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bid_id"], ["tender_bid.id"], name=op.f("fk_tender_award_bid_id_tender_bid")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposal.id"], name=op.f("fk_tender_award_proposal_id_proposal")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_tender_award_proposed_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tender.id"], name=op.f("fk_tender_award_tender_id_tender")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tender_award")),
    )
    with op.batch_alter_table("tender_award", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tender_award_proposal_id"), ["proposal_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tender_award_tender_id"), ["tender_id"], unique=False)
        batch_op.create_index(
            "uq_tender_award_live",
            ["tender_id"],
            unique=True,
            postgresql_where=sa.text("status <> 'rejected'"),
            sqlite_where=sa.text("status <> 'rejected'"),
        )

    op.create_table(
        "contract_call_off",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "hours_per_week BETWEEN 1 AND 168", name=op.f("ck_contract_call_off_hours_in_a_week")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_call_off_contract_id_contract"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["coop_member.id"],
            name=op.f("fk_contract_call_off_member_id_coop_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_call_off")),
        sa.UniqueConstraint(
            "contract_id", "member_id", name=op.f("uq_contract_call_off_contract_id_member_id")
        ),
    )
    with op.batch_alter_table("contract_call_off", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_call_off_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "invoice",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "approved",
                "paid",
                name="invoicestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approval_transaction_id", sa.Uuid(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_transaction_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_invoice_period_in_order")),
        sa.ForeignKeyConstraint(
            ["approval_transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_invoice_approval_transaction_id_ledger_transaction"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_invoice_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["payment_transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_invoice_payment_transaction_id_ledger_transaction"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_invoice_submitted_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice")),
    )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index(
            "ix_invoice_contract_id_period_start", ["contract_id", "period_start"], unique=False
        )

    op.create_table(
        "invoice_line",
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "ok",
                "disputed",
                "voided",
                name="invoicelinestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("dispute_reason", sa.Text(), nullable=True),
        sa.Column("disputed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disputed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "upheld",
                "rejected",
                name="disputeoutcome",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("amount_pence >= 0", name=op.f("ck_invoice_line_amount_not_negative")),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_invoice_line_minutes_positive")),
        sa.ForeignKeyConstraint(
            ["disputed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_invoice_line_disputed_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoice.id"],
            name=op.f("fk_invoice_line_invoice_id_invoice"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["coop_member.id"], name=op.f("fk_invoice_line_member_id_coop_member")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_invoice_line_resolved_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_line")),
        sa.UniqueConstraint(
            "invoice_id", "position", name=op.f("uq_invoice_line_invoice_id_position")
        ),
    )
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_line_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invoice_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_line_member_id"))

    op.drop_table("invoice_line")
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index("ix_invoice_contract_id_period_start")

    op.drop_table("invoice")
    with op.batch_alter_table("contract_call_off", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_call_off_member_id"))

    op.drop_table("contract_call_off")
    with op.batch_alter_table("tender_award", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_tender_award_live",
            postgresql_where=sa.text("status <> 'rejected'"),
            sqlite_where=sa.text("status <> 'rejected'"),
        )
        batch_op.drop_index(batch_op.f("ix_tender_award_tender_id"))
        batch_op.drop_index(batch_op.f("ix_tender_award_proposal_id"))

    op.drop_table("tender_award")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_provider_id"))
        batch_op.drop_index(batch_op.f("ix_contract_coop_id"))

    op.drop_table("contract")
    with op.batch_alter_table("tender_question", schema=None) as batch_op:
        batch_op.drop_index("ix_tender_question_tender_id_asked_at")

    op.drop_table("tender_question")
    with op.batch_alter_table("tender_demand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_demand_member_id"))

    op.drop_table("tender_demand")
    with op.batch_alter_table("tender_bid", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_tender_bid_live",
            postgresql_where=sa.text("status = 'submitted'"),
            sqlite_where=sa.text("status = 'submitted'"),
        )
        batch_op.drop_index(batch_op.f("ix_tender_bid_tender_id"))
        batch_op.drop_index(batch_op.f("ix_tender_bid_provider_id"))

    op.drop_table("tender_bid")
    with op.batch_alter_table("tender_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tender_area_tender_id"))

    op.drop_table("tender_area")
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_index("ix_tender_status_submission_deadline")
        batch_op.drop_index("ix_tender_coop_id_created_at")

    op.drop_table("tender")
