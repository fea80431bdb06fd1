"""The holder's approvals queue: acts by a representative that wait for the holder.

A domain that wants an act approved has a handler for its kind, declared in
`app.workflows.registry.build()` and carried by the session (`app.core.open_sets`), and queues
items with `request_approval`; items of a kind with no handler cannot be created, so every item can be decided. When the
holder decides, the handler runs in the same transaction as the decision: if it fails (the
refund no longer fits the balance, say) the decision is undone and the item still waits.
"""

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.audit import service as audit
from app.auth.actor import Actor
from app.core.errors import InternalInconsistency
from app.core.open_sets import keyed_set
from app.representatives.errors import ApprovalDecided, ApprovalNotFound
from app.representatives.models import Approval, ApprovalStatus


class ApprovalHandler(Protocol):
    """What happens to the waiting thing when its holder decides."""

    async def on_approve(self, session: AsyncSession, actor: Actor, approval: Approval) -> None: ...

    async def on_refuse(self, session: AsyncSession, actor: Actor, approval: Approval) -> None: ...


# The open set `app.workflows.registry.build()` fills: what deciding an approval does.
APPROVAL_KINDS = "approval_kinds"


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
    """Queue `subject_id` for the holder the representative `actor` acts for."""
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


def waiting_for(holder_id: uuid.UUID, *, status: ApprovalStatus | None) -> Select[Approval]:
    stmt = (
        select(Approval)
        .where(Approval.holder_user_id == holder_id)
        .options(joinedload(Approval.requested_by))
    )
    if status is not None:
        stmt = stmt.where(Approval.status == status)
    return stmt


async def get_for_holder(
    session: AsyncSession, *, holder_id: uuid.UUID, approval_id: uuid.UUID
) -> Approval:
    """The holder's own item, locked for the decision; anyone else's does not exist."""
    approval = await session.scalar(
        waiting_for(holder_id, status=None)
        .where(Approval.id == approval_id)
        .with_for_update(of=Approval)
        .execution_options(populate_existing=True)
    )
    if approval is None:
        raise ApprovalNotFound
    return approval


async def decide(
    session: AsyncSession, actor: Actor, approval: Approval, *, approve: bool, now: datetime
) -> Approval:
    """The holder approves or refuses, in person; the kind's handler acts in this transaction."""
    if approval.status != ApprovalStatus.pending:
        raise ApprovalDecided
    approval.status = ApprovalStatus.approved if approve else ApprovalStatus.refused
    approval.decided_at = now
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
