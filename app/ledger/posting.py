"""Writing one checked transaction: its row, its postings and the new balances of the
accounts it touches, in one statement on PostgreSQL, in three on SQLite (in process: no round
trips to save).

`service.post` has locked the accounts and checked the lines before it calls `write`. The
statements are built once: composing an ORM statement, or flushing a unit of work, cost
several times the database's own round trip, and every posting sends them.
The account objects the caller holds are told their new balances as already written, so
nothing is written twice, and the postings are kept for the transaction's answer
(`repository.as_posted`), so nothing is read back.
"""

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Insert, Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.core.db import bound_array
from app.ledger import repository
from app.ledger.models import (
    ContributionSource,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
)

_TRANSACTIONS: Table = LedgerTransaction.__table__  # type: ignore[assignment]
_POSTINGS: Table = LedgerPosting.__table__  # type: ignore[assignment]
_ACCOUNTS: Table = LedgerAccount.__table__  # type: ignore[assignment]
_TRANSACTION_COLUMNS = (
    "id",
    "coop_id",
    "kind",
    "memo",
    "created_at",
    "actor_user_id",
    "on_behalf_of_user_id",
    "reverses_id",
)

INSERT_TRANSACTION = _TRANSACTIONS.insert()
INSERT_POSTINGS = _POSTINGS.insert()
SET_BALANCE = (
    update(_ACCOUNTS)
    .where(_ACCOUNTS.c.id == bindparam("account_id"))
    .values(balance_pence=bindparam("new_balance"))
)


def _all_at_once() -> Insert:
    """On PostgreSQL the three writes as one statement: the transaction and the balances in
    two data-modifying WITH clauses, the postings one per element of the arrays bound (the
    foreign keys are checked at the statement's end, when the transaction is there)."""
    transaction = _TRANSACTIONS.insert().values(
        {
            name: bindparam(f"t_{name}", type_=_TRANSACTIONS.c[name].type)
            for name in _TRANSACTION_COLUMNS
        }
    )
    moved = select(
        func.unnest(bound_array("account_ids", _ACCOUNTS.c.id)).label("account_id"),
        func.unnest(bound_array("new_balances", _ACCOUNTS.c.balance_pence)).label("new_balance"),
    ).subquery("moved")
    balances = (
        update(_ACCOUNTS)
        .where(_ACCOUNTS.c.id == moved.c.account_id)
        .values(balance_pence=moved.c.new_balance)
    )
    postings = select(
        func.unnest(bound_array("posting_ids", _POSTINGS.c.id)),
        bindparam("t_id", type_=_POSTINGS.c.transaction_id.type),
        bindparam("t_kind", type_=_POSTINGS.c.kind.type),
        func.unnest(bound_array("account_ids", _POSTINGS.c.account_id)),
        func.unnest(bound_array("positions", _POSTINGS.c.position)),
        func.unnest(bound_array("amounts", _POSTINGS.c.amount_pence)),
        bindparam("t_created_at", type_=_POSTINGS.c.created_at.type),
        bindparam("source", type_=_POSTINGS.c.source.type),
        func.unnest(bound_array("award_ids", _POSTINGS.c.award_id)),
    )
    names = [
        "id",
        "transaction_id",
        "kind",
        "account_id",
        "position",
        "amount_pence",
        "created_at",
        "source",
        "award_id",
    ]
    return (
        _POSTINGS.insert()
        .from_select(names, postings)
        .add_cte(transaction.cte("written_transaction"))
        .add_cte(balances.cte("moved_balances"))
    )


WRITE_ALL_AT_ONCE = _all_at_once()


async def write(
    session: AsyncSession,
    transaction: LedgerTransaction,
    *,
    amounts: Sequence[tuple[LedgerAccount, int]],
    awards: Mapping[uuid.UUID, uuid.UUID],
    source: ContributionSource | None,
) -> None:
    """Insert `transaction` and one posting per (account, amount), in that order, each
    posting on a member's account under that member's award version (`awards`), and move
    the accounts' balances."""
    row = _transaction_row(transaction)
    award_ids = [awards.get(a.member_id) if a.member_id else None for a, _ in amounts]
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            WRITE_ALL_AT_ONCE,
            {
                **{f"t_{name}": value for name, value in row.items()},
                "account_ids": [account.id for account, _ in amounts],
                "new_balances": [account.balance_pence + amount for account, amount in amounts],
                "posting_ids": [uuid.uuid4() for _ in amounts],
                "positions": list(range(len(amounts))),
                "amounts": [amount for _, amount in amounts],
                "source": source,
                "award_ids": award_ids,
            },
        )
    else:
        await _write_one_by_one(session, row, amounts=amounts, award_ids=award_ids, source=source)
    for account, amount in amounts:
        set_committed_value(account, "balance_pence", account.balance_pence + amount)
    repository.remember_written(
        session,
        transaction.id,
        [
            repository.PostingRow(
                transaction.id, account.code, account.kind, account.member_id, amount, source
            )
            for account, amount in amounts
        ],
    )


async def _write_one_by_one(
    session: AsyncSession,
    row: dict[str, Any],
    *,
    amounts: Sequence[tuple[LedgerAccount, int]],
    award_ids: Sequence[uuid.UUID | None],
    source: ContributionSource | None,
) -> None:
    await session.execute(INSERT_TRANSACTION, row)
    await session.execute(
        SET_BALANCE,
        [
            {"account_id": account.id, "new_balance": account.balance_pence + amount}
            for account, amount in amounts
        ],
    )
    await session.execute(
        INSERT_POSTINGS,
        [
            {
                "id": uuid.uuid4(),
                "transaction_id": row["id"],
                "kind": row["kind"],
                "account_id": account.id,
                "position": position,
                "amount_pence": amount,
                "created_at": row["created_at"],
                "source": source,
                "award_id": award_id,
            }
            for position, ((account, amount), award_id) in enumerate(
                zip(amounts, award_ids, strict=True)
            )
        ],
    )


def _transaction_row(transaction: LedgerTransaction) -> dict[str, Any]:
    return {name: getattr(transaction, name) for name in _TRANSACTION_COLUMNS}
