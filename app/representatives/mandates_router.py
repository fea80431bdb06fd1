"""A person's mandates, given and held, and the approvals that wait for their decision."""

import uuid
from typing import Annotated

from fastapi import Query, Response

from app.auth.dependencies import CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.auth.models import User
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.idempotency.dependencies import IdempotencyOptional
from app.idempotency.errors import IdempotencyInProgress, IdempotencyKeyReused
from app.representatives import approvals, service
from app.representatives.errors import (
    ApprovalDecided,
    ApprovalNotFound,
    ConflictOfInterest,
    MandateExists,
    MandateNotFound,
    MandateNotInvited,
    NotTheDecider,
    OfferedMandateNotFound,
    TooManyGrants,
)
from app.representatives.models import Approval, ApprovalStatus, Mandate, MandateScope
from app.representatives.schemas import (
    ApprovalRead,
    HolderRead,
    MandateCreate,
    MandateRead,
    RepresentingRead,
)

router = Router(prefix="/me", tags=["representatives"])


@router.post(
    "/representatives",
    status_code=201,
    response_model=MandateRead,
    responses=problems(MandateExists, ConflictOfInterest, TooManyGrants, OutsideMandate, NoMandate),
)
async def grant_mandate(
    body: MandateCreate, session: SessionDep, actor: CurrentActor, now: NowDep
) -> MandateRead:
    """Invite someone you trust to act for you (they send `X-On-Behalf-Of: <your id>`) within
    the scopes you choose, moving at most `limit_pence_per_cycle` in a four-week cycle.
    Refunds they start wait for your approval.

    The mandate answers `status: "invited"` and works only once that person accepts it
    (`POST /api/v1/me/representing/{mandate_id}/accept`). The answer is the same whether or
    not anyone has an account with the address: until they accept you see only the address
    you gave (normalised), never a name. An address with no account keeps the invitation for
    whoever registers with it. The invitation is e-mailed to the address in either case. At
    most 20 grants an hour (429 `too_many_attempts`), so addresses cannot be probed in bulk.
    Someone who is staff of a provider with a call-off for you, or a worker employed for you,
    may not be given `contribute` or `refund` (409 `conflict_of_interest`, naming the scopes
    in `scopes`); if they become so later, those scopes stop working at once."""
    mandate = await service.grant_mandate(
        session,
        actor,
        email=body.email,
        scopes=body.scopes,
        limit_pence_per_cycle=body.limit_pence_per_cycle,
        role=body.role,
        now=now,
    )
    return MandateRead.of(mandate)


@router.get(
    "/representatives",
    response_model=CursorPage[MandateRead],
    responses=problems(OutsideMandate, NoMandate),
)
async def list_mandates(
    session: SessionDep, actor: CurrentActor, page: PageDep
) -> CursorPage[MandateRead]:
    """The mandates you granted, newest first, invited, declined and revoked ones included
    (the representative is named only once they have accepted)."""
    items, next_cursor = await paginate(
        session,
        service.granted_by(actor.user.id),
        page,
        order=[Sort(Mandate.created_at, descending=True), Sort(Mandate.id, descending=True)],
        key=lambda m: (m.created_at, m.id),
    )
    return CursorPage[MandateRead](
        items=[MandateRead.of(m) for m in items], next_cursor=next_cursor
    )


@router.get(
    "/representing",
    response_model=CursorPage[RepresentingRead],
    responses=problems(OutsideMandate, NoMandate),
)
async def list_representing(
    session: SessionDep, actor: CurrentActor, page: PageDep
) -> CursorPage[RepresentingRead]:
    """The mandates people gave you that wait for your answer (`invited`) or are in force
    (`active`), oldest first."""
    items, next_cursor = await paginate(
        session,
        service.offered_to(actor.user),
        page,
        order=[Sort(Mandate.created_at), Sort(Mandate.id)],
        key=lambda row: (row[0].created_at, row[0].id),
        scalars=False,
    )
    return CursorPage[RepresentingRead](
        items=[_representing(mandate, holder) for mandate, holder in items],
        next_cursor=next_cursor,
    )


