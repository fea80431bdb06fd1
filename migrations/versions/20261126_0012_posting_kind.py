"""The transaction's kind copied onto each of its postings.

The councils' figures pick an account's contributions in a period out of its postings; with
the kind on the posting (in the covering index on PostgreSQL) that needs no look-up of the
transaction per posting. A foreign key on (transaction_id, kind) to the transaction's
(id, kind) makes the database hold the copy equal to the original, so the copy is safe.

Existing postings take their transaction's kind. The ledger is append-only (triggers of
revision 0004): the backfill is the one update ever made to it, with those triggers out of
the way for this transaction only (PostgreSQL) or dropped and recreated (SQLite, where the
table is rebuilt anyway to add the constraint).

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-26 06:42:33.059600
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTRIBUTION = sa.text("kind = 'contribution'")
KINDS = (
    "contribution",
    "refund",
    "leaving_refund",
    "invoice_approval",
    "invoice_payment",
    "support_charge",
    "reversal",
)
SINGLE_FK = "fk_ledger_posting_transaction_id_ledger_transaction"
PAIR_FK = "fk_ledger_posting_transaction_id_kind_ledger_transaction"
COVERING = "ix_ledger_posting_account_id_created_at"
BACKFILL = sa.text(
    "UPDATE ledger_posting SET kind = (SELECT t.kind FROM ledger_transaction t "
    "WHERE t.id = ledger_posting.transaction_id)"
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _sqlite_triggers(create: bool) -> None:
    """The append-only triggers of revision 0004 on ledger_posting (SQLite only)."""
    for verb in ("UPDATE", "DELETE"):
        name = f"ledger_posting_no_{verb.lower()}"
        if create:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {verb} ON ledger_posting "
                "BEGIN SELECT RAISE(ABORT, 'ledger_posting is append-only: correct a mistake "
                "with a reversing transaction'); END"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.create_index("uq_ledger_transaction_id_kind", ["id", "kind"], unique=True)
        batch_op.drop_index(
            "ix_ledger_transaction_contribution_id",
            postgresql_where=CONTRIBUTION,
            sqlite_where=CONTRIBUTION,
        )

    kind = sa.Enum(
        *KINDS,
        name="transactionkind",
        native_enum=False,
        create_constraint=True,
        length=40,
    )
    if _postgresql():
        op.add_column("ledger_posting", sa.Column("kind", sa.String(40), nullable=True))
        op.execute("ALTER TABLE ledger_posting DISABLE TRIGGER ledger_posting_append_only")
        op.execute(BACKFILL)
        op.execute("ALTER TABLE ledger_posting ENABLE TRIGGER ledger_posting_append_only")
        op.alter_column("ledger_posting", "kind", nullable=False)
        op.create_check_constraint(
            op.f("ck_ledger_posting_transactionkind"),
            "ledger_posting",
            sa.column("kind").in_(KINDS),
        )
        op.drop_constraint(SINGLE_FK, "ledger_posting", type_="foreignkey")
        op.create_foreign_key(
            PAIR_FK,
            "ledger_posting",
            "ledger_transaction",
            ["transaction_id", "kind"],
            ["id", "kind"],
        )
        op.drop_index(COVERING, table_name="ledger_posting")
        op.create_index(
            COVERING,
            "ledger_posting",
            ["account_id", "created_at"],
            postgresql_include=["amount_pence", "transaction_id", "kind"],
        )
        return

    _sqlite_triggers(create=False)
    with op.batch_alter_table("ledger_posting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(40), nullable=True))
    op.execute(BACKFILL)
    with op.batch_alter_table("ledger_posting", schema=None, recreate="always") as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(40), type_=kind, nullable=False)
        batch_op.drop_constraint(SINGLE_FK, type_="foreignkey")
        batch_op.create_foreign_key(
            PAIR_FK, "ledger_transaction", ["transaction_id", "kind"], ["id", "kind"]
        )
    _sqlite_triggers(create=True)


def downgrade() -> None:
    if _postgresql():
        op.drop_index(COVERING, table_name="ledger_posting")
        op.create_index(
            COVERING,
            "ledger_posting",
            ["account_id", "created_at"],
            postgresql_include=["amount_pence", "transaction_id"],
        )
        op.drop_constraint(PAIR_FK, "ledger_posting", type_="foreignkey")
        op.create_foreign_key(
            SINGLE_FK, "ledger_posting", "ledger_transaction", ["transaction_id"], ["id"]
        )
        # Dropping a column rewrites no row: the append-only triggers do not fire.
        op.drop_column("ledger_posting", "kind")
    else:
        _sqlite_triggers(create=False)
        with op.batch_alter_table("ledger_posting", schema=None, recreate="always") as batch_op:
            batch_op.drop_constraint(PAIR_FK, type_="foreignkey")
            batch_op.drop_constraint(op.f("ck_ledger_posting_transactionkind"), type_="check")
            batch_op.create_foreign_key(SINGLE_FK, "ledger_transaction", ["transaction_id"], ["id"])
            batch_op.drop_column("kind")
        _sqlite_triggers(create=True)

    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_transaction_contribution_id",
            ["id"],
            unique=False,
            postgresql_where=CONTRIBUTION,
            sqlite_where=CONTRIBUTION,
        )
        batch_op.drop_index("uq_ledger_transaction_id_kind")
