"""Refunds out of the pool, and the second administrator's decision on large ones."""

import uuid
from typing import Annotated

from fastapi import Query, Response

from app.auth.dependencies import CurrentActor, RefundActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.dependencies import CoopAdmin, CurrentMembership
from app.coops.errors import CoopAdminRequired, CoopNotFound, MemberNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.idempotency.dependencies import IdempotencyOptional, IdempotencyRequired
from app.idempotency.errors import (
    IdempotencyInProgress,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
)
from app.ledger import refunds, repository
from app.ledger.errors import (
    InsufficientFunds,
    NotYourAccount,
    RefundNotFound,
    RefundNotPending,
    SecondAdminRequired,
)
from app.ledger.models import Refund, RefundStatus
from app.ledger.schemas import RefundCreate, RefundRead

router = Router(prefix="/pool/refunds")
KEY_PROBLEMS = (IdempotencyKeyReused, IdempotencyInProgress)
DECISION_PROBLEMS = (CoopNotFound, CoopAdminRequired, OutsideMandate, NoMandate, RefundNotFound)


@router.post(
    "",
    status_code=201,
    response_model=RefundRead,
    responses=problems(
        CoopNotFound,
        MemberNotFound,
        NotYourAccount,
        OutsideMandate,
        NoMandate,
        InsufficientFunds,
        IdempotencyKeyRequired,
        *KEY_PROBLEMS,
    ),
)
async def create_refund(
    body: RefundCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: RefundActor,
    guard: IdempotencyRequired,
    now: NowDep,
) -> Response:
    """Pay money back out of a member's account (`member:<id> -> external:payouts`): the
    member themselves, their representative with `refund` (within the mandate's per-cycle
    limit), or an administrator. More than the balance: 409 `insufficient_funds`.

    A representative's refund waits for the holder (`pending_holder_approval`; the holder
    decides at `/me/approvals`). When it, plus the member's other posted and waiting refunds
    asked for in the same four-week cycle, comes to more than the co-op's
    `refund_second_approval_pence`, it then waits for a second administrator
    (`pending_second_approval`). The cycle is the holder's Direct Payment cycle (28 days from
    the award's `start_date`) when they have an award, else the 28 days ending on the day the
    refund is asked for. A waiting refund reserves
    nothing: the balance is checked again when it posts. `Idempotency-Key` is required."""
    target = await repository.visible_member(session, actor, member, body.member_id)
    refund = await refunds.request_refund(
        session,
        actor,
        member,
        target,
        amount_pence=body.amount_pence,
        reason=body.reason,
        now=now,
    )
    return await guard.respond(RefundRead.model_validate(refund), 201)


@router.get(
    "",
    response_model=CursorPage[RefundRead],
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def list_refunds(
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    status: Annotated[RefundStatus | None, Query(description="Only refunds in this state.")] = None,
) -> CursorPage[RefundRead]:
    """Refunds, newest first: administrators see the co-op's, other members their own."""
    who = repository.viewer(actor, member)
    items, next_cursor = await paginate(
        session,
        refunds.refunds_of(
            member.coop_id, member_id=None if who.is_admin else member.id, status=status
        ),
        page,
        order=[Sort(Refund.requested_at, descending=True), Sort(Refund.id, descending=True)],
        key=lambda r: (r.requested_at, r.id),
    )
    return CursorPage[RefundRead](
        items=[RefundRead.model_validate(r) for r in items], next_cursor=next_cursor
    )


@router.get(
    "/{refund_id}",
    response_model=RefundRead,
    responses=problems(CoopNotFound, OutsideMandate, NoMandate, RefundNotFound),
)
async def get_refund(
    refund_id: uuid.UUID, session: SessionDep, member: CurrentMembership, actor: ViewActor
) -> Refund:
    """One refund: administrators any of the co-op's, other members their own."""
    refund = await refunds.get_refund(session, coop_id=member.coop_id, refund_id=refund_id)
    if refund.member_id != member.id and not repository.viewer(actor, member).is_admin:
        raise RefundNotFound
    return refund


@router.post(
    "/{refund_id}/approve",
    response_model=RefundRead,
    responses=problems(
        *DECISION_PROBLEMS, SecondAdminRequired, RefundNotPending, InsufficientFunds, *KEY_PROBLEMS
    ),
)
async def approve_refund(
    refund_id: uuid.UUID,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Approve a refund waiting for a second administrator; it posts now. You may be neither
    the person who asked for it nor the member it is paid to (403 `second_admin_required`).
    The balance is checked again (409 `insufficient_funds`; the refund keeps waiting).
    `Idempotency-Key` is honoured."""
    refund = await refunds.get_refund(
        session, coop_id=admin.coop_id, refund_id=refund_id, lock=True
    )
    approved = await refunds.approve_refund(session, actor, refund, now=now)
    return await guard.respond(RefundRead.model_validate(approved))


@router.post(
    "/{refund_id}/refuse",
    response_model=RefundRead,
    responses=problems(*DECISION_PROBLEMS, RefundNotPending, *KEY_PROBLEMS),
)
async def refuse_refund(
    refund_id: uuid.UUID,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Refuse a refund waiting for a second administrator (the one who asked for it may
    withdraw it this way); nothing moves. `Idempotency-Key` is honoured."""
    refund = await refunds.get_refund(
        session, coop_id=admin.coop_id, refund_id=refund_id, lock=True
    )
    refused = await refunds.refuse_refund(session, actor, refund, now=now)
    return await guard.respond(RefundRead.model_validate(refused))
