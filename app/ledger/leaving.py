"""Leaving a co-op, the ledger's part: waiting refunds are refused, the unspent balance paid out.

Whether a member still has commitments is asked before this, by the leaving story
(`app.workflows.membership.leave_coop`).
"""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.coops.models import Member
from app.ledger import service as ledger
from app.ledger.models import TransactionKind
from app.ledger.refunds import refuse_waiting_refunds

LEAVING_MEMO = "Unspent balance refunded on leaving / Ad-dalu'r balans heb ei wario wrth adael"


async def settle_on_leaving(
    session: AsyncSession, actor: Actor, member: Member, now: datetime
) -> None:
    """Refuse the member's refunds still waiting, and pay the whole unspent balance out
    (`member -> external:payouts`)."""
    await refuse_waiting_refunds(session, actor, member, now=now)
    code = ledger.member_account(member.id)
    # Both accounts the payout touches, locked together in the order every writer uses.
    accounts = await ledger.lock_accounts_if_open(
        session, coop_id=member.coop_id, codes=[code, ledger.PAYOUTS]
    )
    if code not in accounts:
        return  # an applicant withdrawing was never admitted: no account, nothing to pay
    balance = accounts[code].balance_pence
    if balance > 0:
        await ledger.post(
            session,
            actor,
            coop_id=member.coop_id,
            kind=TransactionKind.leaving_refund,
            memo=LEAVING_MEMO,
            lines=[ledger.Line(code, -balance), ledger.Line(ledger.PAYOUTS, balance)],
            now=now,
            about=member.user_id,
        )
