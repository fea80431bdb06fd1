"""Writing one checked transaction: its row, its postings and the new balances of the
accounts it touches, each as one prepared statement.

`service.post` has locked the accounts and checked the lines before it calls `write`. The
statements are built once: composing and caching an ORM statement, or flushing a unit of
work, cost several times the database's own round trip, and a contribution sends many.
The account objects the caller holds are told their new balances as already written, so
nothing is written twice, and the postings are kept for the transaction's answer
(`repository.as_posted`), so nothing is read back.
"""

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from app.ledger import repository
from app.ledger.models import (
    ContributionSource,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
    TransactionKind,
)

_TRANSACTIONS: Table = LedgerTransaction.__table__  # type: ignore[assignment]
_POSTINGS: Table = LedgerPosting.__table__  # type: ignore[assignment]
_ACCOUNTS: Table = LedgerAccount.__table__  # type: ignore[assignment]

INSERT_TRANSACTION = _TRANSACTIONS.insert()
INSERT_POSTINGS = _POSTINGS.insert()
SET_BALANCE = (
    update(_ACCOUNTS)
    .where(_ACCOUNTS.c.id == bindparam("account_id"))
    .values(balance_pence=bindparam("new_balance"))
)


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
    await session.execute(INSERT_TRANSACTION, _transaction_row(transaction))
    kind: TransactionKind = transaction.kind
    now: datetime = transaction.created_at
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
                "transaction_id": transaction.id,
                "kind": kind,
                "account_id": account.id,
                "position": position,
                "amount_pence": amount,
                "created_at": now,
                "source": source,
                "award_id": awards.get(account.member_id) if account.member_id else None,
            }
            for position, (account, amount) in enumerate(amounts)
        ],
    )
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


def _transaction_row(transaction: LedgerTransaction) -> dict[str, Any]:
    return {
        "id": transaction.id,
        "coop_id": transaction.coop_id,
        "kind": transaction.kind,
        "memo": transaction.memo,
        "created_at": transaction.created_at,
        "actor_user_id": transaction.actor_user_id,
        "on_behalf_of_user_id": transaction.on_behalf_of_user_id,
        "reverses_id": transaction.reverses_id,
    }