def _representing(mandate: Mandate, holder: User) -> RepresentingRead:
    return RepresentingRead(
        id=mandate.id,
        status=mandate.status,
        role=mandate.role,
        holder=HolderRead(id=holder.id, full_name=holder.full_name),
        scopes=[MandateScope(scope) for scope in mandate.scopes],
        limit_pence_per_cycle=mandate.limit_pence_per_cycle,
        created_at=mandate.created_at,
        accepted_at=mandate.accepted_at,
    )


ANSWER_PROBLEMS = problems(
    OfferedMandateNotFound,
    MandateNotInvited,
    MandateExists,
    ConflictOfInterest,
    OutsideMandate,
    NoMandate,
)


async def _answer(
    session: SessionDep, actor: CurrentActor, mandate_id: uuid.UUID, *, accept: bool, now: NowDep
) -> RepresentingRead:
    mandate = await service.get_offered(session, user=actor.user, mandate_id=mandate_id)
    if mandate is None:
        raise OfferedMandateNotFound
    await service.answer_invitation(session, actor, mandate, accept=accept, now=now)
    holder = await session.get(User, mandate.holder_user_id)
    if holder is None:  # pragma: no cover - a foreign key holds it
        raise OfferedMandateNotFound
    return _representing(mandate, holder)


@router.post(
    "/representing/{mandate_id}/accept",
    response_model=RepresentingRead,
    responses=ANSWER_PROBLEMS,
)
async def accept_mandate(
    mandate_id: uuid.UUID, session: SessionDep, actor: CurrentActor, now: NowDep
) -> RepresentingRead:
    """Accept a mandate someone gave you: from now on you may act for them within it, and
    they see your name. Only an `invited` mandate can be accepted (else 409
    `invalid_transition`); one given to someone else -> 404. If you are staff of a provider
    with a call-off for the holder, or a worker employed for them, a mandate with
    `contribute` or `refund` cannot be accepted (409 `conflict_of_interest`)."""
    return await _answer(session, actor, mandate_id, accept=True, now=now)


@router.post(
    "/representing/{mandate_id}/decline",
    response_model=RepresentingRead,
    responses=ANSWER_PROBLEMS,
)
async def decline_mandate(
    mandate_id: uuid.UUID, session: SessionDep, actor: CurrentActor, now: NowDep
) -> RepresentingRead:
    """Decline a mandate someone gave you: it never works, and the holder sees it declined,
    still without your name. Only an `invited` mandate can be declined (else 409
    `invalid_transition`); one given to someone else -> 404."""
    return await _answer(session, actor, mandate_id, accept=False, now=now)


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
    """What waits for your decision, oldest first: what your representatives started for you,
    and, if a holder who lacks capacity named you their approver, what was started for them
    (unless you asked for it yourself: then two co-op administrators decide). While you are
    marked as lacking capacity your own items wait for your approver instead and are not
    listed here."""
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
    NotTheDecider,
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
    """Approve what a representative started for you, or for a holder who named you their
    approver; it then goes ahead (a refund posts, or waits for a second administrator above
    the co-op's threshold). If it can no longer go ahead (a refund larger than the balance
    now: 409 `insufficient_funds`) nothing is decided and it keeps waiting. Only the person
    who decides, in person (not through X-On-Behalf-Of); a holder marked as lacking capacity
    is refused their own items (403 `forbidden`), anyone else -> 404. `Idempotency-Key` is
    honoured."""
    approval = await approvals.get_for_decider(
        session, user_id=actor.user.id, approval_id=approval_id
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
    """Refuse what waits for your decision (see approve); nothing moves. `Idempotency-Key` is
    honoured."""
    approval = await approvals.get_for_decider(
        session, user_id=actor.user.id, approval_id=approval_id
    )
    decided = await approvals.decide(session, actor, approval, approve=False, now=now)
    return await guard.respond(ApprovalRead.model_validate(decided))
