"""The support desk: members ask for help, support staff take requests on and resolve them.

Support staff are the co-op's administrators and its `worker` members, acting in person:
they see every request of the co-op, change any request's status and assign it. Everyone
else sees only their own requests (the holder's, for a representative) and may comment on
them, resolve them, and reopen them once resolved. A request someone may not see does not
exist for them (404).
"""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Member, MemberClass, MemberStatus
from app.core.errors import must_exist
from app.core.pagination import PageRequest, Sort, paginate
from app.notifications.events import Event, EventType, Members
from app.notifications.service import notify
from app.support import repository
from app.support.errors import AssigneeNotAWorker, SupportRequestNotFound, SupportStaffRequired
from app.support.models import Priority, SupportCategory, SupportComment, SupportRequest
from app.support.models import SupportStatus as Status

# What the member who asked may do to their own request's status (support staff may do any).
REQUESTER_MOVES = {
    (Status.open, Status.resolved),
    (Status.in_progress, Status.resolved),
    (Status.resolved, Status.open),
}


def is_support_staff(actor: Actor, member: Member) -> bool:
    """Administrators and worker members, in person: a mandate never carries staff powers."""
    if actor.is_representing:
        return False
    return member.is_admin or member.member_class == MemberClass.worker


async def raise_request(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    *,
    category: SupportCategory,
    subject: str,
    body: str,
    priority: Priority,
    now: datetime,
) -> SupportRequest:
    """Open a request for `member` (raised by them, or by their representative)."""
    request = SupportRequest(
        coop_id=member.coop_id,
        requester_member_id=member.id,
        raised_by_user_id=actor.user.id,
        category=category,
        subject=subject,
        body=body,
        priority=priority,
        status=Status.open,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    await session.flush()
    # Ids and the desk's own values only: what someone wrote stays out of the audit chain.
    audit.record(
        session,
        actor,
        "support_request.raised",
        "support_request",
        request.id,
        coop_id=member.coop_id,
        data={"requester_member_id": member.id, "category": category, "priority": priority},
        about=member.user_id,
    )
    return request


async def list_visible(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    page: PageRequest,
    *,
    status: Status | None = None,
    priority: Priority | None = None,
    assignee_member_id: uuid.UUID | None = None,
) -> tuple[list[SupportRequest], str | None]:
    """The requests the caller may see (their own, or all for support staff): urgent first,
    then normal, then low; newest first within a priority."""
    return await paginate(
        session,
        repository.requests_visible_to(
            member,
            sees_all=is_support_staff(actor, member),
            status=status,
            priority=priority,
            assignee_member_id=assignee_member_id,
        ),
        page,
        order=[
            Sort(repository.priority_rank),
            Sort(SupportRequest.created_at, descending=True),
            Sort(SupportRequest.id, descending=True),
        ],
        key=lambda r: (repository.PRIORITY_RANK[r.priority], r.created_at, r.id),
    )


async def comments_of(session: AsyncSession, request_id: uuid.UUID) -> list[SupportComment]:
    return list(await repository.comments_of(session, request_id))


async def visible_request(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    *,
    request_id: uuid.UUID,
    lock: bool = False,
) -> SupportRequest:
    request = await repository.visible_request(
        session,
        member,
        request_id=request_id,
        sees_all=is_support_staff(actor, member),
        lock=lock,
    )
    if request is None:
        raise SupportRequestNotFound
    return request


async def _requester_user_id(session: AsyncSession, request: SupportRequest) -> uuid.UUID:
    requester = await session.get(Member, request.requester_member_id)
    requester = must_exist(requester, "memberships are never deleted")
    return requester.user_id


async def update_request(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    request: SupportRequest,
    *,
    status: Status | None = None,
    assign: bool = False,
    assignee_member_id: uuid.UUID | None = None,
    now: datetime,
) -> SupportRequest:
    """Change the status and, with `assign`, the assignee (None takes it off them).

    The whole change is refused if any part of it is not the caller's to make; a change to
    what already holds is no change (and is not audited).
    """
    staff = is_support_staff(actor, member)
    if assign and not staff:
        raise SupportStaffRequired
    moves_status = status is not None and status != request.status
    if moves_status and not staff and (request.status, status) not in REQUESTER_MOVES:
        raise SupportStaffRequired
    moves_assignee = assign and assignee_member_id != request.assignee_member_id
    if moves_assignee and assignee_member_id is not None:
        await _require_worker(session, coop_id=request.coop_id, member_id=assignee_member_id)
    if not (moves_status or moves_assignee):
        return request
    about = await _requester_user_id(session, request)
    if moves_status and status is not None:
        previous = request.status
        request.status = status
        request.resolved_at = now if status == Status.resolved else None
        audit.record(
            session,
            actor,
            "support_request.status_changed",
            "support_request",
            request.id,
            coop_id=request.coop_id,
            data={"from": previous, "to": status},
            about=about,
        )
    if moves_assignee:
        request.assignee_member_id = assignee_member_id
        audit.record(
            session,
            actor,
            "support_request.assigned",
            "support_request",
            request.id,
            coop_id=request.coop_id,
            data={"assignee_member_id": assignee_member_id},
            about=about,
        )
    request.updated_at = now
    await session.flush()
    await notify(session, _event(EventType.support_request_updated, actor, request, now))
    return request


def _event(type_: EventType, actor: Actor, request: SupportRequest, at: datetime) -> Event:
    """For the member who asked and the assignee, less whoever made the change."""
    return Event(
        type=type_,
        subject_type="support_request",
        subject_id=request.id,
        at=at,
        coop_id=request.coop_id,
        recipients=[
            Members([request.requester_member_id, request.assignee_member_id], viewers=False)
        ],
        exclude=[actor.user.id],
        params={"status": request.status.value},
    )


async def _require_worker(
    session: AsyncSession, *, coop_id: uuid.UUID, member_id: uuid.UUID
) -> None:
    assignee = await coops.find_member(session, coop_id=coop_id, member_id=member_id)
    if (
        assignee is None
        or assignee.status != MemberStatus.active
        or assignee.member_class != MemberClass.worker
    ):
        raise AssigneeNotAWorker


async def add_comment(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    request: SupportRequest,
    *,
    body: str,
    now: datetime,
) -> SupportComment:
    """Add a comment as `member` (the request must be locked: comments are numbered)."""
    comment = SupportComment(
        request_id=request.id,
        number=await repository.comment_count(session, request.id) + 1,
        author_member_id=member.id,
        written_by_user_id=actor.user.id,
        body=body,
        created_at=now,
    )
    session.add(comment)
    request.updated_at = now
    await session.flush()
    audit.record(
        session,
        actor,
        "support_request.commented",
        "support_request",
        request.id,
        coop_id=request.coop_id,
        data={"comment_id": comment.id, "author_member_id": member.id},
        about=await _requester_user_id(session, request),
    )
    await notify(session, _event(EventType.support_comment_added, actor, request, now))
    return comment
