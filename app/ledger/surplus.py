"""The surplus flag: a holder's balance above their paying council's `surplus_weeks` (8 unless
the council's monitoring profile says otherwise) of their Direct Payment.

Councils may claw back an unspent surplus, so the holder is told (`surplus.warning`) each time
the flag turns true; it is looked at whenever a posting moves a member's balance, under the
membership's lock, and a balance that falls back resets it for the next time.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.coops.models import Member
from app.core.clock import local_date
from app.direct_payments import service as direct_payments
from app.direct_payments.models import DirectPaymentAward
from app.ledger.models import LedgerAccount
from app.notifications.events import Event, EventType
from app.notifications.service import flag_turned_on, notify


def in_surplus(balance_pence: int, weekly_pence: int, *, surplus_weeks: int) -> bool:
    return balance_pence > surplus_weeks * weekly_pence


@dataclass(frozen=True, slots=True)
class HolderToday:
    """A member account's holder and their award version in force today (None: none), with
    their council's `surplus_weeks` when read with it (None: `watch` reads it)."""

    user_id: uuid.UUID
    award: DirectPaymentAward | None
    surplus_weeks: int | None = None

    @classmethod
    def of(cls, user_id: uuid.UUID, in_force: direct_payments.AwardToday | None) -> "HolderToday":
        if in_force is None:
            return cls(user_id, None)
        return cls(user_id, in_force.award, in_force.surplus_weeks)


async def watch(
    session: AsyncSession,
    accounts: Sequence[LedgerAccount],
    *,
    now: datetime,
    holders: Mapping[uuid.UUID, HolderToday] | None = None,
) -> None:
    """After a posting: tell each holder whose touched account has just gone into surplus.
    `holders` are those the caller has read already (by membership), under the holder's
    lock; the others are read here."""
    by_member = {a.member_id: a for a in accounts if a.member_id is not None}
    if not by_member:
        return
    found = {m: h for m, h in (holders or {}).items() if m in by_member}
    unread = [m for m in by_member if m not in found]
    if unread:
        rows = await session.execute(select(Member.id, Member.user_id).where(Member.id.in_(unread)))
        for member_id, user_id in rows.all():
            award = await direct_payments.version_in_force(session, user_id, on=local_date(now))
            found[member_id] = HolderToday(user_id, award)
    for member_id, holder in found.items():
        account = by_member[member_id]
        award, user_id = holder.award, holder.user_id
        surplus, weeks = False, None
        if award is not None:
            weeks = holder.surplus_weeks
            if weeks is None:
                weeks = await areas.surplus_weeks(session, award.area_code)
            surplus = in_surplus(
                account.balance_pence, award.weekly_amount_pence, surplus_weeks=weeks
            )
        if await flag_turned_on(session, _key(member_id), on=surplus, now=now):
            await notify(
                session,
                Event(
                    type=EventType.surplus_warning,
                    subject_type="coop_member",
                    subject_id=member_id,
                    at=now,
                    coop_id=account.coop_id,
                    recipients=[user_id],
                    params={"balance_pence": account.balance_pence, "surplus_weeks": weeks},
                ),
            )


def _key(member_id: uuid.UUID) -> str:
    return f"surplus:{member_id}"
