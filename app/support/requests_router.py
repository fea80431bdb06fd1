"""The support desk: requests for help and their comments."""

import uuid
from typing import Annotated

from fastapi import Query

from app.auth.dependencies import SupportActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep
from app.core.routing import Router
from app.support import repository
from app.support import requests as desk
from app.support.errors import AssigneeNotAWorker, SupportRequestNotFound, SupportStaffRequired
from app.support.models import Priority, SupportComment, SupportRequest, SupportStatus
from app.support.schemas import (
    SupportCommentCreate,
    SupportCommentRead,
    SupportRequestCreate,
    SupportRequestDetail,
    SupportRequestRead,
    SupportRequestUpdate,
)

router = Router(prefix="/coops/{coop_id}/support/requests", tags=["support"])
MEMBER_PROBLEMS = (CoopNotFound, OutsideMandate, NoMandate)
# Writing to a request for the holder (raising, commenting, resolving) needs the `support`


async def _detail(session: SessionDep, request: SupportRequest) -> SupportRequestDetail:
    comments = await repository.comments_of(session, request.id)
    return SupportRequestDetail(
        **SupportRequestRead.model_validate(request).model_dump(),
        comments=[SupportCommentRead.model_validate(c) for c in comments],
    )


@router.post(
    "", status_code=201, response_model=SupportRequestRead, responses=problems(*MEMBER_PROBLEMS)
)
async def raise_request(
    body: SupportRequestCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: SupportActor,
    now: NowDep,
) -> SupportRequest:
    """Ask the co-op's support desk for help (any active member). A representative with
    `support` may raise one for the holder (without it: 403 `outside_mandate`); it is the
    holder's request. It starts `open`;
    `priority` defaults to `normal`."""
    return await desk.raise_request(
        session,
        actor,
        member,
        category=body.category,
        subject=body.subject,
        body=body.body,
        priority=body.priority,
        now=now,
    )


@router.get("", response_model=CursorPage[SupportRequestRead], responses=problems(*MEMBER_PROBLEMS))
async def list_requests(
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    status: Annotated[SupportStatus | None, Query()] = None,
    priority: Annotated[Priority | None, Query()] = None,
    assignee_member_id: Annotated[
        uuid.UUID | None, Query(description="Only requests assigned to this member.")
    ] = None,
) -> CursorPage[SupportRequestRead]:
    """Support requests: your own (the holder's, for a representative); administrators and
    `worker` members see every request of the co-op. Urgent first, then normal, then low;
    newest first within a priority."""
    items, next_cursor = await desk.list_visible(
        session,
        actor,
        member,
        page,
        status=status,
        priority=priority,
        assignee_member_id=assignee_member_id,
    )
    return CursorPage[SupportRequestRead](
        items=[SupportRequestRead.model_validate(r) for r in items], next_cursor=next_cursor
    )


@router.get(
    "/{request_id}",
    response_model=SupportRequestDetail,
    responses=problems(*MEMBER_PROBLEMS, SupportRequestNotFound),
)
async def get_request(
    request_id: uuid.UUID, session: SessionDep, member: CurrentMembership, actor: ViewActor
) -> SupportRequestDetail:
    """A request with its comments, oldest first: the member who asked (or their
    representative with `view`), administrators and `worker` members. Anyone else, and any
    other co-op, gets 404."""
    request = await desk.visible_request(session, actor, member, request_id=request_id)
    return await _detail(session, request)


@router.patch(
    "/{request_id}",
    response_model=SupportRequestDetail,
    responses=problems(
        *MEMBER_PROBLEMS, SupportRequestNotFound, SupportStaffRequired, AssigneeNotAWorker
    ),
)
async def update_request(
    request_id: uuid.UUID,
    body: SupportRequestUpdate,
    session: SessionDep,
    member: CurrentMembership,
    actor: SupportActor,
    now: NowDep,
) -> SupportRequestDetail:
    """Move a request between `open`, `in_progress` and `resolved`, or assign it.
    Administrators and `worker` members may make any change; the assignee must be an active
    `worker` member of this co-op (422 `assignee_not_a_worker`), and a null
    `assignee_member_id` unassigns it. The member who asked (or their representative with
    `support`; without it 403 `outside_mandate`) may only resolve their request, or reopen it once resolved; anything more is 403
    `forbidden` and changes nothing."""
    request = await desk.visible_request(session, actor, member, request_id=request_id, lock=True)
    request = await desk.update_request(
        session,
        actor,
        member,
        request,
        status=body.status,
        assign="assignee_member_id" in body.model_fields_set,
        assignee_member_id=body.assignee_member_id,
        now=now,
    )
    return await _detail(session, request)


@router.post(
    "/{request_id}/comments",
    status_code=201,
    response_model=SupportCommentRead,
    responses=problems(*MEMBER_PROBLEMS, SupportRequestNotFound),
)
async def add_comment(
    request_id: uuid.UUID,
    body: SupportCommentCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: SupportActor,
    now: NowDep,
) -> SupportComment:
    """Comment on a request: the member who asked (or their representative with `support`;
    without it 403 `outside_mandate`), administrators and `worker` members."""
    request = await desk.visible_request(session, actor, member, request_id=request_id, lock=True)
    return await desk.add_comment(session, actor, member, request, body=body.body, now=now)
