"""Accounts people can keep: logins they can see and end, password resets, e-mail changes, and
officers' appointments that end.

* `auth_session` gains `last_used_at` (the sign-in or latest refresh; existing logins take
  the time their newest refresh token was issued, else when they began) and `user_agent`
  (unknown, null, for existing logins). The service always sets `last_used_at`; the column
  stays nullable because SQLite can add a NOT NULL column to a table others refer to only
  by rebuilding it, which its foreign keys refuse inside a migration's transaction.
* New tables `password_reset` and `email_change` hold the single-use tokens (as SHA-256).
* `la_officer` becomes one row per appointment, with its own `id` and an `ended_at`; every
  existing appointment is carried over, in force, with a new id. At most one appointment in
  force per person and area.

Downgrading drops the tokens, and keeps only the appointments in force (the old table has
room for one row per person and area and no end); logins lose their last use and client.

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-02 10:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IN_FORCE = sa.text("ended_at IS NULL")
auth_session = sa.table(
    "auth_session",
    sa.column("id", sa.Uuid),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("last_used_at", sa.DateTime(timezone=True)),
)
refresh_token = sa.table(
    "refresh_token",
    sa.column("session_id", sa.Uuid),
    sa.column("issued_at", sa.DateTime(timezone=True)),
)


def _officer_table(*, appointments: bool) -> sa.Table:
    """The `la_officer` table as the new schema (one row per appointment) or the old has it."""
    columns: list[sa.Column[object] | sa.Constraint] = [
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column("appointed_at", sa.DateTime(timezone=True), nullable=False),
    ]
    if appointments:
        columns += [
            sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("id", sa.Uuid(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_la_officer")),
        ]
    else:
        columns.append(sa.PrimaryKeyConstraint("user_id", "area_code", name=op.f("pk_la_officer")))
    return op.create_table(
        "la_officer",
        *columns,
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_la_officer_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_la_officer_user_id_user_account")
        ),
    )


def _old_officers() -> list[sa.Row[tuple[object, object, object]]]:
    old = sa.table(
        "la_officer",
        sa.column("user_id", sa.Uuid),
        sa.column("area_code", sa.String),
        sa.column("appointed_at", sa.DateTime(timezone=True)),
    )
    return list(
        op.get_bind().execute(sa.select(old.c.user_id, old.c.area_code, old.c.appointed_at))
    )


def upgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("user_agent", sa.String(length=300), nullable=True))
    newest_refresh = (
        sa.select(sa.func.max(refresh_token.c.issued_at))
        .where(refresh_token.c.session_id == auth_session.c.id)
        .scalar_subquery()
    )
    connection.execute(
        auth_session.update().values(
            last_used_at=sa.func.coalesce(newest_refresh, auth_session.c.created_at)
        )
    )

    op.create_table(
        "password_reset",
        sa.Column("email_digest", sa.String(length=64), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_password_reset_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.create_index(
            "ix_password_reset_client_address_requested_at",
            ["client_address", "requested_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_password_reset_email_digest_requested_at",
            ["email_digest", "requested_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_password_reset_user_id"), ["user_id"], unique=False)

    op.create_table(
        "email_change",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("new_email", sa.String(length=254), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_email_change_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_change")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_change_token_hash")),
    )
    with op.batch_alter_table("email_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_change_user_id"), ["user_id"], unique=False)

    # The primary key changes: the few rows are carried over into a table built anew.
    officers = _old_officers()
    op.drop_table("la_officer")
    table = _officer_table(appointments=True)
    with op.batch_alter_table("la_officer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_la_officer_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_la_officer_in_force",
            ["user_id", "area_code"],
            unique=True,
            postgresql_where=IN_FORCE,
            sqlite_where=IN_FORCE,
        )
    if officers:
        op.bulk_insert(
            table,
            [
                {
                    "id": uuid.uuid4(),
                    "user_id": user_id,
                    "area_code": area_code,
                    "appointed_at": appointed_at,
                    "ended_at": None,
                }
                for user_id, area_code, appointed_at in officers
            ],
        )


def downgrade() -> None:
    connection = op.get_bind()
    new = sa.table(
        "la_officer",
        sa.column("user_id", sa.Uuid),
        sa.column("area_code", sa.String),
        sa.column("appointed_at", sa.DateTime(timezone=True)),
        sa.column("ended_at", sa.DateTime(timezone=True)),
    )
    in_force = list(
        connection.execute(
            sa.select(new.c.user_id, new.c.area_code, new.c.appointed_at).where(
                new.c.ended_at.is_(None)
            )
        )
    )
    op.drop_table("la_officer")
    table = _officer_table(appointments=False)
    if in_force:
        op.bulk_insert(
            table,
            [
                {"user_id": user_id, "area_code": area_code, "appointed_at": appointed_at}
                for user_id, area_code, appointed_at in in_force
            ],
        )

    with op.batch_alter_table("email_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_change_user_id"))
    op.drop_table("email_change")
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_reset_user_id"))
        batch_op.drop_index("ix_password_reset_email_digest_requested_at")
        batch_op.drop_index("ix_password_reset_client_address_requested_at")
    op.drop_table("password_reset")

    # Not in batch mode: rebuilding auth_session on SQLite would break the foreign keys that
    # refer to it; SQLite (3.35 and later) drops a plain column in place.
    op.drop_column("auth_session", "user_agent")
    op.drop_column("auth_session", "last_used_at")
