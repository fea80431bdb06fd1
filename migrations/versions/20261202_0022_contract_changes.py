"""Contracts that change and end, and votes members can check.

* `coop.variation_vote_percent`, by default (and for existing co-ops) 5.
* `contract` gains `provider_name` (the name it keeps; existing contracts take their
  provider's name as it is now, the nearest record there is of the name they were signed
  under), `start_date` (the day it was made, in Wales), `end_date`, `end_reason` and
  `ended_at`; its status may be `ended`.
* `contract_variation`: changes of a contract's rate, applied or put to the members' vote.
* `proposal.class_tally`: the counts by class, written at the close. Proposals already closed
  take theirs from their ballots, which are kept, counted by the class each elector had when
  the proposal opened (as the close counted them). Proposal kind `contract_variation`.

Downgrading drops the variations (invoices keep the amounts they were priced at); their
proposals stay, as `general` ones, with their counts and ballots; ended contracts read
`active` again, their call-offs keeping their last days, so nothing more can be invoiced
after them.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-02 09:00:00
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WALES = ZoneInfo("Europe/London")
CONTRACT_STATUSES = ("active", "ended")
PROPOSAL_KINDS = ("general", "award_tender", "contract_variation")
PENDING = sa.text("status = 'pending_vote'")

provider = sa.table("provider", sa.column("id", sa.Uuid()), sa.column("name", sa.String()))
contract = sa.table(
    "contract",
    sa.column("id", sa.Uuid()),
    sa.column("provider_id", sa.Uuid()),
    sa.column("provider_name", sa.String()),
    sa.column("status", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("start_date", sa.Date()),
)
proposal = sa.table(
    "proposal",
    sa.column("id", sa.Uuid()),
    sa.column("kind", sa.String()),
    sa.column("status", sa.String()),
    sa.column("class_tally", sa.JSON()),
)
elector = sa.table(
    "proposal_elector",
    sa.column("proposal_id", sa.Uuid()),
    sa.column("member_id", sa.Uuid()),
    sa.column("member_class", sa.String()),
)
vote = sa.table(
    "proposal_vote",
    sa.column("proposal_id", sa.Uuid()),
    sa.column("member_id", sa.Uuid()),
    sa.column("choice", sa.String()),
)


def _day_in_wales(moment: datetime) -> object:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(WALES).date()


def _one_of(column: str, values: Sequence[str]) -> sa.ColumnElement[bool]:
    return sa.column(column).in_(values)


def _fill_contracts(connection: sa.Connection) -> None:
    connection.execute(
        contract.update().values(
            provider_name=sa.select(provider.c.name)
            .where(provider.c.id == contract.c.provider_id)
            .scalar_subquery()
        )
    )
    for contract_id, created_at in connection.execute(
        sa.select(contract.c.id, contract.c.created_at)
    ).all():
        connection.execute(
            contract.update()
            .where(contract.c.id == contract_id)
            .values(start_date=_day_in_wales(created_at))
        )


def _fill_class_tallies(connection: sa.Connection) -> None:
    classes: dict[object, set[str]] = defaultdict(set)
    counts: dict[object, dict[str, dict[str, int]]] = defaultdict(dict)
    closed = proposal.c.status != "open"
    for proposal_id, member_class in connection.execute(
        sa.select(elector.c.proposal_id, elector.c.member_class)
        .join(proposal, proposal.c.id == elector.c.proposal_id)
        .where(closed)
        .distinct()
    ).all():
        classes[proposal_id].add(str(member_class))
    for proposal_id, member_class, choice, number in connection.execute(
        sa.select(vote.c.proposal_id, elector.c.member_class, vote.c.choice, sa.func.count())
        .join(
            elector,
            (elector.c.proposal_id == vote.c.proposal_id)
            & (elector.c.member_id == vote.c.member_id),
        )
        .join(proposal, proposal.c.id == vote.c.proposal_id)
        .where(closed)
        .group_by(vote.c.proposal_id, elector.c.member_class, vote.c.choice)
    ).all():
        by_choice = counts[proposal_id].setdefault(
            str(member_class), {"yes": 0, "no": 0, "abstain": 0}
        )
        by_choice[str(choice)] = int(number)
    for (proposal_id,) in connection.execute(sa.select(proposal.c.id).where(closed)).all():
        tally = {
            member_class: counts[proposal_id].get(member_class, {"yes": 0, "no": 0, "abstain": 0})
            for member_class in sorted(classes[proposal_id] | set(counts[proposal_id]))
        }
        connection.execute(
            proposal.update().where(proposal.c.id == proposal_id).values(class_tally=tally)
        )


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


def upgrade() -> None:
    with _foreign_keys_off(op.get_bind()):
        _upgrade(op.get_bind())


def downgrade() -> None:
    with _foreign_keys_off(op.get_bind()):
        _downgrade(op.get_bind())


def _upgrade(connection: sa.Connection) -> None:

    with op.batch_alter_table("coop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "variation_vote_percent",
                sa.Integer(),
                server_default=sa.text("5"),
                nullable=False,
            )
        )
        batch_op.create_check_constraint(
            "variation_vote_percent_range", "variation_vote_percent BETWEEN 0 AND 100"
        )

    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("end_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("end_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
    _fill_contracts(connection)
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.alter_column("provider_name", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("start_date", existing_type=sa.Date(), nullable=False)
        batch_op.drop_constraint(op.f("ck_contract_contractstatus"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_contract_contractstatus"),
            _one_of("status", CONTRACT_STATUSES),
        )
        batch_op.create_check_constraint(
            "ends_after_start", "end_date IS NULL OR end_date >= start_date"
        )

    op.create_table(
        "contract_variation",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("hourly_rate_pence", sa.Integer(), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applied",
                "pending_vote",
                "rejected",
                name="variationstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("proposal_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "hourly_rate_pence > 0", name=op.f("ck_contract_variation_rate_positive")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_variation_contract_id_contract"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_contract_variation_created_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_contract_variation_proposal_id_proposal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_variation")),
    )
    with op.batch_alter_table("contract_variation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contract_variation_contract_id_from_date", ["contract_id", "from_date"]
        )
        batch_op.create_index(op.f("ix_contract_variation_proposal_id"), ["proposal_id"])
        batch_op.create_index(
            "uq_contract_variation_pending",
            ["contract_id"],
            unique=True,
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        )

    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("class_tally", sa.JSON(), nullable=True))
        batch_op.drop_constraint(op.f("ck_proposal_proposalkind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_proposal_proposalkind"), _one_of("kind", PROPOSAL_KINDS)
        )
    _fill_class_tallies(connection)


def _downgrade(connection: sa.Connection) -> None:
    connection.execute(
        proposal.update().where(proposal.c.kind == "contract_variation").values(kind="general")
    )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_proposal_proposalkind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_proposal_proposalkind"),
            _one_of("kind", PROPOSAL_KINDS[:2]),
        )
        batch_op.drop_column("class_tally")

    with op.batch_alter_table("contract_variation", schema=None) as batch_op:
        batch_op.drop_index("uq_contract_variation_pending")
        batch_op.drop_index(op.f("ix_contract_variation_proposal_id"))
        batch_op.drop_index("ix_contract_variation_contract_id_from_date")
    op.drop_table("contract_variation")

    connection.execute(contract.update().values(status="active"))
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_contract_ends_after_start"), type_="check")
        batch_op.drop_constraint(op.f("ck_contract_contractstatus"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_contract_contractstatus"),
            _one_of("status", CONTRACT_STATUSES[:1]),
        )
        batch_op.drop_column("ended_at")
        batch_op.drop_column("end_reason")
        batch_op.drop_column("end_date")
        batch_op.drop_column("start_date")
        batch_op.drop_column("provider_name")

    with op.batch_alter_table("coop", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_coop_variation_vote_percent_range"), type_="check")
        batch_op.drop_column("variation_vote_percent")
