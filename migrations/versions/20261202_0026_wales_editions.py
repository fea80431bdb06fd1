"""The public Wales table is published once a month and kept: editions and their rows.

The table used to be counted afresh at each request (kept a few minutes per process), so two
pulls could differ by one person. From now on it is made at the month's first request from
the twelve complete months before and stored; nothing existed to carry forward (no table was
ever stored), so the first request after this revision makes the current month's edition.
Triggers refuse any UPDATE or DELETE of a published edition.

Revision ID: 0026
Revises: 0023
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("wales_edition", "wales_edition_row")
MESSAGE = "a published Wales table is never changed"


def _published(column: str, multiple: int) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"({column} IS NULL AND {column}_suppressed) OR "
        f"({column} IS NOT NULL AND NOT {column}_suppressed AND {column} >= 0 "
        f"AND {column} % {multiple} = 0)",
        name=op.f(f"ck_wales_edition_row_{column}_published"),
    )


def upgrade() -> None:
    op.create_table(
        "wales_edition",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("first_day <= last_day", name=op.f("ck_wales_edition_period_in_order")),
        sa.CheckConstraint("last_day < month", name=op.f("ck_wales_edition_period_before_month")),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_wales_edition")),
    )
    op.create_table(
        "wales_edition_row",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("name_cy", sa.String(length=100), nullable=False),
        sa.Column("holders_pooling", sa.Integer(), nullable=True),
        sa.Column("holders_pooling_suppressed", sa.Boolean(), nullable=False),
        sa.Column("contributions_pence", sa.BigInteger(), nullable=True),
        sa.Column("contributions_pence_suppressed", sa.Boolean(), nullable=False),
        sa.Column("coops_active", sa.Integer(), nullable=False),
        sa.Column("tenders_awarded", sa.Integer(), nullable=False),
        sa.Column("gaps", sa.Integer(), nullable=False),
        _published("holders_pooling", 5),
        _published("contributions_pence", 10_000),
        sa.CheckConstraint(
            "coops_active >= 0 AND tenders_awarded >= 0 AND gaps >= 0",
            name=op.f("ck_wales_edition_row_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_wales_edition_row_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["month"],
            ["wales_edition.month"],
            name=op.f("fk_wales_edition_row_month_wales_edition"),
        ),
        sa.PrimaryKeyConstraint("month", "area_code", name=op.f("pk_wales_edition_row")),
    )
    _create_append_only_triggers()


def downgrade() -> None:
    _drop_append_only_triggers()
    op.drop_table("wales_edition_row")
    op.drop_table("wales_edition")


def _create_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION wales_edition_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '%: {MESSAGE}', TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION wales_edition_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION wales_edition_append_only()"
            )
        return
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END"
            )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS wales_edition_append_only()")
        return
    for table in APPEND_ONLY:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
