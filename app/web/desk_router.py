"""The co-op's support desk as a member uses it: their requests, and asking for help."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.errors import AppError
from app.core.pagination import PageRequest
from app.support import requests as desk
from app.support.models import Priority, SupportCategory
from app.support.schemas import SupportRequestCreate
from app.web.forms import read_form, refuse, validated
from app.web.membership import member_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


async def show_desk(page: Page, form: FormState) -> Response:
    coop_id = uuid.UUID(page.request.path_params["coop_id"])
    coop, member = await member_of(page, coop_id)
    items, next_cursor = await desk.list_visible(
        page.session,
        page.me,
        member,
        PageRequest(limit=SHOWN, cursor=page.request.query_params.get("cursor")),
    )
    return page.render(
        "coop/support.html",
        coop=coop,
        membership=member,
        current="support",
        form=form,
        requests=items,
        next_cursor=next_cursor,
        categories=list(SupportCategory),
        priorities=list(Priority),
        done=page.request.query_params.get("done"),
    )


@router.get("/coops/{coop_id}/support")
async def support(coop_id: uuid.UUID, page: SignedInPage) -> Response:
    """The member's own requests (support staff: all the co-op's), and the form to ask."""
    del coop_id
    return await show_desk(page, EMPTY_FORM)


@router.post("/coops/{coop_id}/support")
async def ask(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Raise a request (`POST .../support/requests`): it starts open."""
    values = await read_form(request)
    _, member = await member_of(page, coop_id)
    try:
        body = validated(
            SupportRequestCreate,
            {k: values[k] for k in ("category", "subject", "body", "priority") if k in values},
        )
        await desk.raise_request(
            page.session,
            page.me,
            member,
            category=body.category,
            subject=body.subject,
            body=body.body,
            priority=body.priority,
            now=page.now,
        )
    except AppError as error:
        raise refuse(page.language, error, values, show_desk) from error
    return page.redirect(f"/coops/{coop_id}/support?done=asked")
