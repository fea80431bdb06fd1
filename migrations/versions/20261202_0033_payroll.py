"""Payroll as a shared service: employments, timesheets, exports and results; `payroll` kind.

New tables only for employment (employments of the workers of revision 0028, timesheets and
their entries, payroll exports and their lines, posted results, their lines and who paid
them): nothing that exists changes, and existing rows need no carrying forward. The ledger
learns the transaction kind `payroll`: the CHECK constraints on `ledger_transaction.kind`
and `ledger_posting.kind` are widened to allow it; every existing row keeps its kind.
PostgreSQL changes the constraints in place; SQLite rebuilds both tables (batch mode) with
foreign keys off, checks every reference afterwards, and creates their append-only
triggers again. Downgrading narrows the constraints again, and refuses while the ledger
holds a payroll transaction (the append-only ledger cannot drop it).

Revision ID: 0033
Revises: 0030
Create Date: 2026-12-02 05:44:55.472431
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS_BEFORE = (
    "contribution",
    "refund",
    "leaving_refund",
    "invoice_approval",
    "invoice_payment",
    "support_charge",
    "reversal",
)
KINDS = (*KINDS_BEFORE[:-1], "payroll", "reversal")
LEDGER = ("ledger_transaction", "ledger_posting")


@contextmanager
def _foreign_keys_off(connection: sa.Connection) -> Iterator[None]:
    """SQLite changes a table's constraints by rebuilding it, dropping the old table; with
    foreign keys enforced that drop would fail on every row pointing at it (postings, refunds,
    invoices). Enforcement is off while the tables are rebuilt, and every reference is checked
    before it is on again. The pragma works between transactions only: the revisions before
    this one are committed first (a failure rolls this one back whole)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"references broken by the rebuild: {broken[:5]}")
    except BaseException:
        connection.exec_driver_sql("ROLLBACK")
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        raise
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = ON")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_triggers(create: bool) -> None:
    """The append-only triggers of revision 0004 on both ledger tables (SQLite only)."""
    for table in LEDGER:
        for verb in ("UPDATE", "DELETE"):
            name = f"{table}_no_{verb.lower()}"
            if create:
                op.execute(
                    f"CREATE TRIGGER {name} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: correct a mistake with "
                    "a reversing transaction'); END"
                )
            else:
                op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _ledger_kinds(kinds: Sequence[str]) -> None:
    """The ledger's kind constraints, allowing exactly `kinds`."""
    condition = sa.column("kind").in_(kinds)
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        # Changing a constraint rewrites no row: the append-only triggers do not fire.
        for table in LEDGER:
            op.drop_constraint(op.f(f"ck_{table}_transactionkind"), table, type_="check")
            op.create_check_constraint(op.f(f"ck_{table}_transactionkind"), table, condition)
        return
    _sqlite_triggers(create=False)
    for table in LEDGER:
        with op.batch_alter_table(table, schema=None, recreate="always") as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_transactionkind"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_transactionkind"), condition)
    _sqlite_triggers(create=True)


def upgrade() -> None:
    with _foreign_keys_off(op.get_bind()):
        _upgrade()


def downgrade() -> None:
    payroll = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM ledger_transaction WHERE kind = 'payroll'")
    )
    if payroll:
        raise RuntimeError(
            f"the ledger holds {payroll} payroll transactions, which revision 0028 cannot hold "
            "and the append-only ledger cannot drop: downgrade refused"
        )
    with _foreign_keys_off(op.get_bind()):
        _downgrade()


