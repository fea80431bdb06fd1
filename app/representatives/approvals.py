"""The approvals queue: acts by a representative that wait for someone else's decision.

A domain that wants an act approved has a handler for its kind, declared in
`app.workflows.registry.build()` and carried by the session (`app.core.open_sets`), and queues
items with `request_approval`; items of a kind with no handler cannot be created, so every
item can be decided. When it is decided, the handler runs in the same transaction as the
decision: if it fails (the refund no longer fits the balance, say) the decision is undone and
the item still waits.

Who decides is worked out whenever it is asked (`who_decides`), so a change of capacity
applies to what already waits: the holder; or, for a holder whose membership of the item's
co-op is marked `lacks_capacity`, the representative of the named approver mandate while it
is active; or, when there is no such approver or the approver is the one who asked (nobody
approves their own request), two different co-op administrators
(`app.representatives.admin_approvals`).
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, cast

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.models import Member, MemberStatus
from app.core.errors import InternalInconsistency
from app.core.open_sets import keyed_set
from app.representatives.errors import ApprovalDecided, ApprovalNotFound, NotTheDecider
from app.representatives.models import Approval, ApprovalStatus, Mandate, MandateStatus


class ApprovalHandler(Protocol):
    """What happens to the waiting thing when it is decided."""

    async def on_approve(self, session: AsyncSession, actor: Actor, approval: Approval) -> None: ...

    async def on_refuse(self, session: AsyncSession, actor: Actor, approval: Approval) -> None: ...


# The open set `app.workflows.registry.build()` fills: what deciding an approval does.
APPROVAL_KINDS = "approval_kinds"


class Decider(StrEnum):
    holder = "holder"
    approver = "approver"
    coop_admins = "coop_admins"


@dataclass(frozen=True, slots=True)
class WhoDecides:
    decider: Decider
    # The holder or the approver; none when two administrators decide.
    user_id: uuid.UUID | None


def handler_for(session: AsyncSession, kind: str) -> ApprovalHandler:
    handlers = cast(Mapping[str, ApprovalHandler], keyed_set(session, APPROVAL_KINDS))
    handler = handlers.get(kind)
    if handler is None:
        raise InternalInconsistency(f"no approval handler is declared for {kind!r}")
    return handler


async def request_approval(
    session: AsyncSession,
    actor: Actor,
    *,
    kind: str,
    subject_id: uuid.UUID,
    now: datetime,
    coop_id: uuid.UUID | None = None,
) -> Approval:
    """Queue `subject_id` for a decision on behalf of the holder the representative `actor`
    acts for (who decides: `who_decides`)."""
    handler_for(session, kind)
    if not actor.is_representing:
        raise ValueError("only an act on someone's behalf waits for their approval")
    approval = Approval(
        holder_user_id=actor.principal.id,
        requested_by_user_id=actor.user.id,
        coop_id=coop_id,
        kind=kind,
        subject_id=subject_id,
        status=ApprovalStatus.pending,
        created_at=now,
    )
    approval.requested_by = actor.user
    approval.holder = actor.principal
    session.add(approval)
    await session.flush()
    audit.record(
        session,
        actor,
        "approval.requested",
        "approval",
        approval.id,
        coop_id=coop_id,
        data={"kind": kind, "subject_id": subject_id},
        about=actor.principal.id,
    )
    return approval


# The holder's membership of the item's co-op (one that has not ended) and its approver
# mandate while active: what `who_decides` reads, as joins for the lists.
_member = aliased(Member)
_approver = aliased(Mandate)


def _with_capacity(stmt: Select[Any]) -> Select[Any]:
    return stmt.outerjoin(
        _member,
        and_(
            _member.coop_id == Approval.coop_id,
            _member.user_id == Approval.holder_user_id,
            _member.status != MemberStatus.left,
        ),
    ).outerjoin(
        _approver,
        and_(_approver.id == _member.approver_mandate_id, _approver.status == MandateStatus.active),
    )


def _lacking() -> Any:
    return _member.lacks_capacity.is_(True)


def _approver_decides() -> Any:
    return and_(
        _lacking(),
        _approver.representative_user_id.is_not(None),
        _approver.representative_user_id != Approval.requested_by_user_id,
    )


def _admins_decide() -> Any:
    return and_(
        _lacking(),
        or_(
            _approver.id.is_(None),
            _approver.representative_user_id.is_(None),
            _approver.representative_user_id == Approval.requested_by_user_id,
        ),
    )


def _loaded(stmt: Select[Any], status: ApprovalStatus | None) -> Select[Approval]:
    stmt = stmt.options(joinedload(Approval.requested_by), joinedload(Approval.holder))
    if status is not None:
        stmt = stmt.where(Approval.status == status)
    return cast("Select[Approval]", stmt)


def waiting_for(user_id: uuid.UUID, *, status: ApprovalStatus | None) -> Select[Approval]:
    """What `user_id` decides: their own items while they have capacity, and the items of
    holders who named them approver (unless they asked for them themselves)."""
    stmt = _with_capacity(select(Approval)).where(
        or_(
            and_(
                Approval.holder_user_id == user_id,
                or_(_member.id.is_(None), _member.lacks_capacity.is_(False)),
            ),
            and_(_approver_decides(), _approver.representative_user_id == user_id),
        )
    )
    return _loaded(stmt, status)


def waiting_for_admins(coop_id: uuid.UUID, *, status: ApprovalStatus | None) -> Select[Approval]:
    """The co-op's items that two of its administrators decide."""
    stmt = _with_capacity(select(Approval)).where(Approval.coop_id == coop_id, _admins_decide())
    return _loaded(stmt, status)


