"""Reading the books straight from the database, and the invariants they must keep."""

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.ledger.models import AccountKind, LedgerAccount, LedgerPosting, LedgerTransaction


@dataclass(frozen=True)
class Books:
    """One co-op's accounts: stored balance and the sum of postings, per account code."""

    balances: dict[str, int]
    posted: dict[str, int]
    kinds: dict[str, AccountKind]
    transactions: int
    postings: int

    def balance(self, code: str) -> int:
        return self.balances[code]


async def read_books(db: AsyncSession | AsyncConnection, coop_id: uuid.UUID) -> Books:
    accounts = (
        await db.execute(
            select(LedgerAccount.code, LedgerAccount.kind, LedgerAccount.balance_pence).where(
                LedgerAccount.coop_id == coop_id
            )
        )
    ).all()
    sums = (
        await db.execute(
            select(LedgerAccount.code, func.coalesce(func.sum(LedgerPosting.amount_pence), 0))
            .join(LedgerPosting, LedgerPosting.account_id == LedgerAccount.id, isouter=True)
            .where(LedgerAccount.coop_id == coop_id)
            .group_by(LedgerAccount.code)
        )
    ).all()
    transactions = await db.scalar(
        select(func.count())
        .select_from(LedgerTransaction)
        .where(LedgerTransaction.coop_id == coop_id)
    )
    postings = await db.scalar(
        select(func.count())
        .select_from(LedgerPosting)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerAccount.coop_id == coop_id)
    )
    return Books(
        balances={code: int(balance) for code, _, balance in accounts},
        posted={code: int(total) for code, total in sums},
        kinds={code: AccountKind(kind) for code, kind, _ in accounts},
        transactions=int(transactions or 0),
        postings=int(postings or 0),
    )


async def assert_books_balance(db: AsyncSession | AsyncConnection, coop_id: uuid.UUID) -> Books:
    """Every transaction sums to zero, every balance is the sum of its postings, and no
    account but an external one is below zero."""
    books = await read_books(db, coop_id)
    assert sum(books.posted.values()) == 0, books
    assert books.balances == books.posted, books
    for code, balance in books.balances.items():
        if books.kinds[code] is not AccountKind.external:
            assert balance >= 0, (code, balance)
    unbalanced = (
        await db.execute(
            select(LedgerPosting.transaction_id)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
            .where(LedgerTransaction.coop_id == coop_id)
            .group_by(LedgerPosting.transaction_id)
            .having(func.sum(LedgerPosting.amount_pence) != 0)
        )
    ).all()
    assert unbalanced == []
    return books