def _upgrade() -> None:
    _ledger_kinds(KINDS)
    op.create_table(
        "payroll_export",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("csv_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_payroll_export_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_payroll_export_created_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payroll_export")),
    )
    with op.batch_alter_table("payroll_export", schema=None) as batch_op:
        batch_op.create_index(
            "uq_payroll_export_coop_id_period_start", ["coop_id", "period_start"], unique=True
        )

    op.create_table(
        "employment",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("worker_id", sa.Uuid(), nullable=False),
        sa.Column(
            "employer_kind",
            sa.Enum(
                "member",
                "coop",
                name="employerkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("employer_member_id", sa.Uuid(), nullable=True),
        sa.Column("hourly_rate_pence", sa.Integer(), nullable=False),
        sa.Column("contracted_hours_per_week", sa.Integer(), nullable=False),
        sa.Column(
            "pay_frequency",
            sa.Enum(
                "weekly",
                "four_weekly",
                "monthly",
                name="payfrequency",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("first_period_start", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(employer_kind = 'member') = (employer_member_id IS NOT NULL)",
            name=op.f("ck_employment_member_employer_named"),
        ),
        sa.CheckConstraint(
            "contracted_hours_per_week BETWEEN 0 AND 168",
            name=op.f("ck_employment_contracted_hours_range"),
        ),
        sa.CheckConstraint("hourly_rate_pence > 0", name=op.f("ck_employment_rate_positive")),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_employment_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_employment_created_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["employer_member_id"],
            ["coop_member.id"],
            name=op.f("fk_employment_employer_member_id_coop_member"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["worker.id"], name=op.f("fk_employment_worker_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employment")),
    )
    with op.batch_alter_table("employment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employment_coop_id"), ["coop_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_employment_employer_member_id"), ["employer_member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_employment_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "payroll_result",
        sa.Column("export_id", sa.Uuid(), nullable=False),
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_payroll_result_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["payroll_export.id"],
            name=op.f("fk_payroll_result_export_id_payroll_export"),
        ),
        sa.ForeignKeyConstraint(
            ["posted_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_payroll_result_posted_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payroll_result")),
        sa.UniqueConstraint("export_id", name=op.f("uq_payroll_result_export_id")),
    )
    with op.batch_alter_table("payroll_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payroll_result_coop_id"), ["coop_id"], unique=False)

    op.create_table(
        "payroll_result_line",
        sa.Column("result_id", sa.Uuid(), nullable=False),
        sa.Column("employment_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("gross_pence", sa.BigInteger(), nullable=False),
        sa.Column("employer_ni_pence", sa.BigInteger(), nullable=False),
        sa.Column("employer_pension_pence", sa.BigInteger(), nullable=False),
        sa.Column("net_pence", sa.BigInteger(), nullable=False),
        sa.Column("cost_pence", sa.BigInteger(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "cost_pence = gross_pence + employer_ni_pence + employer_pension_pence",
            name=op.f("ck_payroll_result_line_cost_is_the_sum"),
        ),
        sa.CheckConstraint(
            "gross_pence >= 0 AND employer_ni_pence >= 0 AND employer_pension_pence >= 0 AND net_pence >= 0",
            name=op.f("ck_payroll_result_line_figures_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["employment_id"],
            ["employment.id"],
            name=op.f("fk_payroll_result_line_employment_id_employment"),
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["payroll_result.id"],
            name=op.f("fk_payroll_result_line_result_id_payroll_result"),
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transaction.id"],
            name=op.f("fk_payroll_result_line_transaction_id_ledger_transaction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payroll_result_line")),
    )
    with op.batch_alter_table("payroll_result_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payroll_result_line_transaction_id"), ["transaction_id"], unique=False
        )
        batch_op.create_index(
            "uq_payroll_result_line_result_id_employment_id",
            ["result_id", "employment_id"],
            unique=True,
        )

    op.create_table(
        "timesheet",
        sa.Column("employment_id", sa.Uuid(), nullable=False),
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "confirmed",
                name="timesheetstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(status = 'confirmed') = (confirmed_at IS NOT NULL)",
            name=op.f("ck_timesheet_confirmed_has_time"),
        ),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_timesheet_period_ordered")),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_timesheet_revision_positive")),
        sa.ForeignKeyConstraint(
            ["confirmed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_timesheet_confirmed_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["coop_id"], ["coop.id"], name=op.f("fk_timesheet_coop_id_coop")),
        sa.ForeignKeyConstraint(
            ["employment_id"], ["employment.id"], name=op.f("fk_timesheet_employment_id_employment")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_timesheet_submitted_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timesheet")),
    )
    with op.batch_alter_table("timesheet", schema=None) as batch_op:
        batch_op.create_index(
            "ix_timesheet_coop_id_period_start", ["coop_id", "period_start"], unique=False
        )
        batch_op.create_index(
            "uq_timesheet_employment_id_period_start",
            ["employment_id", "period_start"],
            unique=True,
        )

    op.create_table(
        "payroll_export_line",
        sa.Column("export_id", sa.Uuid(), nullable=False),
        sa.Column("employment_id", sa.Uuid(), nullable=False),
        sa.Column("timesheet_id", sa.Uuid(), nullable=False),
        sa.Column("timesheet_revision", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("hourly_rate_pence", sa.Integer(), nullable=False),
        sa.Column("gross_pence", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "minutes >= 0 AND gross_pence >= 0",
            name=op.f("ck_payroll_export_line_figures_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["employment_id"],
            ["employment.id"],
            name=op.f("fk_payroll_export_line_employment_id_employment"),
        ),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["payroll_export.id"],
            name=op.f("fk_payroll_export_line_export_id_payroll_export"),
        ),
        sa.ForeignKeyConstraint(
            ["timesheet_id"],
            ["timesheet.id"],
            name=op.f("fk_payroll_export_line_timesheet_id_timesheet"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payroll_export_line")),
    )
    with op.batch_alter_table("payroll_export_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payroll_export_line_employment_id"), ["employment_id"], unique=False
        )
        batch_op.create_index(
            "uq_payroll_export_line_export_id_employment_id",
            ["export_id", "employment_id"],
            unique=True,
        )

    op.create_table(
        "payroll_share",
        sa.Column("line_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "minutes >= 0 AND amount_pence >= 0", name=op.f("ck_payroll_share_figures_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["payroll_result_line.id"],
            name=op.f("fk_payroll_share_line_id_payroll_result_line"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["coop_member.id"], name=op.f("fk_payroll_share_member_id_coop_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payroll_share")),
    )
    with op.batch_alter_table("payroll_share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payroll_share_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            "uq_payroll_share_line_id_member_id", ["line_id", "member_id"], unique=True
        )

    op.create_table(
        "timesheet_entry",
        sa.Column("timesheet_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "minutes BETWEEN 1 AND 1440", name=op.f("ck_timesheet_entry_minutes_in_a_day")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["coop_member.id"], name=op.f("fk_timesheet_entry_member_id_coop_member")
        ),
        sa.ForeignKeyConstraint(
            ["timesheet_id"],
            ["timesheet.id"],
            name=op.f("fk_timesheet_entry_timesheet_id_timesheet"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timesheet_entry")),
    )
    with op.batch_alter_table("timesheet_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_timesheet_entry_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            "ix_timesheet_entry_timesheet_id_revision", ["timesheet_id", "revision"], unique=False
        )


def _downgrade() -> None:
    with op.batch_alter_table("timesheet_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_timesheet_entry_timesheet_id_revision")
        batch_op.drop_index(batch_op.f("ix_timesheet_entry_member_id"))

    op.drop_table("timesheet_entry")
    with op.batch_alter_table("payroll_share", schema=None) as batch_op:
        batch_op.drop_index("uq_payroll_share_line_id_member_id")
        batch_op.drop_index(batch_op.f("ix_payroll_share_member_id"))

    op.drop_table("payroll_share")
    with op.batch_alter_table("payroll_export_line", schema=None) as batch_op:
        batch_op.drop_index("uq_payroll_export_line_export_id_employment_id")
        batch_op.drop_index(batch_op.f("ix_payroll_export_line_employment_id"))

    op.drop_table("payroll_export_line")
    with op.batch_alter_table("timesheet", schema=None) as batch_op:
        batch_op.drop_index("uq_timesheet_employment_id_period_start")
        batch_op.drop_index("ix_timesheet_coop_id_period_start")

    op.drop_table("timesheet")
    with op.batch_alter_table("payroll_result_line", schema=None) as batch_op:
        batch_op.drop_index("uq_payroll_result_line_result_id_employment_id")
        batch_op.drop_index(batch_op.f("ix_payroll_result_line_transaction_id"))

    op.drop_table("payroll_result_line")
    with op.batch_alter_table("payroll_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payroll_result_coop_id"))

    op.drop_table("payroll_result")
    with op.batch_alter_table("employment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employment_worker_id"))
        batch_op.drop_index(batch_op.f("ix_employment_employer_member_id"))
        batch_op.drop_index(batch_op.f("ix_employment_coop_id"))

    op.drop_table("employment")
    with op.batch_alter_table("payroll_export", schema=None) as batch_op:
        batch_op.drop_index("uq_payroll_export_coop_id_period_start")

    op.drop_table("payroll_export")
    _ledger_kinds(KINDS_BEFORE)
