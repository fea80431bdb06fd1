"""The co-op's support desk as a member uses it: their requests, asking for help, reading the
answers and replying, through the same service as `.../support/requests/...` in the API. The
member's own at `/coops/{coop_id}/support`; a representative's for the holder under
`/for/{holder_id}` (reading needs `view`, asking and replying `support`, as in the API)."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.coops import service as coops
from app.coops.dependencies import current_membership
from app.coops.models import Coop, Member
from app.core.errors import AppError
from app.core.pagination import PageRequest
from app.core.routing import Router
from app.support import requests as desk
from app.support.models import Priority, SupportCategory, SupportRequest, SupportStatus
from app.support.schemas import SupportCommentCreate, SupportRequestCreate, SupportRequestUpdate
from app.web.acting import acting, allowed, may, prefix, whose
from app.web.forms import read_form, refuse, validated
from app.web.membership import member_names
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


async def _whose_membership(page: Page) -> tuple[Coop, Member]:
    """The active membership of the person whose desk this is (the holder's, for a
    representative): 404 otherwise, as the API's `current_membership` answers."""
    coop_id = uuid.UUID(str(page.request.path_params["coop_id"]))
    member = await current_membership(coop_id, page.session, page.me)
    return await coops.get_coop(page.session, coop_id), member


async def show_desk(page: Page, form: FormState) -> Response:
    page = await whose(page)
    coop, member = await _whose_membership(page)
    # What the API would let this caller do here: list (`view`) and ask (`support`).
    sees, asks = may(page.me, "view"), may(page.me, "support")
    if not (sees or asks):
        await allowed(page, "support")
    items: list[SupportRequest] = []
    next_cursor: str | None = None
    if sees:
        items, next_cursor = await desk.list_visible(
            page.session,
            await allowed(page, "view"),
            member,
            PageRequest(limit=SHOWN, cursor=page.request.query_params.get("cursor")),
        )
    return page.render(
        "coop/support.html",
        coop=coop,
        membership=member,
        current="support",
        form=form,
        sees=sees,
        asks=asks,
        requests=items,
        next_cursor=next_cursor,
        categories=list(SupportCategory),
        priorities=list(Priority),
        prefix=prefix(page),
        done=page.request.query_params.get("done"),
    )


@router.get("/coops/{coop_id}/support")
async def support(coop_id: uuid.UUID, page: SignedInPage) -> Response:
    """The member's own requests (support staff: all the co-op's), and the form to ask."""
    del coop_id
    return await show_desk(page, EMPTY_FORM)


@router.get("/for/{holder_id}/coops/{coop_id}/support")
async def holders_support(holder_id: uuid.UUID, coop_id: uuid.UUID, page: SignedInPage) -> Response:
    """The same, for a holder the person represents: their requests (a mandate with `view`)
    and the form to ask for them (with `support`)."""
    del coop_id
    return await show_desk(await acting(page, holder_id), EMPTY_FORM)


async def _ask(page: Page, coop_id: uuid.UUID, values: dict[str, str]) -> Response:
    _, member = await _whose_membership(page)
    actor = await allowed(page, "support")
    try:
        body = validated(
            SupportRequestCreate,
            {k: values[k] for k in ("category", "subject", "body", "priority") if k in values},
        )
        await desk.raise_request(
            page.session,
            actor,
            member,
            category=body.category,
            subject=body.subject,
            body=body.body,
            priority=body.priority,
            now=page.now,
        )
    except AppError as error:
        raise refuse(page.language, error, values, show_desk) from error
    return page.redirect(f"{prefix(page)}/coops/{coop_id}/support?done=asked")


