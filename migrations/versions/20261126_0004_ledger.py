"""The pooled budget: ledger accounts, append-only transactions and postings, refunds.

The database itself refuses what must never happen: CHECK constraints keep member, shared and
provider balances from going below zero and postings from being zero, and triggers refuse any
UPDATE or DELETE of a transaction or a posting (a mistake is corrected by a reversing
transaction). Co-ops and members that already exist get their accounts here, as new ones get
them when they come into being.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 04:24:47.274974
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_transaction",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "contribution",
                "refund",
                "leaving_refund",
                "invoice_approval",
                "invoice_payment",
                "support_charge",
                "reversal",
                name="transactionkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("on_behalf_of_user_id", sa.Uuid(), nullable=True),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_ledger_transaction_actor_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_ledger_transaction_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["on_behalf_of_user_id"],
            ["user_account.id"],
            name=op.f("fk_ledger_transaction_on_behalf_of_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_ledger_transaction_reverses_id_ledger_transaction"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_ledger_transaction")),
        sa.UniqueConstraint("id", name=op.f("uq_ledger_transaction_id")),
    )
    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_transaction_coop_id_seq", ["coop_id", "seq"], unique=False)

    op.create_table(
        "ledger_account",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "member",
                "shared",
                "provider",
                "external",
                name="accountkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("balance_pence", sa.BigInteger(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "kind = 'external' OR balance_pence >= 0",
            name=op.f("ck_ledger_account_balance_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_ledger_account_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["coop_member.id"], name=op.f("fk_ledger_account_member_id_coop_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_account")),
    )
    with op.batch_alter_table("ledger_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_account_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index("uq_ledger_account_coop_id_code", ["coop_id", "code"], unique=True)

    op.create_table(
        "refund",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "posted",
                "pending_second_approval",
                "pending_holder_approval",
                "refused",
                name="refundstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("on_behalf_of_user_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(status = 'posted') = (transaction_id IS NOT NULL)",
            name=op.f("ck_refund_posted_has_transaction"),
        ),
        sa.CheckConstraint("amount_pence > 0", name=op.f("ck_refund_amount_positive")),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_refund_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_refund_decided_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["coop_member.id"], name=op.f("fk_refund_member_id_coop_member")
        ),
        sa.ForeignKeyConstraint(
            ["on_behalf_of_user_id"],
            ["user_account.id"],
            name=op.f("fk_refund_on_behalf_of_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_refund_requested_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_refund_transaction_id_ledger_transaction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund")),
        sa.UniqueConstraint("transaction_id", name=op.f("uq_refund_transaction_id")),
    )
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.create_index("ix_refund_coop_id_status", ["coop_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_refund_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_refund_on_behalf_of_user_id"), ["on_behalf_of_user_id"], unique=False
        )

    op.create_table(
        "ledger_posting",
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("amount_pence <> 0", name=op.f("ck_ledger_posting_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["ledger_account.id"],
            name=op.f("fk_ledger_posting_account_id_ledger_account"),
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_ledger_posting_transaction_id_ledger_transaction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_posting")),
    )
    with op.batch_alter_table("ledger_posting", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_posting_account_id_created_at", ["account_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ledger_posting_transaction_id"), ["transaction_id"], unique=False
        )
    _create_append_only_triggers()
    _open_existing_accounts()


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table("ledger_posting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_posting_transaction_id"))
        batch_op.drop_index("ix_ledger_posting_account_id_created_at")

    op.drop_table("ledger_posting")
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_on_behalf_of_user_id"))
        batch_op.drop_index(batch_op.f("ix_refund_member_id"))
        batch_op.drop_index("ix_refund_coop_id_status")

    op.drop_table("refund")
    with op.batch_alter_table("ledger_account", schema=None) as batch_op:
        batch_op.drop_index("uq_ledger_account_coop_id_code")
        batch_op.drop_index(batch_op.f("ix_ledger_account_member_id"))

    op.drop_table("ledger_account")
    with op.batch_alter_table("ledger_transaction", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_transaction_coop_id_seq")

    op.drop_table("ledger_transaction")


APPEND_ONLY = ("ledger_transaction", "ledger_posting")


def _create_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: correct a mistake with a reversing transaction',
                    TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: correct a mistake with a "
                "reversing transaction'); END"
            )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ledger_append_only()")
        return
    for table in APPEND_ONLY:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


def _open_existing_accounts() -> None:
    """Accounts are opened eagerly: co-ops and admitted members from before this revision
    get theirs now, as later ones get them when they are founded or approved."""
    bind = op.get_bind()
    coop = sa.table(
        "coop", sa.column("id", sa.Uuid()), sa.column("created_at", sa.DateTime(timezone=True))
    )
    member = sa.table(
        "coop_member",
        sa.column("id", sa.Uuid()),
        sa.column("coop_id", sa.Uuid()),
        sa.column("approved_at", sa.DateTime(timezone=True)),
    )
    account = sa.table(
        "ledger_account",
        sa.column("id", sa.Uuid()),
        sa.column("coop_id", sa.Uuid()),
        sa.column("code", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("member_id", sa.Uuid()),
        sa.column("balance_pence", sa.BigInteger()),
        sa.column("opened_at", sa.DateTime(timezone=True)),
    )
    rows: list[dict[str, object]] = []
    for coop_id, created_at in bind.execute(sa.select(coop.c.id, coop.c.created_at)).all():
        for code, kind in (
            ("shared", "shared"),
            ("external:deposits", "external"),
            ("external:payouts", "external"),
        ):
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "coop_id": coop_id,
                    "code": code,
                    "kind": kind,
                    "member_id": None,
                    "balance_pence": 0,
                    "opened_at": created_at,
                }
            )
    admitted = sa.select(member.c.id, member.c.coop_id, member.c.approved_at).where(
        member.c.approved_at.is_not(None)
    )
    for member_id, coop_id, approved_at in bind.execute(admitted).all():
        rows.append(
            {
                "id": uuid.uuid4(),
                "coop_id": coop_id,
                "code": f"member:{member_id}",
                "kind": "member",
                "member_id": member_id,
                "balance_pence": 0,
                "opened_at": approved_at,
            }
        )
    if rows:
        op.bulk_insert(account, rows)
