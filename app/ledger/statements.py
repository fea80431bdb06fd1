"""Member statements: opening balance, movements, closing balance and weeks of budget held."""

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.coops.models import Member
from app.core.clock import day_range, local_date
from app.core.csv_answer import csv_text
from app.core.errors import ValidationFailed
from app.core.money import decimal_text
from app.direct_payments import service as direct_payments
from app.ledger import service as ledger
from app.ledger.models import LedgerAccount, LedgerPosting, LedgerTransaction
from app.ledger.schemas import MovementRead, StatementRead
from app.ledger.surplus import in_surplus

CSV_COLUMNS = (
    "date",
    "transaction_id",
    "kind",
    "amount_pence",
    "balance_pence",
    "memo",
    "source",
    "invoice_id",
    "provider_name",
    "bank_line_id",
)


@dataclass(frozen=True, slots=True)
class WeeksHeld:
    weeks: str
    surplus: bool


def weeks_held(balance_pence: int, weekly_pence: int, *, surplus_weeks: int) -> WeeksHeld:
    """balance / weekly award, to 1 decimal place rounded half up; a surplus when the exact
    value exceeds the paying council's `surplus_weeks`. Integer arithmetic: exact whatever
    the figures."""
    if weekly_pence <= 0:
        raise ValueError("a weekly award is at least 1 penny")
    return WeeksHeld(
        weeks=decimal_text(Fraction(balance_pence, weekly_pence), 1),
        surplus=in_surplus(balance_pence, weekly_pence, surplus_weeks=surplus_weeks),
    )


async def held_under_award(
    session: AsyncSession, member: Member, *, closing_pence: int, first: date, last: date
) -> WeeksHeld | None:
    """The closing balance in weeks of the latest award version in force during the days
    `first` to `last`, measured against that version's council's surplus rule; None without
    one."""
    award = await direct_payments.latest_in_force_between(
        session, member.user_id, first=first, last=last
    )
    if award is None:
        return None
    weeks = await areas.surplus_weeks(session, award.area_code)
    return weeks_held(closing_pence, award.weekly_amount_pence, surplus_weeks=weeks)


async def statement(
    session: AsyncSession,
    member: Member,
    *,
    from_date: date | None,
    to_date: date | None,
    now: datetime,
) -> StatementRead:
    """The member's account from `from_date` (default: the day it opened) to `to_date`
    (default: today), both inclusive, days in Wales. Each contribution names its source.

    `bank_line_id` is left empty here: bank lines are matched to transactions above the
    ledger, and `app.workflows.statements` adds them."""
    account = await session.scalar(
        select(LedgerAccount).where(
            LedgerAccount.coop_id == member.coop_id,
            LedgerAccount.code == ledger.member_account(member.id),
        )
    )
    last = to_date or local_date(now)
    opened = local_date(account.opened_at if account else member.joined_at)
    first = from_date or min(opened, last)
    if first > last:
        raise ValidationFailed([{"loc": ["query", "from"], "msg": "from may not be after to."}])
    start, end = day_range(first, last)
    opening = 0
    movements: list[MovementRead] = []
    if account is not None:
        opening = int(
            await session.scalar(
                select(func.coalesce(func.sum(LedgerPosting.amount_pence), 0)).where(
                    LedgerPosting.account_id == account.id, LedgerPosting.created_at < start
                )
            )
            or 0
        )
        rows = await session.execute(
            select(LedgerTransaction, LedgerPosting.amount_pence, LedgerPosting.source)
            .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
            .where(
                LedgerPosting.account_id == account.id,
                LedgerPosting.created_at >= start,
                LedgerPosting.created_at < end,
            )
            .order_by(LedgerTransaction.seq)
        )
        movements = [
            MovementRead(
                transaction_id=transaction.id,
                at=transaction.created_at,
                kind=transaction.kind,
                amount_pence=amount,
                memo=transaction.memo,
                source=source,
            )
            for transaction, amount, source in rows.all()
        ]
    closing = opening + sum(m.amount_pence for m in movements)
    held = await held_under_award(session, member, closing_pence=closing, first=first, last=last)
    return StatementRead(
        member_id=member.id,
        from_date=first,
        to_date=last,
        opening_balance_pence=opening,
        movements=movements,
        closing_balance_pence=closing,
        weeks_of_budget_held=held.weeks if held else None,
        surplus=held.surplus if held else None,
    )


def to_csv(read: StatementRead) -> str:
    """One movement per row between an opening and a closing line, each with the running
    balance (a payment for care with its invoice and provider); UTF-8, so Welsh text stays
    as written."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    balance = read.opening_balance_pence
    blank = [""] * 4
    rows.append([read.from_date, "", "opening_balance", "", balance, "Opening balance", *blank])
    for movement in read.movements:
        balance += movement.amount_pence
        rows.append(
            [
                local_date(movement.at),
                movement.transaction_id,
                movement.kind.value,
                movement.amount_pence,
                balance,
                movement.memo,
                movement.source.value if movement.source else "",
                movement.invoice_id,
                movement.provider_name,
                movement.bank_line_id or "",
            ]
        )
    rows.append([read.to_date, "", "closing_balance", "", balance, "Closing balance", *blank])
    return csv_text(rows)
