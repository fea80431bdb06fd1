"""A member's statement with the bank's side of each movement: the ledger builds the
statement, the bank says which of its lines each transaction was matched to."""

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.bank import service as bank
from app.coops.models import Member
from app.ledger import statements
from app.ledger.schemas import StatementRead


async def member_statement(
    session: AsyncSession,
    member: Member,
    *,
    from_date: date | None,
    to_date: date | None,
    now: datetime,
) -> StatementRead:
    read = await statements.statement(
        session, member, from_date=from_date, to_date=to_date, now=now
    )
    lines = await bank.bank_lines_for_transactions(
        session, [movement.transaction_id for movement in read.movements]
    )
    return read.model_copy(
        update={
            "movements": [
                movement.model_copy(update={"bank_line_id": lines.get(movement.transaction_id)})
                for movement in read.movements
            ]
        }
    )
