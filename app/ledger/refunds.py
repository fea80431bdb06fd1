"""Refunds: money paid back out of a member's account, with the safeguarding approvals.

A representative's refund first waits for the holder (`pending_holder_approval`, through the
holder's approvals queue); a refund that, with the member's other posted and waiting refunds
of the same four-week cycle, comes to more than the co-op's `refund_second_approval_pence`
then waits for a second administrator (`pending_second_approval`): splitting a refund into
parts under the threshold does not get round it. A waiting refund reserves
nothing: the balance is checked when it is asked for and again, under the account's lock,
when it posts.
"""

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Coop, Member
from app.core.clock import day_range, local_date
from app.direct_payments import service as direct_payments
from app.direct_payments.cycles import CYCLE_DAYS, cycle_containing
from app.ledger import service as ledger
from app.ledger.contributions import check_mandate_limit, check_may_move
from app.ledger.errors import (
    InsufficientFunds,
    RefundNotFound,
    RefundNotPending,
    SecondAdminRequired,
)
from app.ledger.models import Refund, RefundStatus, TransactionKind
from app.notifications.events import ApprovalDeciders, CoopAdmins, Event, EventType, Holders
from app.notifications.service import notify
from app.representatives import approvals
from app.representatives.models import Approval

APPROVAL_KIND = "refund"
WAITING = (RefundStatus.pending_holder_approval, RefundStatus.pending_second_approval)


def refunds_of(
    coop_id: uuid.UUID, *, member_id: uuid.UUID | None, status: RefundStatus | None
) -> Select[Refund]:
    stmt = select(Refund).where(Refund.coop_id == coop_id)
    if member_id is not None:
        stmt = stmt.where(Refund.member_id == member_id)
    if status is not None:
        stmt = stmt.where(Refund.status == status)
    return stmt


async def get_refund(
    session: AsyncSession, *, coop_id: uuid.UUID, refund_id: uuid.UUID, lock: bool = False
) -> Refund:
    """A refund of this co-op; `lock` holds it for a decision (two at once: one wins), after
    its member's membership (the lock order of money: see `coops.lock_membership`)."""
    stmt = refunds_of(coop_id, member_id=None, status=None).where(Refund.id == refund_id)
    refund = await session.scalar(stmt)
    if refund is None:
        raise RefundNotFound
    if lock:
        refund = await _lock_refund(session, refund)
    return refund


