"""Care confirmed before it is paid: the co-op's visit and invoice rules, accepted lines.

* `coop` gains three rules: `visit_confirm_hours` (48), `invoice_dispute_days` (2) and
  `invoices_from_visits_only` (false). Existing co-ops take the defaults, which are the
  database's defaults too. Rule changes already stored (pending or decided) are carried
  forward: their `base_rules` gain the same defaults, so a change pending over a co-op's rules
  stays approvable (it was proposed over exactly those rules).
* `invoice_line` gains `accepted_at` and `accepted_by_user_id`: the member agreed the line.
  Existing lines were never accepted (both null).

Downgrading drops the columns (an acceptance is lost; the lines stay) and takes the three
rules out of stored rule changes again.

Revision ID: 0029
Revises: 0033
Create Date: 2026-12-02 05:23:10
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_RULES: dict[str, Any] = {
    "visit_confirm_hours": 48,
    "invoice_dispute_days": 2,
    "invoices_from_visits_only": False,
}

rule_change = sa.table(
    "coop_rule_change", sa.column("id", sa.Uuid()), sa.column("base_rules", sa.JSON())
)


@contextmanager
def _foreign_keys_off(connection: sa.Connection) -> Iterator[None]:
    """SQLite adds a constraint by rebuilding the table (batch mode), dropping the old one:
    with foreign keys enforced that drop fails on the rows pointing at it (a visit's invoice
    line, a co-op's members). Enforcement is switched off while the tables are rebuilt, and
    every reference checked before it is switched on again. The pragma only works between
    transactions: the revisions before this one are committed first."""
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


def _rewrite_base_rules(connection: sa.Connection, *, forward: bool) -> None:
    for change_id, base in connection.execute(
        sa.select(rule_change.c.id, rule_change.c.base_rules)
    ).all():
        rules = dict(base or {})
        if forward:
            for name, default in NEW_RULES.items():
                rules.setdefault(name, default)
        else:
            for name in NEW_RULES:
                rules.pop(name, None)
        connection.execute(
            rule_change.update().where(rule_change.c.id == change_id).values(base_rules=rules)
        )


def upgrade() -> None:
    connection = op.get_bind()
    with _foreign_keys_off(connection):
        with op.batch_alter_table("coop", schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "visit_confirm_hours",
                    sa.Integer(),
                    server_default=sa.text("48"),
                    nullable=False,
                )
            )
            batch_op.add_column(
                sa.Column(
                    "invoice_dispute_days",
                    sa.Integer(),
                    server_default=sa.text("2"),
                    nullable=False,
                )
            )
            batch_op.add_column(
                sa.Column(
                    "invoices_from_visits_only",
                    sa.Boolean(),
                    server_default=sa.text("false"),
                    nullable=False,
                )
            )
            batch_op.create_check_constraint(
                "visit_confirm_hours_range", "visit_confirm_hours BETWEEN 1 AND 720"
            )
            batch_op.create_check_constraint(
                "invoice_dispute_days_range", "invoice_dispute_days BETWEEN 0 AND 60"
            )

        with op.batch_alter_table("invoice_line", schema=None) as batch_op:
            batch_op.add_column(sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("accepted_by_user_id", sa.Uuid(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f("fk_invoice_line_accepted_by_user_id_user_account"),
                "user_account",
                ["accepted_by_user_id"],
                ["id"],
            )
        _rewrite_base_rules(connection, forward=True)


def downgrade() -> None:
    connection = op.get_bind()
    with _foreign_keys_off(connection):
        _rewrite_base_rules(connection, forward=False)
        with op.batch_alter_table("invoice_line", schema=None) as batch_op:
            batch_op.drop_constraint(
                batch_op.f("fk_invoice_line_accepted_by_user_id_user_account"),
                type_="foreignkey",
            )
            batch_op.drop_column("accepted_by_user_id")
            batch_op.drop_column("accepted_at")

        with op.batch_alter_table("coop", schema=None) as batch_op:
            batch_op.drop_constraint(op.f("ck_coop_invoice_dispute_days_range"), type_="check")
            batch_op.drop_constraint(op.f("ck_coop_visit_confirm_hours_range"), type_="check")
            batch_op.drop_column("invoices_from_visits_only")
            batch_op.drop_column("invoice_dispute_days")
            batch_op.drop_column("visit_confirm_hours")