@router.post("/coops/{coop_id}/support")
async def ask(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Raise a request (`POST .../support/requests`): it starts open."""
    return await _ask(page, coop_id, await read_form(request))


@router.post("/for/{holder_id}/coops/{coop_id}/support")
async def ask_for(
    holder_id: uuid.UUID, coop_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Raise a request for the holder (a mandate with `support`): it is the holder's."""
    page = await acting(page, holder_id)
    return await _ask(page, coop_id, await read_form(request))


# One request and its conversation ---------------------------------------------------


async def show_request(page: Page, form: FormState) -> Response:
    page = await whose(page)
    coop, member = await _whose_membership(page)
    actor = await allowed(page, "view")
    request_id = uuid.UUID(str(page.request.path_params["request_id"]))
    asked = await desk.visible_request(page.session, actor, member, request_id=request_id)
    # The conversation as the API's `GET .../requests/{id}` gives it to the one who asked.
    comments = await desk.comments_of(page.session, asked.id)
    people = [asked.requester_member_id, *(c.author_member_id for c in comments)]
    return page.render(
        "coop/support_request.html",
        coop=coop,
        membership=member,
        current="support",
        form=form,
        asked=asked,
        comments=comments,
        names=await member_names(page, coop.id, people),
        replies=may(actor, "support"),
        # The moves the service lets the one who asked make from where the request stands.
        moves=sorted(to for before, to in desk.REQUESTER_MOVES if before == asked.status),
        prefix=prefix(page),
        done=page.request.query_params.get("done"),
    )


@router.get("/coops/{coop_id}/support/{request_id}")
async def support_request(
    coop_id: uuid.UUID, request_id: uuid.UUID, page: SignedInPage
) -> Response:
    """The member's request with its answers and comments, oldest first, and the form to
    reply. Someone else's request, or another co-op's, does not exist here (404)."""
    del coop_id, request_id
    return await show_request(page, EMPTY_FORM)


@router.get("/for/{holder_id}/coops/{coop_id}/support/{request_id}")
async def holders_support_request(
    holder_id: uuid.UUID, coop_id: uuid.UUID, request_id: uuid.UUID, page: SignedInPage
) -> Response:
    """The same, for a holder the person represents (a mandate with `view`)."""
    del coop_id, request_id
    return await show_request(await acting(page, holder_id), EMPTY_FORM)


async def _reply(
    page: Page, coop_id: uuid.UUID, request_id: uuid.UUID, values: dict[str, str]
) -> Response:
    _, member = await _whose_membership(page)
    actor = await allowed(page, "support")
    asked = await desk.visible_request(
        page.session, actor, member, request_id=request_id, lock=True
    )
    try:
        body = validated(SupportCommentCreate, {k: v for k, v in values.items() if k == "body"})
        await desk.add_comment(page.session, actor, member, asked, body=body.body, now=page.now)
    except AppError as error:
        raise refuse(page.language, error, values, show_request) from error
    return page.redirect(f"{prefix(page)}/coops/{coop_id}/support/{request_id}?done=replied")


@router.post("/coops/{coop_id}/support/{request_id}/comments")
async def reply(
    coop_id: uuid.UUID, request_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Reply on the request (`POST .../comments`): whoever the desk gave it to is told."""
    return await _reply(page, coop_id, request_id, await read_form(request))


@router.post("/for/{holder_id}/coops/{coop_id}/support/{request_id}/comments")
async def reply_for(
    holder_id: uuid.UUID,
    coop_id: uuid.UUID,
    request_id: uuid.UUID,
    request: Request,
    page: SignedInPage,
) -> Response:
    """Reply for the holder (a mandate with `support`): the comment speaks for them."""
    page = await acting(page, holder_id)
    return await _reply(page, coop_id, request_id, await read_form(request))


async def _move(
    page: Page, coop_id: uuid.UUID, request_id: uuid.UUID, values: dict[str, str]
) -> Response:
    _, member = await _whose_membership(page)
    actor = await allowed(page, "support")
    asked = await desk.visible_request(
        page.session, actor, member, request_id=request_id, lock=True
    )
    try:
        body = validated(SupportRequestUpdate, {k: v for k, v in values.items() if k == "status"})
        await desk.update_request(
            page.session, actor, member, asked, status=body.status, now=page.now
        )
    except AppError as error:
        raise refuse(page.language, error, values, show_request) from error
    done = "resolved" if asked.status == SupportStatus.resolved else "reopened"
    return page.redirect(f"{prefix(page)}/coops/{coop_id}/support/{request_id}?done={done}")


@router.post("/coops/{coop_id}/support/{request_id}")
async def move(
    coop_id: uuid.UUID, request_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Resolve the request, or reopen it once resolved (`PATCH .../requests/{id}` with a
    `status`): anything more is the desk's to do (403)."""
    return await _move(page, coop_id, request_id, await read_form(request))


@router.post("/for/{holder_id}/coops/{coop_id}/support/{request_id}")
async def move_for(
    holder_id: uuid.UUID,
    coop_id: uuid.UUID,
    request_id: uuid.UUID,
    request: Request,
    page: SignedInPage,
) -> Response:
    """Resolve or reopen the holder's request for them (a mandate with `support`)."""
    page = await acting(page, holder_id)
    return await _move(page, coop_id, request_id, await read_form(request))
