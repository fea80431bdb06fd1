"""Direct Payment awards become a history of versions confirmed by the council; contributions
carry their source; postings keep the award version they were made under.

* `direct_payment_award` holds versions: a holder may have several (one per `start_date`),
  each `declared`, `confirmed` or `rejected`, with the council's reference, when it was
  confirmed or rejected (and why), and who at the council decided. Today's single award per
  person becomes that person's first version, `declared` (no council has confirmed it yet).
* `ledger_posting` gains `source` (on each posting of a contribution: `direct_payment`,
  `top_up` or `client_contribution`) and `award_id` (on a member account's posting: the
  holder's version it was made under). Existing contributions were all Direct Payment
  money; existing postings on a holder's accounts are attached to their one award, whatever
  their day, so the councils' figures stay as they were. The ledger is append-only
  (revision 0004's triggers): the backfill is made with those triggers out of the way, as in
  revision 0012.

Downgrading keeps one award per person: their latest version not rejected by the council
(else their latest), and forgets the others; top-ups become plain contributions again.

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AWARD = "direct_payment_award"
POSTING = "ledger_posting"
STATUSES = ("declared", "confirmed", "rejected")
SOURCES = ("direct_payment", "top_up", "client_contribution")
AWARD_CHECKS = {
    "awardstatus": sa.column("status").in_(STATUSES),
    "confirmed_has_time": sa.text("(status = 'confirmed') = (confirmed_at IS NOT NULL)"),
    "rejected_has_time": sa.text("(status = 'rejected') = (rejected_at IS NOT NULL)"),
    "decided_by_one": sa.text("decided_by_user_id IS NULL OR decided_by_api_client_id IS NULL"),
}
POSTING_CHECKS = {
    "contributionsource": sa.column("source").in_(SOURCES),
    "contribution_has_source": sa.text("kind <> 'contribution' OR source IS NOT NULL"),
    "source_of_contributions": sa.text("source IS NULL OR kind IN ('contribution', 'reversal')"),
}
AWARD_FK = "fk_ledger_posting_award_id_direct_payment_award"
AWARD_INDEX = "ix_ledger_posting_award_id_created_at"
ONE_PER_PERSON = "uq_direct_payment_award_user_id"
ONE_PER_START = "uq_direct_payment_award_user_id_start_date"
# Existing contributions were Direct Payment money; a holder's postings belong to their award.
BACKFILL = sa.text(
    "UPDATE ledger_posting SET "
    "source = CASE WHEN kind = 'contribution' THEN 'direct_payment' END, "
    "award_id = (SELECT a.id FROM direct_payment_award a "
    "JOIN coop_member m ON m.user_id = a.user_id "
    "JOIN ledger_account acc ON acc.member_id = m.id "
    "WHERE acc.id = ledger_posting.account_id)"
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _sqlite_posting_triggers(create: bool) -> None:
    """The append-only triggers of revision 0004 on ledger_posting (SQLite only)."""
    for verb in ("UPDATE", "DELETE"):
        name = f"ledger_posting_no_{verb.lower()}"
        if create:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {verb} ON ledger_posting "
                "BEGIN SELECT RAISE(ABORT, 'ledger_posting is append-only: correct a mistake "
                "with a reversing transaction'); END"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _upgrade_awards() -> None:
    with op.batch_alter_table(AWARD, schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("council_reference", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("rejection_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("decided_by_user_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("decided_by_api_client_id", sa.Uuid(), nullable=True))
    op.execute(sa.text("UPDATE direct_payment_award SET status = 'declared'"))
    with op.batch_alter_table(AWARD, schema=None, recreate="always") as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=40), nullable=False)
        for name, condition in AWARD_CHECKS.items():
            batch_op.create_check_constraint(op.f(f"ck_{AWARD}_{name}"), condition)
        batch_op.create_foreign_key(
            op.f("fk_direct_payment_award_decided_by_user_id_user_account"),
            "user_account",
            ["decided_by_user_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            op.f("fk_direct_payment_award_decided_by_api_client_id_api_client"),
            "api_client",
            ["decided_by_api_client_id"],
            ["id"],
        )
        batch_op.drop_constraint(ONE_PER_PERSON, type_="unique")
        batch_op.create_index(ONE_PER_START, ["user_id", "start_date"], unique=True)


def _upgrade_postings() -> None:
    if _postgresql():
        op.add_column(POSTING, sa.Column("source", sa.String(length=40), nullable=True))
        op.add_column(POSTING, sa.Column("award_id", sa.Uuid(), nullable=True))
        op.execute("ALTER TABLE ledger_posting DISABLE TRIGGER ledger_posting_append_only")
        op.execute(BACKFILL)
        op.execute("ALTER TABLE ledger_posting ENABLE TRIGGER ledger_posting_append_only")
        for name, condition in POSTING_CHECKS.items():
            op.create_check_constraint(op.f(f"ck_{POSTING}_{name}"), POSTING, condition)
        op.create_foreign_key(AWARD_FK, POSTING, AWARD, ["award_id"], ["id"])
        op.create_index(
            AWARD_INDEX,
            POSTING,
            ["award_id", "created_at"],
            postgresql_include=["amount_pence", "transaction_id", "kind"],
        )
        return
    _sqlite_posting_triggers(create=False)
    with op.batch_alter_table(POSTING, schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("award_id", sa.Uuid(), nullable=True))
    op.execute(BACKFILL)
    with op.batch_alter_table(POSTING, schema=None, recreate="always") as batch_op:
        for name, condition in POSTING_CHECKS.items():
            batch_op.create_check_constraint(op.f(f"ck_{POSTING}_{name}"), condition)
        batch_op.create_foreign_key(AWARD_FK, AWARD, ["award_id"], ["id"])
        batch_op.create_index(AWARD_INDEX, ["award_id", "created_at"], unique=False)
    _sqlite_posting_triggers(create=True)


def upgrade() -> None:
    _upgrade_awards()
    _upgrade_postings()


def _downgrade_postings() -> None:
    if _postgresql():
        op.drop_index(AWARD_INDEX, table_name=POSTING)
        op.drop_constraint(AWARD_FK, POSTING, type_="foreignkey")
        for name in POSTING_CHECKS:
            op.drop_constraint(op.f(f"ck_{POSTING}_{name}"), POSTING, type_="check")
        # Dropping a column rewrites no row: the append-only triggers do not fire.
        op.drop_column(POSTING, "award_id")
        op.drop_column(POSTING, "source")
        return
    _sqlite_posting_triggers(create=False)
    with op.batch_alter_table(POSTING, schema=None, recreate="always") as batch_op:
        batch_op.drop_index(AWARD_INDEX)
        batch_op.drop_constraint(AWARD_FK, type_="foreignkey")
        for name in POSTING_CHECKS:
            batch_op.drop_constraint(op.f(f"ck_{POSTING}_{name}"), type_="check")
        batch_op.drop_column("award_id")
        batch_op.drop_column("source")
    _sqlite_posting_triggers(create=True)


def _keep_one_award_per_person() -> None:
    """Each person's latest version the council did not reject (else their latest)."""
    connection = op.get_bind()
    award = sa.table(
        AWARD,
        sa.column("id", sa.Uuid),
        sa.column("user_id", sa.Uuid),
        sa.column("start_date", sa.Date),
        sa.column("status", sa.String),
    )
    rows = connection.execute(
        sa.select(award.c.id, award.c.user_id, award.c.start_date, award.c.status)
    ).all()
    kept: dict[object, tuple[bool, object, object]] = {}
    for row in rows:
        rank = (row.status != "rejected", row.start_date, row.id)
        if row.user_id not in kept or rank[:2] > kept[row.user_id][:2]:
            kept[row.user_id] = rank
    keep = {rank[2] for rank in kept.values()}
    dropped = [row.id for row in rows if row.id not in keep]
    if dropped:
        connection.execute(award.delete().where(award.c.id.in_(dropped)))


def _downgrade_awards() -> None:
    _keep_one_award_per_person()
    with op.batch_alter_table(AWARD, schema=None, recreate="always") as batch_op:
        batch_op.drop_index(ONE_PER_START)
        batch_op.create_unique_constraint(ONE_PER_PERSON, ["user_id"])
        batch_op.drop_constraint(
            op.f("fk_direct_payment_award_decided_by_api_client_id_api_client"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            op.f("fk_direct_payment_award_decided_by_user_id_user_account"), type_="foreignkey"
        )
        for name in AWARD_CHECKS:
            batch_op.drop_constraint(op.f(f"ck_{AWARD}_{name}"), type_="check")
        for column in (
            "decided_by_api_client_id",
            "decided_by_user_id",
            "rejection_reason",
            "rejected_at",
            "confirmed_at",
            "council_reference",
            "status",
        ):
            batch_op.drop_column(column)


def downgrade() -> None:
    _downgrade_postings()
    _downgrade_awards()
