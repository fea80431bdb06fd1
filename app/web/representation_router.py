"""Representation set up in person: a holder invites someone they trust to act for them,
sees their representatives and ends a mandate (`/api/v1/me/representatives`' rules), and the
person invited accepts or declines and finds the holders they act for
(`/api/v1/me/representing`'s). Acting itself is under `/for/{holder_id}` (`acting_router`).
These are always the person's own pages: a mandate is never given or answered for someone
else."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.auth.models import User
from app.core.errors import AppError
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.representatives import service as representatives
from app.representatives.errors import MandateNotFound, OfferedMandateNotFound
from app.representatives.models import (
    LIVE_STATUSES,
    Mandate,
    MandateRole,
    MandateScope,
    MandateStatus,
)
from app.representatives.schemas import MandateCreate, MandateRead
from app.web.forms import in_pounds, pounds_to_pence, read_form, refuse, validated
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


# The holder's representatives -----------------------------------------------------------


async def show_representatives(page: Page, form: FormState) -> Response:
    granted, _ = await paginate(
        page.session,
        representatives.granted_by(page.user.id),
        PageRequest(limit=SHOWN),
        order=[Sort(Mandate.created_at, descending=True), Sort(Mandate.id, descending=True)],
        key=lambda m: (m.created_at, m.id),
    )
    # As the API reads them: the representative named only once they have accepted.
    shown = [MandateRead.of(m) for m in granted]
    return page.render(
        "holder/representatives.html",
        form=form,
        live=[m for m in shown if m.status in LIVE_STATUSES],
        ended=[m for m in shown if m.status not in LIVE_STATUSES],
        scopes=list(MandateScope),
        roles=list(MandateRole),
        ticked=form.value("scopes").split(),
        done=page.request.query_params.get("done"),
    )


@router.get("/representatives")
async def my_representatives(page: SignedInPage) -> Response:
    """The mandates the person gave, newest first, and a form to invite someone."""
    return await show_representatives(page, EMPTY_FORM)


@router.post("/representatives")
async def invite(request: Request, page: SignedInPage) -> Response:
    """Invite someone by e-mail (`POST /api/v1/me/representatives`): the mandate works once
    they accept it. The limit is typed in pounds."""
    values = await read_form(request)
    ticked = [
        v.strip()
        for v in (await request.form()).getlist("scopes")
        if isinstance(v, str) and v.strip()
    ]
    values["scopes"] = " ".join(ticked)
    try:
        fields: dict[str, object] = {k: values[k] for k in ("email", "role") if k in values}
        fields["scopes"] = ticked
        limit = pounds_to_pence(values.get("limit"), "limit")
        if limit is not None:
            fields["limit_pence_per_cycle"] = limit
        body = validated(MandateCreate, fields)
        await representatives.grant_mandate(
            page.session,
            page.me,
            email=body.email,
            scopes=body.scopes,
            limit_pence_per_cycle=body.limit_pence_per_cycle,
            role=body.role,
            now=page.now,
        )
    except AppError as error:
        raise refuse(
            page.language,
            in_pounds(error, pence_field="limit_pence_per_cycle", form_field="limit"),
            values,
            show_representatives,
            fields={
                "mandate_exists": "email",
                "conflict_of_interest": "scopes",
            },
        ) from error
    return page.redirect("/representatives?done=invited")


@router.post("/representatives/{mandate_id}/end")
async def end(mandate_id: uuid.UUID, page: SignedInPage) -> Response:
    """End a mandate, or withdraw an invitation (`DELETE /api/v1/me/representatives/{id}`):
    it stops working at once; ending one already ended changes nothing."""
    mandate = await representatives.get_granted(
        page.session, holder_id=page.user.id, mandate_id=mandate_id
    )
    if mandate is None:
        raise MandateNotFound
    await representatives.revoke_mandate(page.session, page.me, mandate, now=page.now)
    return page.redirect("/representatives?done=ended")


# The mandates offered to the person -----------------------------------------------------


async def show_representing(page: Page, form: FormState) -> Response:
    offered, _ = await paginate(
        page.session,
        representatives.offered_to(page.user),
        PageRequest(limit=SHOWN),
        order=[Sort(Mandate.created_at), Sort(Mandate.id)],
        key=lambda row: (row[0].created_at, row[0].id),
        scalars=False,
    )
    rows: list[tuple[Mandate, User]] = [(mandate, holder) for mandate, holder in offered]
    return page.render(
        "holder/representing.html",
        form=form,
        invitations=[row for row in rows if row[0].status == MandateStatus.invited],
        holders=[row for row in rows if row[0].status == MandateStatus.active],
        done=page.request.query_params.get("done"),
    )


@router.get("/representing")
async def representing(page: SignedInPage) -> Response:
    """Invitations waiting for the person's answer, oldest first, and the holders they act
    for, each a way into acting for them."""
    return await show_representing(page, EMPTY_FORM)


async def _answer(page: Page, mandate_id: uuid.UUID, *, accept: bool) -> Response:
    mandate = await representatives.get_offered(page.session, user=page.user, mandate_id=mandate_id)
    if mandate is None:
        raise OfferedMandateNotFound
    try:
        await representatives.answer_invitation(
            page.session, page.me, mandate, accept=accept, now=page.now
        )
    except AppError as error:
        raise refuse(page.language, error, {}, show_representing) from error
    return page.redirect(f"/representing?done={'accepted' if accept else 'declined'}")


@router.post("/representing/{mandate_id}/accept")
async def accept(mandate_id: uuid.UUID, page: SignedInPage) -> Response:
    """Accept (`POST /api/v1/me/representing/{id}/accept`): from now on the person may act
    for the holder within the mandate, and the holder sees their name."""
    return await _answer(page, mandate_id, accept=True)


@router.post("/representing/{mandate_id}/decline")
async def decline(mandate_id: uuid.UUID, page: SignedInPage) -> Response:
    """Decline: the mandate never works, and the holder is not told who declined."""
    return await _answer(page, mandate_id, accept=False)
