"""Direct Payment awards and the four-weekly contribution allowance.

The ledger owns contributions and sums them; this module owns the rule about them and
decides with pure functions (pull the data, push the decision):

    award = await direct_payments.award_in_force(session, holder_id, on=today, lock=True)
    cycle = direct_payments.cycle_of(award, today)
    used = await ledger.contributed_between(session, holder_id, cycle.first_day, cycle.last_day)
    direct_payments.check_fits(direct_payments.headroom(award, cycle, used), amount)
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.models import Member, MemberClass
from app.direct_payments.cycles import Cycle, cycle_allowance_pence, cycle_containing
from app.direct_payments.errors import ExceedsDirectPayment, NoDirectPayment, NotAHolder
from app.direct_payments.models import DirectPaymentAward


@dataclass(frozen=True, slots=True)
class Headroom:
    """The cycle containing the day asked about, and how much of its allowance is left."""

    cycle: Cycle
    allowance_pence: int
    contributed_pence: int

    @property
    def remaining_pence(self) -> int:
        return max(0, self.allowance_pence - self.contributed_pence)


async def get_award(
    session: AsyncSession, user_id: uuid.UUID, *, lock: bool = False
) -> DirectPaymentAward | None:
    stmt = select(DirectPaymentAward).where(DirectPaymentAward.user_id == user_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def set_award(
    session: AsyncSession,
    actor: Actor,
    *,
    area_code: str,
    weekly_amount_pence: int,
    start_date: date,
    end_date: date | None,
    assessed_hours_per_week: int | None,
    now: datetime,
) -> DirectPaymentAward:
    """Record the holder's award, replacing the one before (the audit log keeps the change)."""
    await areas.require_codes(session, [area_code], loc=("body", "area_code"))
    holder = actor.principal
    figures = {
        "area_code": area_code,
        "weekly_amount_pence": weekly_amount_pence,
        "start_date": start_date,
        "end_date": end_date,
        "assessed_hours_per_week": assessed_hours_per_week,
        "updated_at": now,
    }
    award = await get_award(session, holder.id, lock=True)
    created = award is None
    if award is None:
        award = DirectPaymentAward(user_id=holder.id, created_at=now, **figures)
        session.add(award)
        try:
            async with session.begin_nested():
                await session.flush()
        except IntegrityError:
            # A first award recorded by a simultaneous request won: this one replaces it.
            award = await get_award(session, holder.id, lock=True)
            if award is None:  # pragma: no cover - the row that won the race is there
                raise
            created = False
    if not created:
        for name, value in figures.items():
            setattr(award, name, value)
        await session.flush()
    # The award's figures are personal data: the audit entry names the act, not the amounts.
    audit.record(
        session,
        actor,
        "direct_payment.recorded" if created else "direct_payment.changed",
        "direct_payment_award",
        award.id,
        data={"area_code": area_code},
        about=holder.id,
    )
    return award


async def award_in_force(
    session: AsyncSession, holder_user_id: uuid.UUID, *, on: date, lock: bool = False
) -> DirectPaymentAward:
    """The holder's award in force on `on`, else `NoDirectPayment`.

    `lock` holds the award's row until the transaction ends, so two contributions from one
    holder (to any co-ops) are checked one after the other and cannot both fit in the same
    remaining allowance.
    """
    award = await get_award(session, holder_user_id, lock=lock)
    if award is None or not award.in_force_on(on):
        raise NoDirectPayment(day=on.isoformat())
    return award


def cycle_of(award: DirectPaymentAward, on: date) -> Cycle:
    """The four-week cycle, counted from the award's start, that holds `on`."""
    return cycle_containing(award.start_date, on)


def headroom(award: DirectPaymentAward, cycle: Cycle, *, contributed_pence: int) -> Headroom:
    """How much the holder may still contribute in `cycle`, across all co-ops: four times the
    weekly award less what they already contributed in it."""
    return Headroom(
        cycle=cycle,
        allowance_pence=cycle_allowance_pence(award.weekly_amount_pence),
        contributed_pence=contributed_pence,
    )


def check_holder(member: Member, *, holder_user_id: uuid.UUID) -> None:
    """Money from a Direct Payment goes only to the holder's own service_user membership."""
    if member.member_class != MemberClass.service_user or member.user_id != holder_user_id:
        raise NotAHolder


def check_fits(headroom: Headroom, *, amount_pence: int) -> None:
    """Refuse an amount beyond what the cycle has left (`ExceedsDirectPayment`)."""
    if amount_pence > headroom.remaining_pence:
        raise ExceedsDirectPayment(
            first_day=headroom.cycle.first_day.isoformat(),
            last_day=headroom.cycle.last_day.isoformat(),
            remaining_pence=headroom.remaining_pence,
            extra={"remaining_pence": headroom.remaining_pence},
        )
