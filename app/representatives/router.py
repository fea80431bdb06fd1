"""A holder's representatives and the approvals that wait for them."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.auth.dependencies import CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.idempotency.dependencies import IdempotencyOptional
from app.idempotency.errors import IdempotencyInProgress, IdempotencyKeyReused
from app.representatives import approvals, service
from app.representatives.errors import (
    ApprovalDecided,
    ApprovalNotFound,
    MandateExists,
    MandateNotFound,
)
from app.representatives.models import Approval, ApprovalStatus, Mandate
from app.representatives.schemas import ApprovalRead, MandateCreate, MandateRead

router = APIRouter(prefix="/me", tags=["representatives"])


@router.post(
    "/representatives",
    status_code=201,
    response_model=MandateRead,
    responses=problems(MandateExists, OutsideMandate, NoMandate),
)
async def grant_mandate(
    body: MandateCreate, session: SessionDep, actor: CurrentActor, now: NowDep
) -> Mandate:
    """Let someone you trust act for you (they send `X-On-Behalf-Of: <your id>`) within the
    scopes you choose, moving at most `limit_pence_per_cycle` in a four-week cycle. They must
    already have an account (else 422 on `email`). Refunds they start wait for your approval."""
    return await service.grant_mandate(
        session,
        actor,
        email=body.email,
        scopes=body.scopes,
        limit_pence_per_cycle=body.limit_pence_per_cycle,
        now=now,
    )


@router.get(
    "/representatives",
    response_model=CursorPage[MandateRead],
    responses=problems(OutsideMandate, NoMandate),
)
async def list_mandates(
    session: SessionDep, actor: CurrentActor, page: PageDep
) -> CursorPage[MandateRead]:
    """The mandates you granted, newest first, revoked ones included."""
    items, next_cursor = await paginate(
        session,
        service.granted_by(actor.user.id),
        page,
        order=[Sort(Mandate.created_at, descending=True), Sort(Mandate.id, descending=True)],
        key=lambda m: (m.created_at, m.id),
    )
    return CursorPage[MandateRead](
        items=[MandateRead.model_validate(m) for m in items], next_cursor=next_cursor
    )


@router.delete(
    "/representatives/{mandate_id}",
    status_code=204,
    response_class=Response,
    responses=problems(MandateNotFound, OutsideMandate, NoMandate),
)
async def revoke_mandate(
    mandate_id: uuid.UUID, session: SessionDep, actor: CurrentActor, now: NowDep
) -> Response:
    """Revoke a mandate you granted; it stops working at once. Revoking again does nothing."""
    mandate = await service.get_granted(session, holder_id=actor.user.id, mandate_id=mandate_id)
    if mandate is None:
        raise MandateNotFound
    await service.revoke_mandate(session, actor, mandate, now=now)
    return Response(status_code=204)


@router.get(
    "/approvals",
    response_model=CursorPage[ApprovalRead],
    responses=problems(OutsideMandate, NoMandate),
)
async def list_approvals(
    session: SessionDep,
    actor: CurrentActor,
    page: PageDep,
    status: Annotated[
        ApprovalStatus | None, Query(description="Default `pending`: what waits for you.")
    ] = ApprovalStatus.pending,
) -> CursorPage[ApprovalRead]:
    """What your representatives started that waits for your decision, oldest first."""
    items, next_cursor = await paginate(
        session,
        approvals.waiting_for(actor.user.id, status=status),
        page,
        order=[Sort(Approval.created_at), Sort(Approval.id)],
        key=lambda a: (a.created_at, a.id),
    )
    return CursorPage[ApprovalRead](
        items=[ApprovalRead.model_validate(a) for a in items], next_cursor=next_cursor
    )


DECISION_PROBLEMS = problems(
    ApprovalNotFound,
    ApprovalDecided,
    OutsideMandate,
    NoMandate,
    IdempotencyKeyReused,
    IdempotencyInProgress,
)


@router.post(
    "/approvals/{approval_id}/approve", response_model=ApprovalRead, responses=DECISION_PROBLEMS
)
async def approve(
    approval_id: uuid.UUID,
    session: SessionDep,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Approve what a representative started for you; it then goes ahead (a refund posts, or
    waits for a second administrator above the co-op's threshold). If it can no longer go
    ahead (a refund larger than the balance now: 409 `insufficient_funds`) nothing is decided
    and it keeps waiting. Only you can decide: not through X-On-Behalf-Of. `Idempotency-Key`
    is honoured."""
    approval = await approvals.get_for_holder(
        session, holder_id=actor.user.id, approval_id=approval_id
    )
    decided = await approvals.decide(session, actor, approval, approve=True, now=now)
    return await guard.respond(ApprovalRead.model_validate(decided))


@router.post(
    "/approvals/{approval_id}/refuse", response_model=ApprovalRead, responses=DECISION_PROBLEMS
)
async def refuse(
    approval_id: uuid.UUID,
    session: SessionDep,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Refuse what a representative started for you; nothing moves. `Idempotency-Key` is
    honoured."""
    approval = await approvals.get_for_holder(
        session, holder_id=actor.user.id, approval_id=approval_id
    )
    decided = await approvals.decide(session, actor, approval, approve=False, now=now)
    return await guard.respond(ApprovalRead.model_validate(decided))
