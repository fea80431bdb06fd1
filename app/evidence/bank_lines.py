"""Which line of a co-op's bank statement each ledger transaction was matched to.

The single place the evidence pack asks. Bank statements and their matching arrive with the
bank domain (`app/bank`, below this one); until its tables exist there is nothing to match
against, so no movement has a bank line yet.
"""

import uuid
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession


async def bank_lines_of(
    session: AsyncSession, transaction_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The matched bank line of each of these transactions that has one (none, for now)."""
    del session, transaction_ids
    return {}