async def who_decides(session: AsyncSession, approval: Approval) -> WhoDecides:
    row = (
        await session.execute(
            _with_capacity(
                cast(
                    "Select[Any]",
                    select(_member.lacks_capacity, _approver.representative_user_id).select_from(
                        Approval
                    ),
                )
            ).where(Approval.id == approval.id)
        )
    ).one_or_none()
    lacking, approver = (row[0], row[1]) if row is not None else (None, None)
    if not lacking:
        return WhoDecides(Decider.holder, approval.holder_user_id)
    if approver is not None and approver != approval.requested_by_user_id:
        return WhoDecides(Decider.approver, approver)
    return WhoDecides(Decider.coop_admins, None)


async def _locked(session: AsyncSession, stmt: Select[Approval]) -> Approval | None:
    return await session.scalar(
        stmt.with_for_update(of=Approval).execution_options(populate_existing=True)
    )


async def get_for_decider(
    session: AsyncSession, *, user_id: uuid.UUID, approval_id: uuid.UUID
) -> Approval:
    """An item `user_id` decides, locked for the decision. Their own item that waits for
    someone else (they lack capacity) is refused (`NotTheDecider`); anyone else's does not
    exist."""
    approval = await _locked(
        session, _loaded(select(Approval), None).where(Approval.id == approval_id)
    )
    if approval is None:
        raise ApprovalNotFound
    decides = await who_decides(session, approval)
    if decides.decider != Decider.coop_admins and decides.user_id == user_id:
        return approval
    if approval.holder_user_id == user_id:
        raise NotTheDecider
    raise ApprovalNotFound


async def get_for_admins(
    session: AsyncSession, *, coop_id: uuid.UUID, approval_id: uuid.UUID
) -> Approval | None:
    """One of the co-op's items that two administrators decide, locked; None otherwise."""
    return await _locked(
        session, waiting_for_admins(coop_id, status=None).where(Approval.id == approval_id)
    )


async def decide(
    session: AsyncSession, actor: Actor, approval: Approval, *, approve: bool, now: datetime
) -> Approval:
    """Whoever decides approves or refuses, in person; the kind's handler acts in this
    transaction."""
    if approval.status != ApprovalStatus.pending:
        raise ApprovalDecided
    approval.status = ApprovalStatus.approved if approve else ApprovalStatus.refused
    approval.decided_at = now
    approval.decided_by_user_id = actor.user.id
    await session.flush()
    handler = handler_for(session, approval.kind)
    if approve:
        await handler.on_approve(session, actor, approval)
    else:
        await handler.on_refuse(session, actor, approval)
    audit.record(
        session,
        actor,
        "approval.approved" if approve else "approval.refused",
        "approval",
        approval.id,
        coop_id=approval.coop_id,
        data={"kind": approval.kind, "subject_id": approval.subject_id},
        about=approval.holder_user_id,
    )
    return approval
