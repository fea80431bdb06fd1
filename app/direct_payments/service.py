"""Direct Payment awards, as a history of versions, and the four-weekly contribution allowance.

A holder declares their award with `PUT /me/direct-payment`; the paying council confirms or
rejects each version (`app.direct_payments.council`). Declared and confirmed versions are in
force between their dates; a rejected one is not.

The ledger owns contributions and sums them; this module owns the rule about them and
decides with pure functions (pull the data, push the decision):

    award = (await direct_payments.award_in_force(session, holder_id, on=today, lock=True)).award
    cycle = direct_payments.cycle_of(award, today)
    used = await ledger.contributed_between(session, holder_id, cycle.first_day, cycle.last_day)
    direct_payments.check_fits(direct_payments.headroom(award, cycle, used), amount)
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.models import User
from app.coops.models import Member, MemberClass
from app.direct_payments.cycles import Cycle, cycle_allowance_pence, cycle_containing
from app.direct_payments.errors import (
    AwardConfirmed,
    AwardInPast,
    ExceedsDirectPayment,
    NoDirectPayment,
    NotAHolder,
)
from app.direct_payments.models import IN_FORCE, AwardStatus, DirectPaymentAward


@dataclass(frozen=True, slots=True)
class Headroom:
    """The cycle containing the day asked about, and how much of its allowance is left."""

    cycle: Cycle
    allowance_pence: int
    contributed_pence: int

    @property
    def remaining_pence(self) -> int:
        return max(0, self.allowance_pence - self.contributed_pence)


@dataclass(frozen=True, slots=True)
class AwardFigures:
    """What a holder declares for one version."""

    area_code: str
    weekly_amount_pence: int
    start_date: date
    end_date: date | None
    assessed_hours_per_week: int | None


_HOLD_HOLDER = (
    select(User.id).where(User.id == bindparam("user_id")).with_for_update(key_share=True)
)


async def hold_holder(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Lock the holder's account row until the transaction ends: every change to their award
    history, every decision on it and every capped contribution take this lock first, so they
    happen one after the other. (`FOR NO KEY UPDATE`: rows that only point at the person are
    not held up.)"""
    await session.execute(_HOLD_HOLDER, {"user_id": user_id})


def _in_force_on(day: date | ColumnElement[date]) -> tuple[ColumnElement[bool], ...]:
    return (
        DirectPaymentAward.status.in_(IN_FORCE),
        DirectPaymentAward.start_date <= day,
        or_(DirectPaymentAward.end_date.is_(None), DirectPaymentAward.end_date >= day),
    )


async def history(session: AsyncSession, user_id: uuid.UUID) -> list[DirectPaymentAward]:
    """Every version of the holder's award, the latest start first."""
    return list(
        (
            await session.scalars(
                select(DirectPaymentAward)
                .where(DirectPaymentAward.user_id == user_id)
                .order_by(DirectPaymentAward.start_date.desc())
            )
        ).all()
    )


