"""The person's own account: their logins (the list `GET /api/v1/me/sessions` gives, this
browser's among them), a copy of their data, and closing the account."""

import json
import uuid

from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from app.auth import sessions
from app.core.errors import AppError
from app.core.pagination import PageRequest
from app.core.routing import Router
from app.me import privacy
from app.web import cookies
from app.web.forms import refuse
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute
from app.workflows import accounts, membership

router = Router(route_class=PageRoute, include_in_schema=False)
LOGINS_SHOWN = 50


@router.get("/account")
async def account(page: SignedInPage) -> Response:
    logins, _ = await sessions.list_logins(
        page.session, page.user.id, PageRequest(limit=LOGINS_SHOWN), now=page.now
    )
    return page.render(
        "account/account.html",
        user=page.user,
        logins=logins,
        done=page.request.query_params.get("done"),
    )


@router.post("/account/logins/{login_id}/end")
async def end_login(login_id: uuid.UUID, page: SignedInPage) -> Response:
    """End one login at once, wherever it is (`DELETE /api/v1/me/sessions/{id}`); ending this
    browser's own signs it out."""
    await accounts.end_login(page.session, page.me, login_id=login_id, now=page.now)
    if login_id == page.login_id:
        response = page.redirect("/sign-in?done=signed_out")
        cookies.clear_session(response, page.settings)
        return response
    return page.redirect("/account?done=login_ended")


@router.get("/account/export")
async def export(page: SignedInPage) -> Response:
    """Everything held about the person (`GET /api/v1/me/export`), as a file to keep."""
    held = await privacy.export(page.session, page.user)
    body = json.dumps(jsonable_encoder(held), ensure_ascii=False, indent=2).encode("utf-8")
    return page.finish(
        Response(
            content=body,
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="my-data.json"'},
        )
    )


async def show_close(page: Page, form: FormState) -> Response:
    return page.render("account/close.html", form=form)


@router.get("/account/close")
async def close_form(page: SignedInPage) -> Response:
    return await show_close(page, EMPTY_FORM)


@router.post("/account/close")
async def close(page: SignedInPage) -> Response:
    """Close the account (`DELETE /api/v1/me`): memberships end as on leaving, unspent
    balances are refunded, logins end, name and address are replaced by a pseudonym."""
    try:
        await membership.close_account(page.session, page.me, now=page.now)
    except AppError as error:
        raise refuse(page.language, error, {}, show_close) from error
    response = page.redirect("/?done=closed")
    cookies.clear_session(response, page.settings)
    return response
