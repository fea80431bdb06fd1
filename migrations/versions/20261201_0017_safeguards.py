"""Safeguards one administrator cannot switch off alone: rule changes waiting for a second
administrator, and the rules a tender keeps from its publication.

Tenders already published take their co-op's rules as they are now (the nearest record there
is of the rules they were published under); drafts take theirs when they are published.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 21:52:39.311178
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENDER_RULES = (
    "award_requires_vote",
    "voting_mode",
    "class_weights",
    "quorum_percent",
    "pass_percent",
)


def upgrade() -> None:
    op.create_table(
        "coop_rule_change",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("proposed_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("base_rules", sa.JSON(), nullable=False),
        sa.Column("weakens", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "applied",
                "withdrawn",
                "superseded",
                name="rulechangestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_coop_rule_change_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_coop_rule_change_decided_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_coop_rule_change_proposed_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coop_rule_change")),
    )
    with op.batch_alter_table("coop_rule_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_coop_rule_change_coop_id_status", ["coop_id", "status"], unique=False
        )

    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rules_at_publication", sa.JSON(), nullable=True))

    bind = op.get_bind()
    coop = sa.table(
        "coop",
        sa.column("id", sa.Uuid()),
        sa.column("class_weights", sa.JSON()),
        *(sa.column(n) for n in TENDER_RULES if n != "class_weights"),
    )
    tender = sa.table(
        "tender",
        sa.column("id", sa.Uuid()),
        sa.column("coop_id", sa.Uuid()),
        sa.column("published_at"),
        sa.column("rules_at_publication", sa.JSON()),
    )
    rows = bind.execute(
        sa.select(tender.c.id, *(coop.c[n] for n in TENDER_RULES))
        .select_from(tender.join(coop, coop.c.id == tender.c.coop_id))
        .where(tender.c.published_at.is_not(None))
    ).all()
    for row in rows:
        rules = {
            "award_requires_vote": bool(row.award_requires_vote),
            "voting_mode": str(row.voting_mode),
            "class_weights": _weights(row.class_weights),
            "quorum_percent": int(row.quorum_percent),
            "pass_percent": int(row.pass_percent),
        }
        bind.execute(
            tender.update().where(tender.c.id == row.id).values(rules_at_publication=rules)
        )


def _weights(value: object) -> dict[str, int] | None:
    """The co-op's weights as stored: JSON, which a plain column reads back as text."""
    if value is None:
        return None
    if isinstance(value, str):
        decoded = json.loads(value)
        return None if decoded is None else {str(k): int(v) for k, v in decoded.items()}
    if isinstance(value, dict):
        return {str(k): int(v) for k, v in value.items()}
    raise TypeError(f"unexpected class_weights {value!r}")


def downgrade() -> None:
    with op.batch_alter_table("tender", schema=None) as batch_op:
        batch_op.drop_column("rules_at_publication")

    with op.batch_alter_table("coop_rule_change", schema=None) as batch_op:
        batch_op.drop_index("ix_coop_rule_change_coop_id_status")

    op.drop_table("coop_rule_change")