async def latest_version(session: AsyncSession, user_id: uuid.UUID) -> DirectPaymentAward | None:
    """The version with the latest start, whatever its status."""
    return await session.scalar(
        select(DirectPaymentAward)
        .where(DirectPaymentAward.user_id == user_id)
        .order_by(DirectPaymentAward.start_date.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )


def _version_in_force(*also: ColumnElement[Any]) -> Select[Any]:
    """The holder's version in force on a day (bound: `user_id`, `day`), with `also`."""
    return (
        select(DirectPaymentAward, *also)
        .where(DirectPaymentAward.user_id == bindparam("user_id"), *_in_force_on(bindparam("day")))
        .order_by(DirectPaymentAward.start_date.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    )


# Built once (every contribution reads one): composing it cost more CPU than running it.
_VERSION_IN_FORCE = _version_in_force()
_VERSION_IN_FORCE_AND_SURPLUS_WEEKS = _version_in_force(
    areas.surplus_weeks_of(DirectPaymentAward.area_code)
)


async def version_in_force(
    session: AsyncSession, user_id: uuid.UUID, *, on: date
) -> DirectPaymentAward | None:
    """The holder's version in force on `on` (declared or confirmed, within its dates)."""
    found: DirectPaymentAward | None = await session.scalar(
        _VERSION_IN_FORCE, {"user_id": user_id, "day": on}
    )
    return found


@dataclass(frozen=True, slots=True)
class AwardToday:
    """A holder's version in force on a day, and how many weeks of it their paying council lets
    them keep (its `surplus_weeks`): what a contribution checks against and warns about."""

    award: DirectPaymentAward
    surplus_weeks: int


async def in_force_today(
    session: AsyncSession, user_id: uuid.UUID, *, on: date
) -> AwardToday | None:
    """`version_in_force` with its council's `surplus_weeks`, read in the same statement."""
    row = (
        await session.execute(_VERSION_IN_FORCE_AND_SURPLUS_WEEKS, {"user_id": user_id, "day": on})
    ).one_or_none()
    return None if row is None else AwardToday(award=row[0], surplus_weeks=row[1])


async def latest_in_force_between(
    session: AsyncSession, user_id: uuid.UUID, *, first: date, last: date
) -> DirectPaymentAward | None:
    """The holder's latest-starting version in force on some day from `first` to `last`: the
    weekly amount a statement or return over those days measures the balance against."""
    return await session.scalar(
        select(DirectPaymentAward)
        .where(
            DirectPaymentAward.user_id == user_id,
            DirectPaymentAward.status.in_(IN_FORCE),
            DirectPaymentAward.start_date <= last,
            or_(DirectPaymentAward.end_date.is_(None), DirectPaymentAward.end_date >= first),
        )
        .order_by(DirectPaymentAward.start_date.desc())
        .limit(1)
    )


async def versions_in_force_for_members(
    session: AsyncSession, member_ids: Sequence[uuid.UUID], *, on: date
) -> dict[uuid.UUID, uuid.UUID]:
    """For each membership, the id of its holder's version in force on `on` (where there is
    one): what a posting into or out of that member's account is made under."""
    if not member_ids:
        return {}
    rows = await session.execute(
        select(Member.id, DirectPaymentAward.id)
        .join(DirectPaymentAward, DirectPaymentAward.user_id == Member.user_id)
        .where(Member.id.in_(list(member_ids)), *_in_force_on(on))
    )
    return dict(rows.all())


async def set_award(
    session: AsyncSession, actor: Actor, figures: AwardFigures, *, now: datetime
) -> DirectPaymentAward:
    """Declare a version of the holder's award, compared with the latest version:

    - a later `start_date` starts a new version and ends the latest the day before (unless
      it already ends sooner);
    - the same `start_date` corrects the latest version while it is declared or rejected
      (back to declared); a confirmed one is the council's to correct (`AwardConfirmed`);
    - an earlier `start_date` is refused (`AwardInPast`): the past is not rewritten.
    """
    await areas.require_codes(session, [figures.area_code], loc=("body", "area_code"))
    holder = actor.principal
    await hold_holder(session, holder.id)
    latest = await latest_version(session, holder.id)
    if latest is not None and figures.start_date < latest.start_date:
        raise AwardInPast(start_date=latest.start_date.isoformat())
    if latest is not None and figures.start_date == latest.start_date:
        if latest.status is AwardStatus.confirmed:
            raise AwardConfirmed(start_date=latest.start_date.isoformat())
        _apply(latest, figures, now=now)
        latest.status = AwardStatus.declared
        latest.rejected_at = None
        latest.rejection_reason = None
        latest.decided_by_user_id = None
        latest.decided_by_api_client_id = None
        await session.flush()
        _audit(session, actor, "direct_payment.changed", latest)
        return latest
    ended = None
    if latest is not None:
        day_before = figures.start_date - timedelta(days=1)
        if latest.end_date is None or latest.end_date > day_before:
            latest.end_date = day_before
            latest.updated_at = now
            ended = latest.id
    award = DirectPaymentAward(user_id=holder.id, status=AwardStatus.declared, created_at=now)
    _apply(award, figures, now=now)
    session.add(award)
    await session.flush()
    _audit(session, actor, "direct_payment.recorded", award, ended_award_id=ended)
    return award


def _apply(award: DirectPaymentAward, figures: AwardFigures, *, now: datetime) -> None:
    award.area_code = figures.area_code
    award.weekly_amount_pence = figures.weekly_amount_pence
    award.start_date = figures.start_date
    award.end_date = figures.end_date
    award.assessed_hours_per_week = figures.assessed_hours_per_week
    award.updated_at = now


def _audit(
    session: AsyncSession,
    actor: Actor,
    action: str,
    award: DirectPaymentAward,
    *,
    ended_award_id: uuid.UUID | None = None,
) -> None:
    # The award's figures are personal data: the entry names the act and the council only.
    data: dict[str, object] = {"area_code": award.area_code}
    if ended_award_id is not None:
        data["ended_award_id"] = ended_award_id
    audit.record(
        session, actor, action, "direct_payment_award", award.id, data=data, about=award.user_id
    )


async def award_in_force(
    session: AsyncSession, holder_user_id: uuid.UUID, *, on: date, lock: bool = False
) -> AwardToday:
    """The holder's version in force on `on` (with its council's `surplus_weeks`), else
    `NoDirectPayment`.

    `lock` holds the holder (`hold_holder`) until the transaction ends, so two contributions
    from one holder (to any co-ops) are checked one after the other and cannot both fit in the
    same remaining allowance, and a new version or a council's decision cannot slip between
    the check and the posting.
    """
    if lock:
        await hold_holder(session, holder_user_id)
    today = await in_force_today(session, holder_user_id, on=on)
    if today is None:
        raise NoDirectPayment(day=on.isoformat())
    return today


def cycle_of(award: DirectPaymentAward, on: date) -> Cycle:
    """The four-week cycle, counted from the version's own start, that holds `on`."""
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
    """Money goes only to the holder's own service_user membership."""
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
