"""Support charges: one row per service and month charged, with its ledger transaction.

Revision ID: 0009
Revises: 0011
Create Date: 2026-11-26 05:27:20.271107
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "support_charge",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("service_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("charged_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("amount_pence >= 1", name=op.f("ck_support_charge_amount_positive")),
        sa.ForeignKeyConstraint(
            ["charged_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_support_charge_charged_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_support_charge_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["support_service.id"],
            name=op.f("fk_support_charge_service_id_support_service"),
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_support_charge_transaction_id_ledger_transaction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_charge")),
        sa.UniqueConstraint(
            "service_id", "period", name=op.f("uq_support_charge_service_id_period")
        ),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_support_charge_transaction_id")),
    )
    with op.batch_alter_table("support_charge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_charge_coop_id"), ["coop_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("support_charge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_charge_coop_id"))

    op.drop_table("support_charge")
