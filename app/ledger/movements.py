"""What each transaction moved into or out of the co-op's bank account: the opposite of its
postings on the external accounts (a contribution of 500 brings 500 in; a refund or a
payment to a provider takes its amount out; a charge between accounts moves nothing). Bank
statement lines are matched against these."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import local_date
from app.ledger.models import (
    AccountKind,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
    TransactionKind,
)


@dataclass(frozen=True, slots=True)
class Movement:
    transaction_id: uuid.UUID
    kind: TransactionKind
    day: date  # in Wales
    amount_pence: int  # into the bank +, out of it -
    memo: str


def _movements(coop_id: uuid.UUID) -> Select[uuid.UUID, TransactionKind, datetime, str, int]:
    into_bank = -func.sum(LedgerPosting.amount_pence)
    return (
        select(
            LedgerTransaction.id,
            LedgerTransaction.kind,
            LedgerTransaction.created_at,
            LedgerTransaction.memo,
            into_bank,
        )
        .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerTransaction.coop_id == coop_id, LedgerAccount.kind == AccountKind.external)
        .group_by(
            LedgerTransaction.id,
            LedgerTransaction.kind,
            LedgerTransaction.created_at,
            LedgerTransaction.memo,
        )
        .having(into_bank != 0)
    )


def _read(rows: Sequence[tuple[uuid.UUID, TransactionKind, datetime, str, int]]) -> list[Movement]:
    return [
        Movement(
            transaction_id=transaction_id,
            kind=kind,
            day=local_date(created_at),
            amount_pence=int(amount),
            memo=memo,
        )
        for transaction_id, kind, created_at, memo, amount in rows
    ]


async def bank_movements(
    session: AsyncSession,
    *,
    coop_id: uuid.UUID,
    outgoing_between: tuple[datetime, datetime],
    excluding: Select[uuid.UUID | None] | None = None,
) -> list[Movement]:
    """Every contribution of the co-op, and every other transaction that moved money through
    the bank made within the instants `outgoing_between` [start, end), leaving out the
    transactions `excluding` selects (those already matched)."""
    start, end = outgoing_between
    stmt = _movements(coop_id).where(
        or_(
            LedgerTransaction.kind == TransactionKind.contribution,
            (LedgerTransaction.created_at >= start) & (LedgerTransaction.created_at < end),
        )
    )
    if excluding is not None:
        stmt = stmt.where(LedgerTransaction.id.not_in(excluding.scalar_subquery()))
    return _read((await session.execute(stmt)).all())


async def movement_of(
    session: AsyncSession, *, coop_id: uuid.UUID, transaction_id: uuid.UUID
) -> Movement | None:
    """What one of the co-op's transactions moved through the bank (amount 0 when it moved
    nothing there), or None when the co-op has no such transaction."""
    found = (
        await session.execute(_movements(coop_id).where(LedgerTransaction.id == transaction_id))
    ).all()
    if found:
        return _read(found)[0]
    row = (
        await session.execute(
            select(
                LedgerTransaction.id,
                LedgerTransaction.kind,
                LedgerTransaction.created_at,
                LedgerTransaction.memo,
            ).where(LedgerTransaction.coop_id == coop_id, LedgerTransaction.id == transaction_id)
        )
    ).first()
    if row is None:
        return None
    return Movement(
        transaction_id=row[0], kind=row[1], day=local_date(row[2]), amount_pence=0, memo=row[3]
    )
