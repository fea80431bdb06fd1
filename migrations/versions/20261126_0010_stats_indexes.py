"""Indexes for the councils' figures: transactions of a kind in a period, postings by time.

(`direct_payment_award.area_code` is indexed since the foundation revision.)

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-26 05:29:33.398838
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_posting", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_posting_created_at", ["created_at"], unique=False)

    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_transaction_kind_created_at",
            ["kind", "created_at", "coop_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_transaction_kind_created_at")

    with op.batch_alter_table("ledger_posting", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_posting_created_at")
