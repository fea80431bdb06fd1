"""Direct Payment awards and the four-weekly contribution allowance the ledger enforces.

The ledger owns contributions; this module owns the rule about them. Two seams join them:

* `register_contribution_source(source)`: the ledger registers a function answering "how
  many pence has this holder contributed, across all co-ops, from `first_day` to `last_day`
  inclusive?". With none registered the answer is 0 (nothing can have been contributed
  before the ledger exists).
* `check_contribution(...)` / `contribution_headroom(...)`: what the ledger calls before it
  posts a contribution, raising `NotAHolder`, `NoDirectPayment` or `ExceedsDirectPayment`.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

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


class ContributionSource(Protocol):
    """Pence a holder contributed, across all co-ops, from `first_day` to `last_day` inclusive."""

    async def __call__(
        self,
        session: AsyncSession,
        *,
        holder_user_id: uuid.UUID,
        first_day: date,
        last_day: date,
    ) -> int: ...


_sources: list[ContributionSource] = []


def register_contribution_source(source: ContributionSource) -> None:
    """Count `source`'s contributions against the allowance (registering twice counts once)."""
    if source not in _sources:
        _sources.append(source)


async def contributed_between(
    session: AsyncSession, *, holder_user_id: uuid.UUID, first_day: date, last_day: date
) -> int:
    total = 0
    for source in _sources:
        total += await source(
            session, holder_user_id=holder_user_id, first_day=first_day, last_day=last_day
        )
    return total


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


async def contribution_headroom(
    session: AsyncSession, *, holder_user_id: uuid.UUID, on: date
) -> Headroom:
    """How much the holder may still contribute, across all co-ops, in the cycle holding `on`:
    four times the weekly award less what they already contributed in that cycle.

    Raises `NoDirectPayment` when no award is in force on `on`.
    """
    award = await get_award(session, holder_user_id)
    return await _headroom(session, award, holder_user_id=holder_user_id, on=on)


async def _headroom(
    session: AsyncSession,
    award: DirectPaymentAward | None,
    *,
    holder_user_id: uuid.UUID,
    on: date,
) -> Headroom:
    if award is None or not award.in_force_on(on):
        raise NoDirectPayment(day=on.isoformat())
    cycle = cycle_containing(award.start_date, on)
    contributed = await contributed_between(
        session, holder_user_id=holder_user_id, first_day=cycle.first_day, last_day=cycle.last_day
    )
    return Headroom(
        cycle=cycle,
        allowance_pence=cycle_allowance_pence(award.weekly_amount_pence),
        contributed_pence=contributed,
    )


async def check_contribution(
    session: AsyncSession,
    *,
    holder_user_id: uuid.UUID,
    member: Member,
    amount_pence: int,
    on: date,
) -> Headroom:
    """Refuse a contribution the Direct Payment rules do not allow; else return the headroom
    it fits in.

    `member` is the membership the money goes to and must be of the service_user class
    (`NotAHolder`) and belong to the holder; an award must be in force on `on`
    (`NoDirectPayment`); the amount must fit in what the cycle has left
    (`ExceedsDirectPayment`). The holder's award row stays locked until the transaction ends,
    so two contributions from one holder (to any co-ops) are checked one after the other and
    cannot both fit in the same remaining allowance.
    """
    if member.member_class != MemberClass.service_user or member.user_id != holder_user_id:
        raise NotAHolder
    award = await get_award(session, holder_user_id, lock=True)
    headroom = await _headroom(session, award, holder_user_id=holder_user_id, on=on)
    if amount_pence > headroom.remaining_pence:
        raise ExceedsDirectPayment(
            first_day=headroom.cycle.first_day.isoformat(),
            last_day=headroom.cycle.last_day.isoformat(),
            remaining_pence=headroom.remaining_pence,
            extra={"remaining_pence": headroom.remaining_pence},
        )
    return headroom
