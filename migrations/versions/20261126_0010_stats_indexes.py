"""Indexes for the councils' figures.

Whether a co-op has a transaction of a kind in a period; a partial index of contribution ids (so "is
this posting's transaction a contribution?" is answered from a small index alone); and, on
PostgreSQL, an account's postings in a period covering the amount and the transaction, so
they are read from the index alone. (`direct_payment_award.area_code` is indexed since the
foundation revision.)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 05:29:33.398838
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTRIBUTION = sa.text("kind = 'contribution'")


def upgrade() -> None:
    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_transaction_coop_id_kind_created_at",
            ["coop_id", "kind", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_ledger_transaction_contribution_id",
            ["id"],
            unique=False,
            postgresql_where=CONTRIBUTION,
            sqlite_where=CONTRIBUTION,
        )
    with op.batch_alter_table("ledger_posting", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_posting_account_id_created_at")
        batch_op.create_index(
            "ix_ledger_posting_account_id_created_at",
            ["account_id", "created_at"],
            unique=False,
            postgresql_include=["amount_pence", "transaction_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_posting", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_posting_account_id_created_at")
        batch_op.create_index(
            "ix_ledger_posting_account_id_created_at", ["account_id", "created_at"], unique=False
        )
    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_transaction_contribution_id")
        batch_op.drop_index("ix_ledger_transaction_coop_id_kind_created_at")
