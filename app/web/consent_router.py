"""Council access: the holder lets the council that pays their Direct Payment read the
evidence of one membership, sees the grants and ends one (`/api/v1/me/council-access`'s
rules); at `/for/{holder_id}/council-access` a representative does the same for the holder
(reading needs `view` or `share`, granting and ending `share`, as in the API)."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.areas import service as areas
from app.coops.models import MemberClass
from app.core.clock import local_date
from app.core.errors import AppError
from app.core.pagination import PageRequest
from app.core.routing import Router
from app.direct_payments import service as direct_payments
from app.evidence import consent
from app.evidence.dependencies import grants_reader
from app.evidence.schemas import CouncilAccessCreate
from app.me import service as me
from app.web.acting import acting, allowed, may, prefix, whose
from app.web.forms import read_form, refuse, validated
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


async def show_consent(page: Page, form: FormState) -> Response:
    page = await whose(page)
    actor = await grants_reader(page.me)
    holder_id = actor.principal.id
    today = local_date(page.now)
    grants, _ = await consent.list_grants(page.session, holder_id, PageRequest(limit=SHOWN))
    held = await me.memberships(page.session, holder_id)
    coop_names = {m.coop_id: m.coop_name for m in held}
    # Offered: the active holder's memberships not shared now (a second grant would be
    # refused as `already_granted`; the service still decides whatever is posted).
    shared_now = {g.member_id for g in grants if g.in_force_on(page.now, today)}
    shareable = [
        (str(m.coop_id), m.coop_name)
        for m in held
        if m.status == "active"
        and m.member_class == MemberClass.service_user
        and m.id not in shared_now
    ]
    award = await direct_payments.version_in_force(page.session, holder_id, on=today)
    names = {
        a.code: a.name_cy if page.language == "cy" else a.name_en
        for a in await areas.list_areas(page.session)
    }
    return page.render(
        "holder/consent.html",
        form=form,
        grants=[(g, g.in_force_on(page.now, today)) for g in grants],
        coop_names=coop_names,
        area_names=names,
        shareable=shareable,
        award=award,
        may_share=may(actor, "share"),
        acting=actor.is_representing,
        prefix=prefix(page),
        done=page.request.query_params.get("done"),
    )


@router.get("/council-access")
async def my_council_access(page: SignedInPage) -> Response:
    """The holder's grants, newest first (ended and lapsed ones too), and a new one."""
    return await show_consent(page, EMPTY_FORM)


@router.get("/for/{holder_id}/council-access")
async def holders_council_access(holder_id: uuid.UUID, page: SignedInPage) -> Response:
    """The same, for a holder the person represents."""
    return await show_consent(await acting(page, holder_id), EMPTY_FORM)


async def _grant(page: Page, values: dict[str, str]) -> Response:
    actor = await allowed(page, "share")
    try:
        body = validated(
            CouncilAccessCreate, {k: v for k, v in values.items() if k in ("coop_id", "until")}
        )
        await consent.grant(
            page.session, actor, coop_id=body.coop_id, until=body.until, now=page.now
        )
    except AppError as error:
        if error.status == 404:
            raise
        raise refuse(
            page.language,
            error,
            values,
            show_consent,
            fields={
                "not_a_holder": "coop_id",
                "no_direct_payment": "coop_id",
                "already_granted": "coop_id",
            },
        ) from error
    return page.redirect(f"{prefix(page)}/council-access?done=granted")


@router.post("/council-access")
async def grant(request: Request, page: SignedInPage) -> Response:
    """Let the council paying the Direct Payment read one membership's evidence, until the
    day chosen (or until it is ended)."""
    return await _grant(page, await read_form(request))


@router.post("/for/{holder_id}/council-access")
async def grant_for(holder_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """The same for the holder (a mandate with `share`)."""
    return await _grant(await acting(page, holder_id), await read_form(request))


async def _end(page: Page, grant_id: uuid.UUID) -> Response:
    actor = await allowed(page, "share")
    await consent.end(page.session, actor, grant_id, now=page.now)
    return page.redirect(f"{prefix(page)}/council-access?done=ended")


@router.post("/council-access/{grant_id}/end")
async def end(grant_id: uuid.UUID, page: SignedInPage) -> Response:
    """End a grant at once: the council reads the evidence no more."""
    return await _end(page, grant_id)


@router.post("/for/{holder_id}/council-access/{grant_id}/end")
async def end_for(holder_id: uuid.UUID, grant_id: uuid.UUID, page: SignedInPage) -> Response:
    """End one of the holder's grants (a mandate with `share`)."""
    return await _end(await acting(page, holder_id), grant_id)
