"""Contributions: money paid into a holder's member account, from their Direct Payment
(`direct_payment`, the default), or of their own (`top_up`, `client_contribution`).

The ledger sums the two figures the rules need (what a holder contributed from their Direct
Payment in a cycle, what a representative moved for a holder) and hands them to the domains
that own the rules, whose pure functions decide: the Direct Payment allowance and the
mandate's per-cycle limit. Only Direct Payment money is capped by the award; a top-up or a
client contribution is the holder's own money and needs no award.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Member, MemberStatus
from app.core.clock import day_range, local_date
from app.direct_payments import service as direct_payments
from app.ledger import service as ledger
from app.ledger.errors import MemberNotActive, NotYourAccount
from app.ledger.models import (
    AccountKind,
    ContributionSource,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
    Refund,
    RefundStatus,
    TransactionKind,
)
from app.ledger.surplus import HolderToday
from app.notifications.events import Event, EventType, Holders
from app.notifications.service import notify
from app.representatives import service as representatives


def check_may_move(actor: Actor, caller: Member, target: Member) -> None:
    """A member moves money in or out of their own account (a representative, the holder's);
    only an administrator acting in person does so for someone else."""
    if target.id == caller.id:
        return
    if actor.is_representing or not caller.is_admin:
        raise NotYourAccount


async def contribute(
    session: AsyncSession,
    actor: Actor,
    caller: Member,
    target: Member,
    *,
    amount_pence: int,
    reference: str,
    now: datetime,
    source: ContributionSource = ContributionSource.direct_payment,
) -> LedgerTransaction:
    """Move `amount_pence` from `external:deposits` into `member:<target>`.

    The money is the holder's, whoever records it: it goes into a service_user membership.
    Direct Payment money needs the award version in force today and stays within its
    four-week cycle's allowance across all co-ops. A representative also stays within the
    mandate's per-cycle limit, whatever the source.
    """
    check_may_move(actor, caller, target)
    # The membership first, read afresh: a leave that ended it meanwhile is seen here, and a
    # leave that comes later waits until this contribution is in (and pays it out). Then the
    # holder, in the same statement: two contributions of one holder (in any co-ops) are
    # checked against the allowance one after the other, and the award version the posting
    # keeps cannot change between reading it and posting.
    await coops.lock_membership(session, target, and_holder=True)
    if target.status != MemberStatus.active:
        raise MemberNotActive
    today = local_date(now)
    direct_payments.check_holder(target, holder_user_id=target.user_id)
    in_force: direct_payments.AwardToday | None
    if source is ContributionSource.direct_payment:
        in_force = await direct_payments.award_in_force(session, target.user_id, on=today)
        award = in_force.award
        cycle = direct_payments.cycle_of(award, today)
        used = await contributed_between(
            session,
            holder_user_id=target.user_id,
            first_day=cycle.first_day,
            last_day=cycle.last_day,
        )
        direct_payments.check_fits(
            direct_payments.headroom(award, cycle, contributed_pence=used),
            amount_pence=amount_pence,
        )
    else:
        # Not capped: only the award version the posting keeps is read.
        in_force = await direct_payments.in_force_today(session, target.user_id, on=today)
    await check_mandate_limit(session, actor, amount_pence=amount_pence, on=today)
    transaction = await ledger.post(
        session,
        actor,
        coop_id=target.coop_id,
        kind=TransactionKind.contribution,
        memo=reference,
        lines=[
            ledger.Line(ledger.DEPOSITS, -amount_pence),
            ledger.Line(ledger.member_account(target.id), amount_pence),
        ],
        now=now,
        about=target.user_id,
        source=source,
        # The membership and the holder are held and read above: post need not again.
        known=ledger.Known(
            statuses={target.id: target.status},
            holders={target.id: HolderToday.of(target.user_id, in_force)},
        ),
    )
    await notify(
        session,
        Event(
            type=EventType.contribution_posted,
            subject_type="ledger_transaction",
            subject_id=transaction.id,
            at=now,
            coop_id=target.coop_id,
            recipients=[Holders([target.user_id])],
            params={"amount_pence": amount_pence},
        ),
    )
    return transaction


# Built once: composing a statement costs more than the database's round trip.
_CONTRIBUTED = (
    select(func.coalesce(func.sum(LedgerPosting.amount_pence), 0))
    .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
    .join(Member, Member.id == LedgerAccount.member_id)
    .where(
        Member.user_id == bindparam("holder_user_id"),
        LedgerAccount.kind == AccountKind.member,
        LedgerPosting.kind == TransactionKind.contribution,
        LedgerPosting.source == ContributionSource.direct_payment,
        LedgerPosting.created_at >= bindparam("start"),
        LedgerPosting.created_at < bindparam("end"),
    )
)


async def contributed_between(
    session: AsyncSession, *, holder_user_id: uuid.UUID, first_day: date, last_day: date
) -> int:
    """Direct Payment money paid into the holder's member accounts, in every co-op, on those
    days (what counts against the award's cap: top-ups and client contributions do not)."""
    start, end = day_range(first_day, last_day)
    total = await session.scalar(
        _CONTRIBUTED, {"holder_user_id": holder_user_id, "start": start, "end": end}
    )
    return int(total or 0)


async def moved_for_holder(
    session: AsyncSession,
    *,
    representative_user_id: uuid.UUID,
    holder_user_id: uuid.UUID,
    first_day: date,
    last_day: date,
) -> int:
    """Pence a representative moved for a holder on those days: contributions they made on
    the holder's behalf, and refunds they asked for that were not refused (counted when
    asked: a refund waiting for approval already uses the mandate)."""
    start, end = day_range(first_day, last_day)
    contributed = await session.scalar(
        select(func.coalesce(func.sum(LedgerPosting.amount_pence), 0))
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(
            LedgerTransaction.kind == TransactionKind.contribution,
            LedgerTransaction.actor_user_id == representative_user_id,
            LedgerTransaction.on_behalf_of_user_id == holder_user_id,
            LedgerAccount.kind == AccountKind.member,
            LedgerPosting.created_at >= start,
            LedgerPosting.created_at < end,
        )
    )
    refunded = await session.scalar(
        select(func.coalesce(func.sum(Refund.amount_pence), 0)).where(
            Refund.requested_by_user_id == representative_user_id,
            Refund.on_behalf_of_user_id == holder_user_id,
            Refund.status != RefundStatus.refused,
            Refund.requested_at >= start,
            Refund.requested_at < end,
        )
    )
    return int(contributed or 0) + int(refunded or 0)


async def check_mandate_limit(
    session: AsyncSession, actor: Actor, *, amount_pence: int, on: date
) -> None:
    """Refuse money a representative would move beyond their mandate's per-cycle limit;
    acting as oneself is never limited.

    Counts everything this representative moved for this holder in the mandate's cycle
    holding `on`, across their mandates; the live mandate's row is locked first
    (`representatives.mandate_in_use`).
    """
    if not actor.is_representing:
        return
    mandate = await representatives.mandate_in_use(session, actor)
    cycle = await representatives.mandate_cycle(session, mandate, on)
    moved = await moved_for_holder(
        session,
        representative_user_id=actor.user.id,
        holder_user_id=actor.principal.id,
        first_day=cycle.first_day,
        last_day=cycle.last_day,
    )
    representatives.check_within_limit(mandate, cycle, moved_pence=moved, amount_pence=amount_pence)
