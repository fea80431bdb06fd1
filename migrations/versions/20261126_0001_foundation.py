"""Foundation: people, logins, council officers, areas, audit chain, idempotency.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 03:51:13.512572
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.area_list import load_areas

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "area",
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("name_cy", sa.String(length=100), nullable=False),
        sa.Column("health_board_code", sa.String(length=9), nullable=False),
        sa.Column("health_board_name_en", sa.String(length=200), nullable=False),
        sa.Column("health_board_name_cy", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_area")),
    )
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "idempotency_record",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "endpoint", "key", name=op.f("pk_idempotency_record")),
    )
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_record_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "login_failure",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index(
            "ix_login_failure_client_address_at", ["client_address", "at"], unique=False
        )
        batch_op.create_index("ix_login_failure_email_at", ["email", "at"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column(
            "preferred_language",
            sa.Enum(
                "en",
                "cy",
                name="preferredlanguage",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("is_platform_admin", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("on_behalf_of_user_id", sa.Uuid(), nullable=True),
        sa.Column("coop_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("about_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_entry_actor_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["on_behalf_of_user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_entry_on_behalf_of_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entry_hash")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_entry_about_user_id_seq", ["about_user_id", "seq"], unique=False
        )
        batch_op.create_index(
            "ix_audit_entry_actor_user_id_seq", ["actor_user_id", "seq"], unique=False
        )
        batch_op.create_index("ix_audit_entry_coop_id_seq", ["coop_id", "seq"], unique=False)
        batch_op.create_index(
            "ix_audit_entry_on_behalf_of_user_id_seq", ["on_behalf_of_user_id", "seq"], unique=False
        )

    op.create_table(
        "auth_session",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_auth_session_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
    )
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "la_officer",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("area_code", sa.String(length=9), nullable=False),
        sa.Column("appointed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_la_officer_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_la_officer_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("user_id", "area_code", name=op.f("pk_la_officer")),
    )
    op.create_table(
        "refresh_token",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["auth_session.id"],
            name=op.f("fk_refresh_token_session_id_auth_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_token_token_hash")),
    )
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refresh_token_session_id"), ["session_id"], unique=False
        )

    # Reference data ships with the schema, from the project's own copy of the list.
    area = sa.table(
        "area",
        sa.column("code", sa.String),
        sa.column("name_en", sa.String),
        sa.column("name_cy", sa.String),
        sa.column("health_board_code", sa.String),
        sa.column("health_board_name_en", sa.String),
        sa.column("health_board_name_cy", sa.String),
    )
    op.bulk_insert(area, load_areas())
    head = sa.table(
        "audit_chain_head",
        sa.column("id", sa.Integer),
        sa.column("last_seq", sa.BigInteger),
        sa.column("last_hash", sa.String),
    )
    op.bulk_insert(head, [{"id": 1, "last_seq": 0, "last_hash": "0" * 64}])


def downgrade() -> None:
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_token_session_id"))

    op.drop_table("refresh_token")
    op.drop_table("la_officer")
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_session_user_id"))

    op.drop_table("auth_session")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_on_behalf_of_user_id_seq")
        batch_op.drop_index("ix_audit_entry_coop_id_seq")
        batch_op.drop_index("ix_audit_entry_actor_user_id_seq")
        batch_op.drop_index("ix_audit_entry_about_user_id_seq")

    op.drop_table("audit_entry")
    op.drop_table("user_account")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_email_at")
        batch_op.drop_index("ix_login_failure_client_address_at")

    op.drop_table("login_failure")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_record_expires_at"))

    op.drop_table("idempotency_record")
    op.drop_table("audit_chain_head")
    op.drop_table("area")
