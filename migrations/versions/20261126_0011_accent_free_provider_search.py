"""Provider names are searched and sorted without their accents: recompute the stored key.

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-26 05:45:00
"""

import unicodedata
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

provider = sa.table(
    "provider",
    sa.column("id", sa.Uuid),
    sa.column("name", sa.String),
    sa.column("name_search", sa.String),
)


def _accent_free(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _recompute(key: Callable[[str], str]) -> None:
    connection = op.get_bind()
    for row in connection.execute(sa.select(provider.c.id, provider.c.name)).all():
        connection.execute(
            provider.update().where(provider.c.id == row.id).values(name_search=key(row.name))
        )


def upgrade() -> None:
    _recompute(_accent_free)


def downgrade() -> None:
    _recompute(str.casefold)
