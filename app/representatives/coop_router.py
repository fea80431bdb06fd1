"""A co-op's administrators and representation: marking a holder as lacking capacity, and the
approvals two administrators decide."""

import uuid
from typing import Annotated

from fastapi import Query, Response
from fastapi.responses import JSONResponse

from app.auth.dependencies import CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import service as coops
from app.coops.dependencies import CoopAdmin
from app.coops.errors import (
    CoopAdminRequired,
    CoopNotFound,
    InvalidMemberTransition,
    MemberNotFound,
)
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.idempotency.dependencies import IdempotencyOptional
from app.idempotency.errors import IdempotencyInProgress, IdempotencyKeyReused
from app.representatives import admin_approvals, approvals, capacity
from app.representatives.errors import (
    AdminApprovalNotFound,
    ApprovalDecided,
    NotAnIndependentAdmin,
)
from app.representatives.models import (
    Approval,
    ApprovalStatus,
    CapacityChange,
    CapacityChangeStatus,
)
from app.representatives.schemas import ApprovalRead, CapacityChangeCreate, CapacityChangeRead

router = Router(prefix="/coops/{coop_id}", tags=["representatives"])
ADMIN_PROBLEMS = (CoopNotFound, CoopAdminRequired, OutsideMandate, NoMandate)


@router.post(
    "/members/{member_id}/capacity",
    status_code=202,
    response_model=CapacityChangeRead,
    responses={
        200: {
            "model": CapacityChangeRead,
            "description": "A second administrator agreed: in force.",
        },
        **problems(*ADMIN_PROBLEMS, MemberNotFound, InvalidMemberTransition),
    },
)
async def request_capacity_change(
    member_id: uuid.UUID,
    body: CapacityChangeCreate,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> JSONResponse:
    """Mark a member as lacking capacity to decide for themselves, naming the mandate whose
    representative approves for them instead (`approver_mandate_id`, an active mandate the
    member gave, of a role other than `helper`: else 422), or lift the mark
    (`lacks_capacity: false`). Administrators, in person.

    The first administrator's request answers 202 `pending` and changes nothing; the same body
    from a second, different administrator answers 200 `applied`, and the member reads
    `lacks_capacity` and `approver_mandate_id` from then on. The same administrator asking
    again leaves it pending; a different body replaces the request that waits. While the mark
    is in force, what waits for the member's approval waits for the approver, or for two
    administrators when there is none or the approver asked for it themselves."""
    member = await coops.get_member(session, coop_id=admin.coop_id, member_id=member_id)
    change = await capacity.request_change(
        session,
        actor,
        member,
        lacks_capacity=body.lacks_capacity,
        approver_mandate_id=body.approver_mandate_id,
        now=now,
    )
    read = CapacityChangeRead.model_validate(change)
    status = 202 if change.status == CapacityChangeStatus.pending else 200
    return JSONResponse(read.model_dump(mode="json"), status_code=status)


@router.get(
    "/members/{member_id}/capacity",
    response_model=CursorPage[CapacityChangeRead],
    responses=problems(*ADMIN_PROBLEMS, MemberNotFound),
)
async def list_capacity_changes(
    member_id: uuid.UUID, session: SessionDep, admin: CoopAdmin, page: PageDep
) -> CursorPage[CapacityChangeRead]:
    """The requests to mark or lift a member's lack of capacity, newest first
    (administrators): what waits for a second administrator, and what was decided."""
    member = await coops.get_member(session, coop_id=admin.coop_id, member_id=member_id)
    items, next_cursor = await paginate(
        session,
        capacity.changes_of(member.id),
        page,
        order=[
            Sort(CapacityChange.requested_at, descending=True),
            Sort(CapacityChange.id, descending=True),
        ],
        key=lambda c: (c.requested_at, c.id),
    )
    return CursorPage[CapacityChangeRead](
        items=[CapacityChangeRead.model_validate(c) for c in items], next_cursor=next_cursor
    )


@router.get(
    "/approvals",
    response_model=CursorPage[ApprovalRead],
    responses=problems(*ADMIN_PROBLEMS),
)
async def list_admin_approvals(
    session: SessionDep,
    admin: CoopAdmin,
    page: PageDep,
    status: Annotated[
        ApprovalStatus | None, Query(description="Default `pending`: what waits for you.")
    ] = ApprovalStatus.pending,
) -> CursorPage[ApprovalRead]:
    """What waits for two of the co-op's administrators, oldest first: acts for members who
    lack capacity and have no approver other than the person who asked (administrators)."""
    items, next_cursor = await paginate(
        session,
        approvals.waiting_for_admins(admin.coop_id, status=status),
        page,
        order=[Sort(Approval.created_at), Sort(Approval.id)],
        key=lambda a: (a.created_at, a.id),
    )
    return CursorPage[ApprovalRead](
        items=[ApprovalRead.model_validate(a) for a in items], next_cursor=next_cursor
    )


DECISION_PROBLEMS = problems(
    *ADMIN_PROBLEMS,
    AdminApprovalNotFound,
    ApprovalDecided,
    NotAnIndependentAdmin,
    IdempotencyKeyReused,
    IdempotencyInProgress,
)


async def _waiting(session: SessionDep, admin: CoopAdmin, approval_id: uuid.UUID) -> Approval:
    approval = await approvals.get_for_admins(
        session, coop_id=admin.coop_id, approval_id=approval_id
    )
    if approval is None:
        raise AdminApprovalNotFound
    return approval


@router.post(
    "/approvals/{approval_id}/approve",
    status_code=200,
    response_model=ApprovalRead,
    responses={
        202: {"model": ApprovalRead, "description": "One administrator approved: it waits."},
        **DECISION_PROBLEMS,
    },
)
async def approve_as_admin(
    approval_id: uuid.UUID,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Approve, as one of two administrators, what waits for the co-op's administrators. The
    first answers 202 and it still waits (the same administrator again changes nothing); a
    second, different administrator's approval answers 200 and it goes ahead (a refund posts,
    or waits for a second administrator above the co-op's threshold; if it can no longer go
    ahead, 409 and it keeps waiting). Neither the person who asked nor the holder may approve
    (403 `second_admin_required`). Only what waits for administrators exists here (else 404).
    `Idempotency-Key` is honoured."""
    approval = await _waiting(session, admin, approval_id)
    decided = await admin_approvals.approve(session, actor, approval, now=now)
    status = 202 if decided.status == ApprovalStatus.pending else 200
    return await guard.respond(ApprovalRead.model_validate(decided), status_code=status)


@router.post(
    "/approvals/{approval_id}/refuse",
    response_model=ApprovalRead,
    responses=DECISION_PROBLEMS,
)
async def refuse_as_admin(
    approval_id: uuid.UUID,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Refuse what waits for the co-op's administrators: one administrator is enough (the
    person who asked included: they withdraw it); nothing moves. `Idempotency-Key` is
    honoured."""
    approval = await _waiting(session, admin, approval_id)
    decided = await admin_approvals.refuse(session, actor, approval, now=now)
    return await guard.respond(ApprovalRead.model_validate(decided))
