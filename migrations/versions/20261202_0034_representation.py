"""Representation when a holder cannot approve: mandate roles, capacity, safeguarding.

* `mandate` gains `role` (`helper`, `suitable_person`, `lpa_property_financial`, `deputy`,
  `parent`); every existing mandate was given by the holder's own leave, so it becomes a
  `helper`. (Existing mandates already became `active` with their acceptance in 0016.)
* `coop_member` gains `safeguarding_lead`, `lacks_capacity` (both false for everyone now) and
  `approver_mandate_id` (empty), with checks that a lead is an administrator and that only a
  member lacking capacity names an approver.
* `approval` gains `decided_by_user_id`: every approval decided so far was decided by its
  holder in person, so it is filled with the holder.
* `notification_event.type` may also be `mandate.conflict_of_interest` (a representative's
  money scopes stopped by a conflict of interest); downgrading deletes such events.
* New tables: `capacity_change` (requests waiting for a second administrator),
  `approval_admin_approval` (administrators' approvals of what waits for two of them) and
  `safeguarding_concern`.

Downgrading drops the new tables and columns: roles, capacity marks, leads and concerns
cannot be held by the older schema and are lost. On SQLite the member and mandate tables are
rebuilt with foreign keys unenforced (so the rebuild cascades nothing), then checked.

Revision ID: 0034
Revises: 0031
Create Date: 2026-12-02 05:23:12.272838
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


@contextmanager
def _foreign_keys_off(connection: sa.Connection) -> Iterator[None]:
    """SQLite changes a table's constraints by rebuilding it (batch mode), dropping the old
    table. With foreign keys enforced that drop would delete every row that cascades from it
    (a contract's call-offs, a co-op's areas) and fail on the others, so enforcement is
    switched off while the tables are rebuilt, and every reference is checked before it is
    switched on again. The pragma only works between transactions: the revisions before this
    one are committed first, and this one's work before it is stamped (a failure rolls this
    one back whole)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"references broken by the rebuild: {broken[:5]}")
    except BaseException:
        connection.exec_driver_sql("ROLLBACK")
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        raise
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = ON")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


# Notification event types before this revision; it adds one.
EVENT_TYPES = (
    "membership.applied",
    "membership.approved",
    "proposal.opened",
    "proposal.closing_soon",
    "proposal.closed",
    "approval.waiting",
    "refund.waiting_second_approval",
    "refund.posted",
    "contribution.posted",
    "invoice.submitted",
    "invoice.approved",
    "visit.to_confirm",
    "tender.published",
    "tender.awarded",
    "support.request_updated",
    "support.comment_added",
    "compliance.expiring",
    "surplus.warning",
    "account.password_changed",
    "account.email_changed",
    "account.new_login",
)
NEW_EVENT_TYPE = "mandate.conflict_of_interest"


def _event_types(types: Sequence[str]) -> None:
    listed = ", ".join(f"'{t}'" for t in types)
    with op.batch_alter_table("notification_event", schema=None) as batch_op:
        batch_op.drop_constraint("eventtype", type_="check")
        batch_op.create_check_constraint("eventtype", f"type IN ({listed})")


def upgrade() -> None:
    with _foreign_keys_off(op.get_bind()):
        _upgrade()


def downgrade() -> None:
    with _foreign_keys_off(op.get_bind()):
        _downgrade()


