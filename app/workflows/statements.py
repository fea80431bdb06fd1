"""A member's statement with the care behind each payment named: the ledger's movements, the
invoices and providers they paid (`app.tenders.care`)."""

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

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
    paid = await care_paid_by(session, [m.transaction_id for m in read.movements])
    if not paid:
        return read
    movements = [
        movement.model_copy(
            update={
                "invoice_id": paid[movement.transaction_id].invoice_id,
                "provider_name": paid[movement.transaction_id].provider_name,
            }
        )
        if movement.transaction_id in paid
        else movement
        for movement in read.movements
    ]
    return read.model_copy(update={"movements": movements})
