"""Marking a holder as lacking capacity, which two administrators must agree on.

An administrator asks (`request_change`): the request waits (`pending`) until a second,
different administrator asks for exactly the same (`lacks_capacity` and the approver), and
then applies to the membership. A different request replaces the one that waits
(`superseded`); the same administrator asking again changes nothing. The approver named must
be an active mandate the holder gave, of a role other than `helper` (someone with standing in
law to decide for them). While the mark is in force, what waits for the holder's approval
waits for that approver instead (`app.representatives.approvals`).

Audit entries hold ids only: whether someone lacks capacity is about their health, so it is
kept in the request's row and the membership, never in the chain.
"""

import uuid
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.errors import InvalidMemberTransition
from app.coops.models import Member, MemberStatus
from app.core.errors import ValidationFailed
from app.core.field_errors import field_error
from app.representatives.models import (
    CapacityChange,
    CapacityChangeStatus,
    Mandate,
    MandateRole,
    MandateStatus,
)

APPROVER_FIELD = ("body", "approver_mandate_id")


def changes_of(member_id: uuid.UUID) -> Select[CapacityChange]:
    return select(CapacityChange).where(CapacityChange.member_id == member_id)


async def _check_approver(
    session: AsyncSession, target: Member, *, lacks_capacity: bool, approver_mandate_id: uuid.UUID
) -> None:
    if not lacks_capacity:
        raise ValidationFailed(
            [
                field_error(
                    APPROVER_FIELD,
                    "An approver is named only for a member who lacks capacity.",
                    msg_cy="Dim ond ar gyfer aelod heb alluedd y caiff cymeradwywr ei enwi.",
                )
            ]
        )
    mandate = await session.get(Mandate, approver_mandate_id)
    if (
        mandate is None
        or mandate.holder_user_id != target.user_id
        or mandate.status != MandateStatus.active
        or mandate.role == MandateRole.helper
    ):
        raise ValidationFailed(
            [
                field_error(
                    APPROVER_FIELD,
                    "Name an active mandate this member gave, of a role other than helper.",
                    msg_cy=(
                        "Enwch fandad gweithredol a roddodd yr aelod hwn, o rôl heblaw cynorthwywr."
                    ),
                )
            ]
        )


def _record(
    session: AsyncSession, actor: Actor, action: str, change: CapacityChange, *, about: uuid.UUID
) -> None:
    audit.record(
        session,
        actor,
        action,
        "capacity_change",
        change.id,
        coop_id=change.coop_id,
        data={"member_id": change.member_id, "approver_mandate_id": change.approver_mandate_id},
        about=about,
    )


async def request_change(
    session: AsyncSession,
    actor: Actor,
    target: Member,
    *,
    lacks_capacity: bool,
    approver_mandate_id: uuid.UUID | None,
    now: datetime,
) -> CapacityChange:
    """An administrator's request: pending, or applied if it is the second different
    administrator's request for the same (read `status`)."""
    if approver_mandate_id is not None:
        await _check_approver(
            session, target, lacks_capacity=lacks_capacity, approver_mandate_id=approver_mandate_id
        )
    # The membership first: two administrators at once are taken one after the other.
    await coops.lock_membership(session, target)
    if target.status == MemberStatus.left:
        raise InvalidMemberTransition(extra={"member_status": target.status.value})
    waiting = await session.scalar(
        changes_of(target.id)
        .where(CapacityChange.status == CapacityChangeStatus.pending)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if waiting is not None:
        same = (waiting.lacks_capacity, waiting.approver_mandate_id) == (
            lacks_capacity,
            approver_mandate_id,
        )
        if same and waiting.requested_by_user_id == actor.user.id:
            return waiting
        if same:
            return await _apply(session, actor, target, waiting, now=now)
        waiting.status = CapacityChangeStatus.superseded
        waiting.decided_at = now
        await session.flush()
        _record(session, actor, "capacity.change_superseded", waiting, about=target.user_id)
    change = CapacityChange(
        id=uuid.uuid4(),
        coop_id=target.coop_id,
        member_id=target.id,
        lacks_capacity=lacks_capacity,
        approver_mandate_id=approver_mandate_id,
        status=CapacityChangeStatus.pending,
        requested_by_user_id=actor.user.id,
        requested_at=now,
    )
    session.add(change)
    # The membership's lock makes this the only request waiting (the partial unique index
    # holds it even so).
    await session.flush()
    _record(session, actor, "capacity.change_requested", change, about=target.user_id)
    return change


async def _apply(
    session: AsyncSession, actor: Actor, target: Member, change: CapacityChange, *, now: datetime
) -> CapacityChange:
    await coops.set_capacity(
        session,
        target,
        lacks_capacity=change.lacks_capacity,
        approver_mandate_id=change.approver_mandate_id,
    )
    change.status = CapacityChangeStatus.applied
    change.decided_by_user_id = actor.user.id
    change.decided_at = now
    await session.flush()
    _record(session, actor, "capacity.change_applied", change, about=target.user_id)
    return change
