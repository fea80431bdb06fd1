"""Membership: applying, approval, suspension, administrators and leaving."""

import uuid
from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from app.auth.dependencies import CurrentActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import repository, service
from app.coops.dependencies import (
    CoopAdmin,
    CurrentMembership,
    LeavingMember,
)
from app.coops.errors import (
    AlreadyMember,
    CoopAdminRequired,
    CoopNotFound,
    InvalidMemberTransition,
    LastAdmin,
    LastSafeguardingLead,
    MemberHasCommitments,
    MemberNotFound,
    NotThisMember,
    SafeguardingLeadRequired,
)
from app.coops.models import Member, MemberStatus
from app.coops.schemas import AdminFlag, MemberApplication, MemberRead
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.idempotency.dependencies import IdempotencyOptional
from app.idempotency.errors import IdempotencyInProgress, IdempotencyKeyReused
from app.workflows import membership

router = Router(prefix="/{coop_id}")
ADMIN_PROBLEMS = (CoopNotFound, CoopAdminRequired, MemberNotFound, OutsideMandate, NoMandate)


@router.post(
    "/applications",
    status_code=201,
    response_model=MemberRead,
    responses=problems(CoopNotFound, AlreadyMember, OutsideMandate, NoMandate),
)
async def apply_to_join(
    coop_id: uuid.UUID,
    body: MemberApplication,
    session: SessionDep,
    actor: CurrentActor,
    now: NowDep,
) -> Member:
    """Apply to join as a member of the given class; an administrator approves. One
    membership per person per co-op (409 `already_member`); someone who has left may apply
    again and gets a new membership."""
    coop = await service.get_coop(session, coop_id)
    return await membership.apply_to_join(
        session, actor, coop, member_class=body.member_class, now=now
    )


@router.get(
    "/members",
    response_model=CursorPage[MemberRead],
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def list_members(
    session: SessionDep,
    me: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    status: Annotated[
        MemberStatus | None,
        Query(description="Administrators only: members with this status (default: all but left)."),
    ] = None,
) -> CursorPage[MemberRead]:
    """The co-op's members in joining order (active members). Other members see the active
    members; administrators also see applicants and suspended members, or `?status=`."""
    del actor
    if not me.is_admin:
        statuses = [MemberStatus.active]
    elif status is not None:
        statuses = [status]
    else:
        statuses = [MemberStatus.pending, MemberStatus.active, MemberStatus.suspended]
    items, next_cursor = await paginate(
        session,
        repository.members_of(me.coop_id, statuses=statuses),
        page,
        order=[Sort(Member.joined_at), Sort(Member.id)],
        key=lambda m: (m.joined_at, m.id),
    )
    return CursorPage[MemberRead](
        items=[MemberRead.model_validate(m).as_seen_by(me) for m in items],
        next_cursor=next_cursor,
    )


@router.post(
    "/members/{member_id}/approve",
    response_model=MemberRead,
    responses=problems(*ADMIN_PROBLEMS, InvalidMemberTransition),
)
async def approve_member(
    member_id: uuid.UUID, session: SessionDep, admin: CoopAdmin, actor: CurrentActor, now: NowDep
) -> Member:
    """Admit an applicant, or reinstate a suspended member (administrators). The first
    approval's time is kept: shared charges are split in approval order."""
    member = await service.get_member(session, coop_id=admin.coop_id, member_id=member_id)
    return await membership.admit_member(session, actor, member, now=now)


@router.post(
    "/members/{member_id}/suspend",
    response_model=MemberRead,
    responses=problems(*ADMIN_PROBLEMS, InvalidMemberTransition, LastAdmin, LastSafeguardingLead),
)
async def suspend_member(
    member_id: uuid.UUID, session: SessionDep, admin: CoopAdmin, actor: CurrentActor
) -> Member:
    """Suspend an active member (administrators); approving them again reinstates them. The
    last active administrator cannot be suspended (409 `last_admin`), nor the last active
    safeguarding lead (409 `last_safeguarding_lead`)."""
    member = await service.get_member(session, coop_id=admin.coop_id, member_id=member_id)
    return await service.suspend_member(session, actor, member)


@router.post(
    "/members/{member_id}/admin",
    response_model=MemberRead,
    responses=problems(
        *ADMIN_PROBLEMS,
        InvalidMemberTransition,
        LastAdmin,
        LastSafeguardingLead,
        SafeguardingLeadRequired,
    ),
)
async def set_member_admin(
    member_id: uuid.UUID,
    body: AdminFlag,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
) -> Member:
    """Appoint an active member as an administrator, or stand one down (administrators). The
    co-op always keeps at least one active administrator (409 `last_admin`).

    `safeguarding_lead` marks or unmarks an administrator as a safeguarding lead, who reads
    the co-op's safeguarding concerns (standing an administrator down unmarks them too; a
    lead who is not an administrator is a 422). Any administrator may mark the first lead;
    once the co-op has an active lead only a lead may mark or unmark one (403
    `safeguarding_lead_required`), and the last active lead cannot be unmarked, stood down,
    suspended or leave (409 `last_safeguarding_lead`)."""
    member = await service.get_member(session, coop_id=admin.coop_id, member_id=member_id)
    return await service.set_admin(
        session,
        actor,
        admin,
        member,
        is_admin=body.is_admin,
        safeguarding_lead=body.safeguarding_lead,
    )


@router.post(
    "/members/{member_id}/leave",
    response_model=MemberRead,
    responses=problems(
        CoopNotFound,
        MemberNotFound,
        NotThisMember,
        OutsideMandate,
        NoMandate,
        InvalidMemberTransition,
        LastAdmin,
        LastSafeguardingLead,
        MemberHasCommitments,
        IdempotencyKeyReused,
        IdempotencyInProgress,
    ),
)
async def leave_coop(
    member_id: uuid.UUID,
    session: SessionDep,
    actor: CurrentActor,
    member: LeavingMember,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """End a membership: the member themselves (an applicant withdrawing too) or an
    administrator. The unspent balance is refunded in the same transaction; a member with open
    call-offs or unpaid invoice lines cannot leave (409 `member_has_commitments`). The last
    active administrator must appoint another first (409 `last_admin`), and the last active
    safeguarding lead mark another (409 `last_safeguarding_lead`). `Idempotency-Key` is
    honoured."""
    del member_id  # read by LeavingMember, which decides who may end this membership
    left = await membership.leave_coop(session, actor, member, now=now)
    return await guard.respond(MemberRead.model_validate(left))
