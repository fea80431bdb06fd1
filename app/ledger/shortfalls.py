"""Who is short in a transaction that several members pay into: the members whose accounts
hold less than they owe, and the 409 that names them."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.auth.models import User
from app.coops import service as coops
from app.coops.models import Member
from app.ledger.codes import member_account
from app.ledger.errors import InsufficientMemberFunds
from app.ledger.models import LedgerAccount


@dataclass(frozen=True, slots=True)
class Shortfall:
    member_id: uuid.UUID
    short_by_pence: int


def member_shortfalls(
    accounts: Mapping[str, LedgerAccount], owed: Iterable[tuple[uuid.UUID, int]]
) -> list[Shortfall]:
    """Members whose accounts hold less than they owe in one transaction (their amounts
    summed; an account not open holds nothing), in the order first owed, with how much each
    is short."""
    totals: dict[uuid.UUID, int] = defaultdict(int)
    for member_id, pence in owed:
        totals[member_id] += pence
    short = []
    for member_id, pence in totals.items():
        account = accounts.get(member_account(member_id))
        balance = account.balance_pence if account is not None else 0
        if balance < pence:
            short.append(Shortfall(member_id=member_id, short_by_pence=pence - balance))
    return short


async def insufficient_member_funds(
    session: AsyncSession, actor: Actor | None, *, coop_id: uuid.UUID, short: Sequence[Shortfall]
) -> InsufficientMemberFunds:
    """The 409 naming every member short: `members: [{member_id, holder_name,
    short_by_pence}]`. Names are for the co-op's administrators (acting in person) only; any
    other caller reads `holder_name` null."""
    names: dict[uuid.UUID, str] = {}
    caller = (
        await coops.active_membership(session, coop_id=coop_id, user_id=actor.user.id)
        if actor is not None and not actor.is_representing
        else None
    )
    if caller is not None and caller.is_admin and short:
        rows = await session.execute(
            select(Member.id, User.full_name)
            .join(User, User.id == Member.user_id)
            .where(Member.coop_id == coop_id, Member.id.in_([s.member_id for s in short]))
        )
        names = {row[0]: row[1] for row in rows.all()}
    return InsufficientMemberFunds(
        extra={
            "members": [
                {
                    "member_id": str(s.member_id),
                    "holder_name": names.get(s.member_id),
                    "short_by_pence": s.short_by_pence,
                }
                for s in short
            ]
        }
    )
