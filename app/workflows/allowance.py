"""The Direct Payment allowance as the holder reads it: the award's rule, the ledger's sum."""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.direct_payments import service as direct_payments
from app.direct_payments.models import DirectPaymentAward
from app.ledger import contributions


async def allowance(
    session: AsyncSession, award: DirectPaymentAward, *, on: date
) -> direct_payments.Headroom | None:
    """The cycle holding `on` (counted from the version's start) and what is left of it; None
    when the version is not in force that day."""
    if not award.in_force_on(on):
        return None
    cycle = direct_payments.cycle_of(award, on)
    used = await contributions.contributed_between(
        session, holder_user_id=award.user_id, first_day=cycle.first_day, last_day=cycle.last_day
    )
    return direct_payments.headroom(award, cycle, contributed_pence=used)
