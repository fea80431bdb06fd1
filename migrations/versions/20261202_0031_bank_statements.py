"""Bank statements: the lines a co-op's bank reported, and what each was found to be.

New tables only (`bank_statement`, `bank_line`, `bank_line_decision`): nothing that exists
changes, so there is nothing to carry forward. A line is stored once per co-op and dedup key
(the unique index `uq_bank_line_coop_id_dedup_key`, which concurrent imports rely on); a
line has one decision at most, and a ledger transaction is matched to one line at most.
Downgrading drops the three tables and what they hold.

Revision ID: 0031
Revises: 0032
Create Date: 2026-12-02 05:47:08.522238
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bank_statement",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "format",
            sa.Enum(
                "csv",
                "ofx",
                name="statementformat",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_bank_statement_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["imported_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_bank_statement_imported_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statement")),
    )
    with op.batch_alter_table("bank_statement", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bank_statement_coop_id_imported_at", ["coop_id", "imported_at"], unique=False
        )

    op.create_table(
        "bank_line",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("statement_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("balance_pence", sa.BigInteger(), nullable=True),
        sa.Column("bank_id", sa.String(length=255), nullable=True),
        sa.Column("dedup_key", sa.String(length=100), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("amount_pence <> 0", name=op.f("ck_bank_line_amount_not_zero")),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_bank_line_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["bank_statement.id"],
            name=op.f("fk_bank_line_statement_id_bank_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_line")),
    )
    with op.batch_alter_table("bank_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bank_line_coop_id_booked_on", ["coop_id", "booked_on"], unique=False
        )
        batch_op.create_index("ix_bank_line_statement_id", ["statement_id"], unique=False)
        batch_op.create_index(
            "uq_bank_line_coop_id_dedup_key", ["coop_id", "dedup_key"], unique=True
        )

    op.create_table(
        "bank_line_decision",
        sa.Column("line_id", sa.Uuid(), nullable=False),
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "unmatched",
                "matched",
                "ignored",
                name="linestate",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column(
            "method",
            sa.Enum(
                "automatic",
                "manual",
                "contribution",
                name="matchmethod",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(state = 'ignored') = (reason IS NOT NULL)",
            name=op.f("ck_bank_line_decision_ignored_has_reason"),
        ),
        sa.CheckConstraint(
            "(state = 'matched') = (transaction_id IS NOT NULL AND method IS NOT NULL)",
            name=op.f("ck_bank_line_decision_matched_has_transaction"),
        ),
        sa.CheckConstraint("state <> 'unmatched'", name=op.f("ck_bank_line_decision_decided")),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_bank_line_decision_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_bank_line_decision_decided_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["bank_line.id"], name=op.f("fk_bank_line_decision_line_id_bank_line")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_bank_line_decision_transaction_id_ledger_transaction"),
        ),
        sa.PrimaryKeyConstraint("line_id", name=op.f("pk_bank_line_decision")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_bank_line_decision_transaction_id")),
    )
    with op.batch_alter_table("bank_line_decision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bank_line_decision_coop_id_state", ["coop_id", "state"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("bank_line_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_bank_line_decision_coop_id_state")

    op.drop_table("bank_line_decision")
    with op.batch_alter_table("bank_line", schema=None) as batch_op:
        batch_op.drop_index("uq_bank_line_coop_id_dedup_key")
        batch_op.drop_index("ix_bank_line_statement_id")
        batch_op.drop_index("ix_bank_line_coop_id_booked_on")

    op.drop_table("bank_line")
    with op.batch_alter_table("bank_statement", schema=None) as batch_op:
        batch_op.drop_index("ix_bank_statement_coop_id_imported_at")

    op.drop_table("bank_statement")
