"""Provider listings that stay true: changes waiting for a platform administrator, and
verified providers' names unique once folded.

* `provider_change` holds a verified provider's staff's changes to its name, CIW service id,
  contact address, service types or areas until a platform administrator applies or
  rejects them (at most one pending per provider: a partial unique index).
* `provider.verified_name_key` is the folded name (NFKD, combining marks removed, then
  case-folded, as `name_search` already is) while the provider is verified and holds that
  name, else null; a unique index on it keeps two verified providers from sharing a name,
  on both backends (null is no value to a unique index on SQLite or PostgreSQL). Verified
  providers whose names already fold to the same name are all kept as they are: the oldest
  (then lowest id) holds the name, the others are left null and listed in the migration's
  log, for an administrator to rename; renaming or re-verifying one of them is then checked.

Downgrading drops both: waiting changes are lost (the listing keeps its verified values, as
it did), and the names stay as they are.

Revision ID: 0021
Revises: 0026
Create Date: 2026-12-02 01:38:09.095135
"""

import logging
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

provider = sa.table(
    "provider",
    sa.column("id", sa.Uuid),
    sa.column("name", sa.String),
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("verified_name_key", sa.String),
)


def fold_name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _claim_verified_names(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.select(provider.c.id, provider.c.name)
        .where(provider.c.status == "verified")
        .order_by(provider.c.created_at, provider.c.id)
    ).all()
    groups: dict[str, list[tuple[object, str]]] = defaultdict(list)
    for row in rows:
        groups[fold_name(row.name)].append((row.id, row.name))
    for folded, members in groups.items():
        holder_id, holder_name = members[0]
        connection.execute(
            provider.update().where(provider.c.id == holder_id).values(verified_name_key=folded)
        )
        if len(members) > 1:
            log.warning(
                "verified providers whose names are one name once case and accents are set "
                "aside, kept as they are (%s <%s> holds it; rename the others): %s",
                holder_id,
                holder_name,
                ", ".join(f"{provider_id} <{name}>" for provider_id, name in members[1:]),
            )


def upgrade() -> None:
    op.create_table(
        "provider_change",
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "applied",
                "rejected",
                "superseded",
                "withdrawn",
                name="providerchangestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_provider_change_decided_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_provider_change_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_provider_change_requested_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_change")),
    )
    with op.batch_alter_table("provider_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_change_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            "uq_provider_change_pending",
            ["provider_id"],
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )

    op.add_column("provider", sa.Column("verified_name_key", sa.String(length=200), nullable=True))
    _claim_verified_names(op.get_bind())
    op.create_index("uq_provider_verified_name_key", "provider", ["verified_name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_provider_verified_name_key", table_name="provider")
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_column("verified_name_key")

    with op.batch_alter_table("provider_change", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_provider_change_pending",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_provider_change_provider_id"))

    op.drop_table("provider_change")
