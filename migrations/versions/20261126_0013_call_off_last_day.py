"""A call-off's last day: members can end the care they buy under a contract, and then leave.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 07:00:06.014938
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contract_call_off", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_day", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contract_call_off", schema=None) as batch_op:
        batch_op.drop_column("last_day")
