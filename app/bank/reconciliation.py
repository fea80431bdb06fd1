"""The bank and the ledger side by side at the end of a day: what the bank says it holds,
what the pool holds, and the lines that explain the difference until they are matched.

`difference_pence = bank_balance_pence - ledger_bank_pence - unmatched_in_pence +
unmatched_out_pence`: money the bank received that the ledger does not show yet (unmatched
in) and money it paid that the ledger does not show yet (unmatched out) account for the gap;
what is left is for someone to find.
"""

import uuid
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.bank.models import BankLine, BankLineDecision, BankStatement
from app.bank.schemas import ReconciliationRead
from app.ledger import books


async def bank_balance(session: AsyncSession, *, coop_id: uuid.UUID, on: date) -> int:
    """The running balance of the last line on or before `on` (by date, then import, then
    the order the money moved within its file), else the sum of the lines to then."""
    last = (
        await session.execute(
            select(BankLine.balance_pence)
            .join(BankStatement, BankStatement.id == BankLine.statement_id)
            .where(BankLine.coop_id == coop_id, BankLine.booked_on <= on)
            .order_by(
                BankLine.booked_on.desc(),
                BankStatement.imported_at.desc(),
                BankStatement.id.desc(),
                BankLine.position.desc(),
            )
            .limit(1)
        )
    ).first()
    if last is not None and last[0] is not None:
        return int(last[0])
    total = await session.scalar(
        select(func.coalesce(func.sum(BankLine.amount_pence), 0)).where(
            BankLine.coop_id == coop_id, BankLine.booked_on <= on
        )
    )
    return int(total or 0)


async def reconcile(session: AsyncSession, *, coop_id: uuid.UUID, on: date) -> ReconciliationRead:
    bank = await bank_balance(session, coop_id=coop_id, on=on)
    ledger_bank = await books.pool_balance_at(session, coop_id=coop_id, on=on)
    money_in = case((BankLine.amount_pence > 0, BankLine.amount_pence), else_=0)
    money_out = case((BankLine.amount_pence < 0, -BankLine.amount_pence), else_=0)
    row = (
        await session.execute(
            select(func.coalesce(func.sum(money_in), 0), func.coalesce(func.sum(money_out), 0))
            .outerjoin(BankLineDecision, BankLineDecision.line_id == BankLine.id)
            .where(
                BankLine.coop_id == coop_id,
                BankLine.booked_on <= on,
                BankLineDecision.line_id.is_(None),
            )
        )
    ).one()
    unmatched_in, unmatched_out = int(row[0]), int(row[1])
    return ReconciliationRead(
        at=on,
        bank_balance_pence=bank,
        ledger_bank_pence=ledger_bank,
        unmatched_in_pence=unmatched_in,
        unmatched_out_pence=unmatched_out,
        difference_pence=bank - ledger_bank - unmatched_in + unmatched_out,
    )
