"""The treasurer's month end in the ledger: transactions by days and kind, their CSV, every
account's balance at the end of a day, and the pool's balance then."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.coops.models import Member
from app.core.clock import day_range, local_date
from app.core.csv_answer import csv_text
from app.core.errors import ValidationFailed
from app.core.field_errors import field_error
from app.core.schemas import FIRST_MOMENT, LAST_MOMENT
from app.ledger.models import AccountKind, LedgerAccount, LedgerPosting, TransactionKind
from app.ledger.schemas import BalanceRead, BalancesRead, LedgerTransactionRead

# The kinds a ledger is filtered by, as SPEC names them. `payroll` is among them before any
# transaction of that kind is posted: asked for, it finds nothing yet.
LedgerKind = Literal[
    "contribution",
    "refund",
    "leaving_refund",
    "invoice_approval",
    "invoice_payment",
    "support_charge",
    "payroll",
    "reversal",
]

CSV_COLUMNS = (
    "date",
    "created_at",
    "transaction_id",
    "kind",
    "source",
    "account",
    "amount_pence",
    "memo",
)


def stored_kinds(kind: LedgerKind | None) -> list[TransactionKind] | None:
    """The stored kinds a filter names (None: no filter). A kind SPEC names that no
    transaction is stored as yet names none, so it finds nothing."""
    if kind is None:
        return None
    return [k for k in TransactionKind if k.value == kind]


def days(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    if first is not None and last is not None and first > last:
        raise ValidationFailed(
            [
                field_error(
                    ["query", "from"],
                    "from may not be after to.",
                    msg_cy="Ni chaiff from fod ar ôl to.",
                )
            ]
        )
    return first, last


def instants(first: date | None, last: date | None) -> tuple[datetime, datetime] | None:
    """The instants [start, end) of the days `first` to `last` in Wales (either open)."""
    if first is None and last is None:
        return None
    start = day_range(first, first)[0] if first else FIRST_MOMENT
    end = day_range(last, last)[1] if last else LAST_MOMENT
    return start, end


def to_csv(transactions: Sequence[LedgerTransactionRead]) -> str:
    """One row per posting, as the caller may see it; UTF-8, so Welsh stays as written."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    rows.extend(
        [
            local_date(transaction.created_at),
            transaction.created_at,
            transaction.id,
            transaction.kind.value,
            transaction.source.value if transaction.source else "",
            posting.account,
            posting.amount_pence,
            transaction.memo,
        ]
        for transaction in transactions
        for posting in transaction.postings
    )
    return csv_text(rows)


async def balances_at(session: AsyncSession, *, coop_id: uuid.UUID, on: date) -> BalancesRead:
    """Every account opened by the end of `on` (a day in Wales), with the sum of its postings
    made by then, zeros included; member accounts name their member."""
    _, end = day_range(on, on)
    rows = await session.execute(
        select(
            LedgerAccount.code,
            LedgerAccount.member_id,
            User.full_name,
            func.coalesce(func.sum(LedgerPosting.amount_pence), 0),
        )
        .outerjoin(
            LedgerPosting,
            and_(LedgerPosting.account_id == LedgerAccount.id, LedgerPosting.created_at < end),
        )
        .outerjoin(Member, Member.id == LedgerAccount.member_id)
        .outerjoin(User, User.id == Member.user_id)
        .where(LedgerAccount.coop_id == coop_id, LedgerAccount.opened_at < end)
        .group_by(LedgerAccount.id, LedgerAccount.code, LedgerAccount.member_id, User.full_name)
        .order_by(LedgerAccount.code)
    )
    items = [
        BalanceRead(account=code, member_id=member_id, holder_name=name, balance_pence=int(balance))
        for code, member_id, name, balance in rows.all()
    ]
    return BalancesRead(at=on, items=items, total_pence=sum(i.balance_pence for i in items))


async def pool_balance_at(session: AsyncSession, *, coop_id: uuid.UUID, on: date) -> int:
    """What the pool held at the end of `on`: members, shared and provider accounts together
    (the `balance_pence` of `GET .../pool` then), which is what the bank should hold."""
    _, end = day_range(on, on)
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerPosting.amount_pence), 0))
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(
            LedgerAccount.coop_id == coop_id,
            LedgerAccount.kind != AccountKind.external,
            LedgerPosting.created_at < end,
        )
    )
    return int(total or 0)
