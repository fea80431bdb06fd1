"""Registration attempts per client address, for the sign-up rate limit.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-26 04:52:46.397168
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registration_attempt",
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_attempt")),
    )
    with op.batch_alter_table("registration_attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registration_attempt_client_address_at", ["client_address", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_attempt_client_address_at")

    op.drop_table("registration_attempt")
