"""The support desk as its staff answer it (the co-op's administrators and worker members):
the requests by status, a request with its comments, answering it and moving it on, through
the same service as `.../support/requests/...` in the API."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.coops import service as coops
from app.coops.models import Coop, Member, MemberClass, MemberStatus
from app.core.errors import AppError
from app.core.pagination import PageRequest
from app.core.routing import Router
from app.support import requests as desk
from app.support.errors import SupportStaffRequired
from app.support.models import SupportStatus
from app.support.schemas import SupportCommentCreate, SupportRequestUpdate
from app.web.forms import read_form, refuse, validated
from app.web.membership import member_names, member_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


async def staff_of(page: Page, coop_id: uuid.UUID) -> tuple[Coop, Member]:
    """A member of the co-op who is on its desk; any other member is refused (403)."""
    coop, member = await member_of(page, coop_id)
    if not desk.is_support_staff(page.me, member):
        raise SupportStaffRequired
    return coop, member


@router.get("/coops/{coop_id}/desk")
async def desk_requests(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """The co-op's requests in one status (open unless asked), urgent first."""
    coop, member = await staff_of(page, coop_id)
    query = request.query_params
    status = next((s for s in SupportStatus if s.value == query.get("status")), SupportStatus.open)
    items, next_cursor = await desk.list_visible(
        page.session,
        page.me,
        member,
        PageRequest(limit=SHOWN, cursor=query.get("cursor")),
        status=status,
    )
    return page.render(
        "coop/desk_requests.html",
        coop=coop,
        membership=member,
        current="desk",
        requests=items,
        names=await member_names(page, coop.id, (r.requester_member_id for r in items)),
        shown=status,
        statuses=list(SupportStatus),
        next_cursor=next_cursor,
    )


async def show_request(page: Page, form: FormState) -> Response:
    coop_id = uuid.UUID(page.request.path_params["coop_id"])
    request_id = uuid.UUID(page.request.path_params["request_id"])
    coop, member = await staff_of(page, coop_id)
    asked = await desk.visible_request(page.session, page.me, member, request_id=request_id)
    comments = await desk.comments_of(page.session, asked.id)
    workers = (
        await page.session.scalars(
            coops.members_with_status(coop.id, statuses=[MemberStatus.active]).where(
                Member.member_class == MemberClass.worker
            )
        )
    ).all()
    people = [asked.requester_member_id, *(c.author_member_id for c in comments)]
    if asked.assignee_member_id is not None:
        people.append(asked.assignee_member_id)
    return page.render(
        "coop/desk_request.html",
        coop=coop,
        membership=member,
        current="desk",
        form=form,
        asked=asked,
        comments=comments,
        names=await member_names(page, coop.id, people),
        workers=sorted(workers, key=lambda w: w.user.full_name.casefold()),
        statuses=list(SupportStatus),
        done=page.request.query_params.get("done"),
    )


@router.get("/coops/{coop_id}/desk/{request_id}")
async def desk_request(coop_id: uuid.UUID, request_id: uuid.UUID, page: SignedInPage) -> Response:
    """A request with its comments, oldest first, and the forms to answer it and move it on.
    Another co-op's request does not exist here (404)."""
    del coop_id, request_id
    return await show_request(page, EMPTY_FORM)


@router.post("/coops/{coop_id}/desk/{request_id}/comments")
async def answer(
    coop_id: uuid.UUID, request_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Answer the member (`POST .../comments`): they are told of it."""
    values = await read_form(request)
    _, member = await staff_of(page, coop_id)
    asked = await desk.visible_request(
        page.session, page.me, member, request_id=request_id, lock=True
    )
    try:
        body = validated(SupportCommentCreate, {k: v for k, v in values.items() if k == "body"})
        await desk.add_comment(page.session, page.me, member, asked, body=body.body, now=page.now)
    except AppError as error:
        raise refuse(page.language, error, values, show_request) from error
    return page.redirect(f"/coops/{coop_id}/desk/{request_id}?done=answered")


@router.post("/coops/{coop_id}/desk/{request_id}")
async def move_on(
    coop_id: uuid.UUID, request_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Change the status and who has the request (`PATCH .../requests/{id}`); nobody chosen
    takes it off whoever had it."""
    values = await read_form(request)
    _, member = await staff_of(page, coop_id)
    asked = await desk.visible_request(
        page.session, page.me, member, request_id=request_id, lock=True
    )
    try:
        body = validated(
            SupportRequestUpdate,
            {k: v for k, v in values.items() if k in ("status", "assignee_member_id")},
        )
        await desk.update_request(
            page.session,
            page.me,
            member,
            asked,
            status=body.status,
            assign=True,
            assignee_member_id=body.assignee_member_id,
            now=page.now,
        )
    except AppError as error:
        raise refuse(
            page.language,
            error,
            values,
            show_request,
            fields={"assignee_not_a_worker": "assignee_member_id"},
        ) from error
    return page.redirect(f"/coops/{coop_id}/desk/{request_id}?done=updated")