async def _lock_refund(session: AsyncSession, refund: Refund) -> Refund:
    """The member first, then the refund, read afresh: a leave holds the member while it
    refuses the member's waiting refunds, so the other order would wait in a circle."""
    await coops.lock_members(session, [refund.member_id])
    locked = await session.scalar(
        select(Refund)
        .where(Refund.id == refund.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if locked is None:  # pragma: no cover - refunds are never deleted
        raise RefundNotFound
    return locked


def _record(
    session: AsyncSession, actor: Actor, action: str, refund: Refund, about: uuid.UUID
) -> None:
    audit.record(
        session,
        actor,
        action,
        "refund",
        refund.id,
        coop_id=refund.coop_id,
        data={
            "member_id": refund.member_id,
            "amount_pence": refund.amount_pence,
            "status": refund.status.value,
            "transaction_id": refund.transaction_id,
        },
        about=about,
    )


async def _post(session: AsyncSession, actor: Actor, refund: Refund, *, now: datetime) -> None:
    member = await coops.get_member(session, coop_id=refund.coop_id, member_id=refund.member_id)
    transaction = await ledger.post(
        session,
        actor,
        coop_id=refund.coop_id,
        kind=TransactionKind.refund,
        memo=refund.reason,
        lines=[
            ledger.Line(ledger.member_account(refund.member_id), -refund.amount_pence),
            ledger.Line(ledger.PAYOUTS, refund.amount_pence),
        ],
        now=now,
        about=member.user_id,
    )
    refund.status = RefundStatus.posted
    refund.transaction_id = transaction.id
    refund.decided_at = now
    refund.decided_by_user_id = actor.user.id
    await notify(session, _event(refund, EventType.refund_posted, [Holders([member.user_id])], now))


def _event(
    refund: Refund,
    type_: EventType,
    recipients: list[CoopAdmins | Holders],
    at: datetime,
    exclude: tuple[uuid.UUID, ...] = (),
) -> Event:
    return Event(
        type=type_,
        subject_type="refund",
        subject_id=refund.id,
        at=at,
        coop_id=refund.coop_id,
        recipients=recipients,
        exclude=exclude,
        params={"amount_pence": refund.amount_pence},
    )


COUNTED = (RefundStatus.posted, *WAITING)


async def refund_cycle(session: AsyncSession, member: Member, day: date) -> tuple[date, date]:
    """The four-week cycle a refund asked for on `day` counts in: the holder's Direct Payment
    cycle (28 days from the `start_date` of the award version in force that day) when there
    is one, else the 28 days ending on `day`."""
    award = await direct_payments.version_in_force(session, member.user_id, on=day)
    if award is not None:
        cycle = cycle_containing(award.start_date, day)
        return cycle.first_day, cycle.last_day
    return day - timedelta(days=CYCLE_DAYS - 1), day


async def refunded_in_cycle(session: AsyncSession, refund: Refund, member: Member) -> int:
    """The member's other refunds, posted or waiting, asked for in `refund`'s cycle."""
    first_day, last_day = await refund_cycle(session, member, local_date(refund.requested_at))
    start, end = day_range(first_day, last_day)
    total = await session.scalar(
        select(func.coalesce(func.sum(Refund.amount_pence), 0)).where(
            Refund.member_id == member.id,
            Refund.id != refund.id,
            Refund.status.in_(COUNTED),
            Refund.requested_at >= start,
            Refund.requested_at < end,
        )
    )
    return int(total or 0)


async def _go_ahead(
    session: AsyncSession, actor: Actor, refund: Refund, coop: Coop, *, now: datetime
) -> None:
    """Post now, or wait for a second administrator when this refund and the member's other
    posted and waiting refunds of the same four-week cycle together exceed the co-op's
    threshold. The member's row is locked first, so two refunds at once are counted one after
    the other (neither can slip under the threshold by not seeing the other)."""
    await coops.lock_members(session, [refund.member_id])
    member = await coops.get_member(session, coop_id=refund.coop_id, member_id=refund.member_id)
    total = refund.amount_pence + await refunded_in_cycle(session, refund, member)
    if total > coop.refund_second_approval_pence:
        refund.status = RefundStatus.pending_second_approval
        # The other administrators: neither whoever asked nor the member paid may approve it.
        others = (refund.requested_by_user_id, member.user_id)
        event = _event(
            refund, EventType.refund_waiting_second_approval, [CoopAdmins()], now, others
        )
        await notify(session, event)
    else:
        await _post(session, actor, refund, now=now)


async def request_refund(
    session: AsyncSession,
    actor: Actor,
    caller: Member,
    target: Member,
    *,
    amount_pence: int,
    reason: str,
    now: datetime,
) -> Refund:
    """Ask for `amount_pence` of `target`'s balance to be paid out to them.

    The member themselves, their representative (with the `refund` scope, within the
    mandate's limit) or an administrator acting in person may ask. More than the balance
    now is refused at once (`InsufficientFunds`).
    """
    check_may_move(actor, caller, target)
    # The membership first (the lock order of money): a refund asked for as the member
    # leaves is either refused by the leave or finds the balance already paid out.
    await coops.lock_membership(session, target)
    code = ledger.member_account(target.id)
    if amount_pence > await ledger.balance_of(session, coop_id=target.coop_id, code=code):
        raise InsufficientFunds(extra={"accounts": [code]})
    refund = Refund(
        id=uuid.uuid4(),
        coop_id=target.coop_id,
        member_id=target.id,
        amount_pence=amount_pence,
        reason=reason,
        status=RefundStatus.pending_holder_approval,
        requested_at=now,
        requested_by_user_id=actor.user.id,
        on_behalf_of_user_id=actor.on_behalf_of.id if actor.on_behalf_of else None,
    )
    if actor.is_representing:
        await check_mandate_limit(session, actor, amount_pence=amount_pence, on=local_date(now))
        session.add(refund)
        await session.flush()
        approval = await approvals.request_approval(
            session,
            actor,
            kind=APPROVAL_KIND,
            subject_id=refund.id,
            now=now,
            coop_id=refund.coop_id,
        )
        await notify(session, approval_waiting(approval, refund, requester=actor.user.id))
    else:
        await _go_ahead(
            session, actor, refund, await coops.get_coop(session, target.coop_id), now=now
        )
        session.add(refund)
        await session.flush()
    _record(session, actor, "refund.requested", refund, about=target.user_id)
    return refund


async def approve_refund(
    session: AsyncSession, actor: Actor, refund: Refund, *, now: datetime
) -> Refund:
    """A second administrator lets a refund above the threshold post.

    They must be neither the person who asked for it nor the member it is paid to
    (`SecondAdminRequired`); the balance is checked again now (`InsufficientFunds`, and the
    refund keeps waiting).
    """
    if refund.status != RefundStatus.pending_second_approval:
        raise RefundNotPending(status=refund.status.value)
    target = await coops.get_member(session, coop_id=refund.coop_id, member_id=refund.member_id)
    if actor.user.id in (refund.requested_by_user_id, target.user_id):
        raise SecondAdminRequired
    await _post(session, actor, refund, now=now)
    await session.flush()
    _record(session, actor, "refund.approved", refund, about=target.user_id)
    return refund


async def refuse_refund(
    session: AsyncSession, actor: Actor, refund: Refund, *, now: datetime
) -> Refund:
    """An administrator (the one who asked included: they withdraw it) refuses a refund that
    waits for a second administrator; nothing moves."""
    if refund.status != RefundStatus.pending_second_approval:
        raise RefundNotPending(status=refund.status.value)
    target = await coops.get_member(session, coop_id=refund.coop_id, member_id=refund.member_id)
    await _refuse(session, actor, refund, about=target.user_id, now=now)
    return refund


async def _refuse(
    session: AsyncSession, actor: Actor, refund: Refund, *, about: uuid.UUID, now: datetime
) -> None:
    refund.status = RefundStatus.refused
    refund.decided_at = now
    refund.decided_by_user_id = actor.user.id
    await session.flush()
    _record(session, actor, "refund.refused", refund, about=about)


async def refuse_waiting_refunds(
    session: AsyncSession, actor: Actor, member: Member, *, now: datetime
) -> None:
    """Refuse every refund still waiting for `member` (they are leaving: the balance is paid
    out in full instead)."""
    waiting = (
        await session.scalars(
            refunds_of(member.coop_id, member_id=member.id, status=None)
            .where(Refund.status.in_(WAITING))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    for refund in waiting:
        await _refuse(session, actor, refund, about=member.user_id, now=now)


def approval_waiting(approval: Approval, refund: Refund, *, requester: uuid.UUID) -> Event:
    """Whoever must approve is told (the holder and their representatives with `view`, or the
    approver a holder who lacks capacity named, or the administrators); never who asked."""
    return Event(
        type=EventType.approval_waiting,
        subject_type="approval",
        subject_id=approval.id,
        at=approval.created_at,
        coop_id=refund.coop_id,
        recipients=[ApprovalDeciders(approval.id)],
        exclude=[requester],
        params={"amount_pence": refund.amount_pence, "kind": approval.kind},
    )


class HolderApproval:
    """What the holder's decision does to a refund their representative asked for."""

    async def _waiting(self, session: AsyncSession, approval: Approval) -> Refund | None:
        refund = await session.scalar(select(Refund).where(Refund.id == approval.subject_id))
        if refund is None:
            return None
        refund = await _lock_refund(session, refund)
        # Refused meanwhile (the member left): the decision is recorded, nothing more happens.
        if refund.status != RefundStatus.pending_holder_approval:
            return None
        return refund

    async def on_approve(self, session: AsyncSession, actor: Actor, approval: Approval) -> None:
        refund = await self._waiting(session, approval)
        if refund is None:
            return
        now = approval.decided_at or refund.requested_at
        await _go_ahead(
            session, actor, refund, await coops.get_coop(session, refund.coop_id), now=now
        )
        await session.flush()
        _record(session, actor, "refund.holder_approved", refund, about=approval.holder_user_id)

    async def on_refuse(self, session: AsyncSession, actor: Actor, approval: Approval) -> None:
        refund = await self._waiting(session, approval)
        if refund is None:
            return
        now = approval.decided_at or refund.requested_at
        await _refuse(session, actor, refund, about=approval.holder_user_id, now=now)


holder_approval = HolderApproval()
