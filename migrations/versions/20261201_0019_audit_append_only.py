"""The audit chain is append-only in the database, and hashes the person an entry is about.

Triggers refuse any UPDATE or DELETE of an audit entry (and TRUNCATE on PostgreSQL), as on
the ledger. `hash_form` says which fields an entry's hash covers: entries that exist already
were hashed without `about_user_id` and keep form 1 (they are never rewritten); entries
written from now on are form 2, whose hash covers `about_user_id` too.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-01 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_entry is append-only: the audit chain is never updated or deleted"


def upgrade() -> None:
    # Adding a column with a default rewrites no row through UPDATE: no trigger exists yet,
    # and on PostgreSQL ADD COLUMN does not fire row triggers anyway.
    op.add_column(
        "audit_entry",
        sa.Column("hash_form", sa.SmallInteger(), server_default=sa.text("1"), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_entry_no_{verb}")
    # The older code hashes every entry without about_user_id, so entries of form 2 do not
    # verify under it: going back past this revision is a schema rollback only.
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("hash_form")
