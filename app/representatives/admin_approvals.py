"""Approvals two co-op administrators decide: a holder who lacks capacity and has no approver
other than the person who asked (`app.representatives.approvals.who_decides`).

Each administrator's yes is a row of its own; the item is approved by the second, different
one, in the same transaction, under the item's lock (two at once are counted one after the
other). One administrator's refusal refuses it. Neither the person who asked nor the holder
counts.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.representatives import approvals
from app.representatives.errors import ApprovalDecided, NotAnIndependentAdmin
from app.representatives.models import Approval, ApprovalAdminApproval, ApprovalStatus

ADMINS_NEEDED = 2


def _check_independent(actor: Actor, approval: Approval) -> None:
    if actor.user.id in (approval.requested_by_user_id, approval.holder_user_id):
        raise NotAnIndependentAdmin


async def approve(
    session: AsyncSession, actor: Actor, approval: Approval, *, now: datetime
) -> Approval:
    """This administrator's yes; the second different one's approves the item (its handler
    runs). The same administrator again changes nothing."""
    if approval.status != ApprovalStatus.pending:
        raise ApprovalDecided
    _check_independent(actor, approval)
    already = set(
        (
            await session.scalars(
                select(ApprovalAdminApproval.admin_user_id).where(
                    ApprovalAdminApproval.approval_id == approval.id
                )
            )
        ).all()
    )
    if actor.user.id in already:
        return approval
    session.add(
        ApprovalAdminApproval(approval_id=approval.id, admin_user_id=actor.user.id, approved_at=now)
    )
    await session.flush()
    audit.record(
        session,
        actor,
        "approval.admin_approved",
        "approval",
        approval.id,
        coop_id=approval.coop_id,
        data={"kind": approval.kind, "subject_id": approval.subject_id},
        about=approval.holder_user_id,
    )
    if len(already) + 1 >= ADMINS_NEEDED:
        await approvals.decide(session, actor, approval, approve=True, now=now)
    return approval


async def refuse(
    session: AsyncSession, actor: Actor, approval: Approval, *, now: datetime
) -> Approval:
    """One administrator refuses the item; nothing it asked for happens."""
    if approval.status != ApprovalStatus.pending:
        raise ApprovalDecided
    if actor.user.id == approval.holder_user_id:
        raise NotAnIndependentAdmin
    return await approvals.decide(session, actor, approval, approve=False, now=now)