def _upgrade() -> None:
    _event_types((*EVENT_TYPES, NEW_EVENT_TYPE))
    op.create_table(
        "approval_admin_approval",
        sa.Column("approval_id", sa.Uuid(), nullable=False),
        sa.Column("admin_user_id", sa.Uuid(), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["admin_user_id"],
            ["user_account.id"],
            name=op.f("fk_approval_admin_approval_admin_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["approval_id"],
            ["approval.id"],
            name=op.f("fk_approval_admin_approval_approval_id_approval"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "approval_id", "admin_user_id", name=op.f("pk_approval_admin_approval")
        ),
    )
    op.create_table(
        "capacity_change",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("lacks_capacity", sa.Boolean(), nullable=False),
        sa.Column("approver_mandate_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "applied",
                "superseded",
                name="capacitychangestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "lacks_capacity OR approver_mandate_id IS NULL",
            name=op.f("ck_capacity_change_approver_only_when_lacking"),
        ),
        sa.ForeignKeyConstraint(
            ["approver_mandate_id"],
            ["mandate.id"],
            name=op.f("fk_capacity_change_approver_mandate_id_mandate"),
        ),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_capacity_change_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_capacity_change_decided_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["coop_member.id"], name=op.f("fk_capacity_change_member_id_coop_member")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_capacity_change_requested_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_change")),
    )
    with op.batch_alter_table("capacity_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_capacity_change_member_id_requested_at", ["member_id", "requested_at"], unique=False
        )
        batch_op.create_index(
            "uq_capacity_change_pending",
            ["member_id"],
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )

    op.create_table(
        "safeguarding_concern",
        sa.Column("coop_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("raised_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coop_id"], ["coop.id"], name=op.f("fk_safeguarding_concern_coop_id_coop")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["coop_member.id"],
            name=op.f("fk_safeguarding_concern_member_id_coop_member"),
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_safeguarding_concern_raised_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_concern")),
    )
    with op.batch_alter_table("safeguarding_concern", schema=None) as batch_op:
        batch_op.create_index(
            "ix_safeguarding_concern_coop_id_raised_at", ["coop_id", "raised_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safeguarding_concern_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safeguarding_concern_raised_by_user_id"),
            ["raised_by_user_id"],
            unique=False,
        )

    with op.batch_alter_table("approval", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_by_user_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_approval_decided_by_user_id_user_account"),
            "user_account",
            ["decided_by_user_id"],
            ["id"],
        )
    approval = sa.table(
        "approval",
        sa.column("holder_user_id", sa.Uuid),
        sa.column("decided_at", sa.DateTime(timezone=True)),
        sa.column("decided_by_user_id", sa.Uuid),
    )
    op.get_bind().execute(
        approval.update()
        .where(approval.c.decided_at.is_not(None))
        .values(decided_by_user_id=approval.c.holder_user_id)
    )

    with op.batch_alter_table("coop_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "safeguarding_lead", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "lacks_capacity", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )
        batch_op.add_column(sa.Column("approver_mandate_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_coop_member_approver_mandate_id_mandate"),
            "mandate",
            ["approver_mandate_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_coop_member_lead_is_admin"), "is_admin OR NOT safeguarding_lead"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_coop_member_approver_only_when_lacking"),
            "lacks_capacity OR approver_mandate_id IS NULL",
        )

    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "role",
                sa.Enum(
                    "helper",
                    "suitable_person",
                    "lpa_property_financial",
                    "deputy",
                    "parent",
                    name="mandaterole",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                server_default="helper",
                nullable=False,
            )
        )


def _downgrade() -> None:
    # Events of the new type cannot be held by the older schema: they go, with what hangs on
    # them (deleted here, as the rebuild on SQLite runs without cascades).
    connection = op.get_bind()
    events = sa.table("notification_event", sa.column("id", sa.Uuid), sa.column("type", sa.String))
    new = sa.select(events.c.id).where(events.c.type == NEW_EVENT_TYPE)
    for child in ("webhook_attempt", "webhook_delivery", "notification"):
        table = sa.table(child, sa.column("event_id", sa.Uuid))
        connection.execute(table.delete().where(table.c.event_id.in_(new)))
    connection.execute(events.delete().where(events.c.type == NEW_EVENT_TYPE))
    _event_types(EVENT_TYPES)
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.drop_constraint("mandaterole", type_="check")
        batch_op.drop_column("role")

    with op.batch_alter_table("coop_member", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_coop_member_approver_only_when_lacking"), type_="check"
        )
        batch_op.drop_constraint(batch_op.f("ck_coop_member_lead_is_admin"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_coop_member_approver_mandate_id_mandate"), type_="foreignkey"
        )
        batch_op.drop_column("approver_mandate_id")
        batch_op.drop_column("lacks_capacity")
        batch_op.drop_column("safeguarding_lead")

    with op.batch_alter_table("approval", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_approval_decided_by_user_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("decided_by_user_id")

    with op.batch_alter_table("safeguarding_concern", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safeguarding_concern_raised_by_user_id"))
        batch_op.drop_index(batch_op.f("ix_safeguarding_concern_member_id"))
        batch_op.drop_index("ix_safeguarding_concern_coop_id_raised_at")

    op.drop_table("safeguarding_concern")
    with op.batch_alter_table("capacity_change", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_capacity_change_pending",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )
        batch_op.drop_index("ix_capacity_change_member_id_requested_at")

    op.drop_table("capacity_change")
    op.drop_table("approval_admin_approval")
