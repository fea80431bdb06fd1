"""Mandates wait for the representative's acceptance; e-mail addresses are stored normalised.

* `mandate` gains `email` (the address the holder gave, normalised), `status` (`invited`,
  `active`, `declined`, `revoked`), `accepted_at` and `declined_at`; `representative_user_id`
  may be empty (an invitation to an address nobody has registered). Existing mandates were
  in force without an acceptance: they become `active` (accepted when granted), or
  `revoked` if they were; their address is their representative's.
* `user_account.email` is rewritten in its normalised form (Unicode NFKC, case-folded, NFKC
  again). Two accounts whose addresses become the same are not merged: both are left as
  they were and listed in the migration's log, for an administrator to resolve.

Downgrading drops invitations to addresses with no account (the old schema cannot hold
them) and keeps the normalised addresses (they are valid addresses either way).

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-01 22:00:00
"""

import logging
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

user_account = sa.table("user_account", sa.column("id", sa.Uuid), sa.column("email", sa.String))
mandate = sa.table(
    "mandate",
    sa.column("id", sa.Uuid),
    sa.column("representative_user_id", sa.Uuid),
    sa.column("email", sa.String),
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("accepted_at", sa.DateTime(timezone=True)),
    sa.column("revoked_at", sa.DateTime(timezone=True)),
)
LIVE = sa.text("status IN ('invited', 'active')")


def normalise_email(email: str) -> str:
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


def _normalise_user_emails(connection: sa.Connection) -> None:
    rows = connection.execute(sa.select(user_account.c.id, user_account.c.email)).all()
    groups: dict[str, list[tuple[object, str]]] = defaultdict(list)
    for row in rows:
        groups[normalise_email(row.email)].append((row.id, row.email))
    for normalised, members in groups.items():
        if len(members) > 1:
            log.warning(
                "accounts whose e-mail addresses are the same once normalised, left as they "
                "were: %s -> %s",
                ", ".join(f"{user_id} <{email}>" for user_id, email in members),
                normalised,
            )
            continue
        user_id, email = members[0]
        if email != normalised:
            connection.execute(
                user_account.update().where(user_account.c.id == user_id).values(email=normalised)
            )


def upgrade() -> None:
    connection = op.get_bind()
    _normalise_user_emails(connection)
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum(
                    "invited",
                    "active",
                    "declined",
                    "revoked",
                    name="mandatestatus",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))
    connection.execute(
        mandate.update().values(
            email=sa.select(user_account.c.email)
            .where(user_account.c.id == mandate.c.representative_user_id)
            .scalar_subquery(),
            status=sa.case((mandate.c.revoked_at.is_(None), "active"), else_="revoked"),
            accepted_at=mandate.c.created_at,
        )
    )
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=False)
        batch_op.alter_column(
            "status",
            existing_type=sa.Enum(
                "invited",
                "active",
                "declined",
                "revoked",
                name="mandatestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        )
        batch_op.alter_column("representative_user_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.drop_index("uq_mandate_live")
        batch_op.create_index(
            "uq_mandate_live",
            ["holder_user_id", "representative_user_id"],
            unique=True,
            postgresql_where=LIVE,
            sqlite_where=LIVE,
        )
        batch_op.create_index(
            "uq_mandate_live_email",
            ["holder_user_id", "email"],
            unique=True,
            postgresql_where=LIVE,
            sqlite_where=LIVE,
        )
        batch_op.create_index("ix_mandate_email", ["email"], unique=False)


def downgrade() -> None:
    connection = op.get_bind()
    connection.execute(mandate.delete().where(mandate.c.representative_user_id.is_(None)))
    # A declined invitation never worked: kept as a revoked one, which never works either.
    connection.execute(
        mandate.update()
        .where(mandate.c.status.in_(("declined", "invited")), mandate.c.revoked_at.is_(None))
        .values(revoked_at=mandate.c.created_at)
    )
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.drop_index("ix_mandate_email")
        batch_op.drop_index("uq_mandate_live_email")
        batch_op.drop_index("uq_mandate_live")
        batch_op.create_index(
            "uq_mandate_live",
            ["holder_user_id", "representative_user_id"],
            unique=True,
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        )
        batch_op.alter_column("representative_user_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_constraint("mandatestatus", type_="check")
        batch_op.drop_column("declined_at")
        batch_op.drop_column("accepted_at")
        batch_op.drop_column("status")
        batch_op.drop_column("email")
