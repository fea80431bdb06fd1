"""A member's statement with what stands behind each movement: the ledger builds the
statement, the bank says which of its lines each transaction was matched to, and the invoices
and providers a care payment paid are named (`app.tenders.care`)."""

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.bank import service as bank
from app.coops.models import Member
from app.ledger import statements
from app.ledger.schemas import StatementRead
from app.tenders.care import care_paid_by


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
    transaction_ids = [movement.transaction_id for movement in read.movements]
    lines = await bank.bank_lines_for_transactions(session, transaction_ids)
    paid = await care_paid_by(session, transaction_ids)
    movements = []
    for movement in read.movements:
        update: dict[str, object] = {"bank_line_id": lines.get(movement.transaction_id)}
        care = paid.get(movement.transaction_id)
        if care is not None:
            update["invoice_id"] = care.invoice_id
            update["provider_name"] = care.provider_name
        movements.append(movement.model_copy(update=update))
    return read.model_copy(update={"movements": movements})
