"""Money back out of the pool: a member asks for a refund of their own balance, their
representative with `refund` asks for the holder (it then waits for the holder at
/approvals), and administrators decide the refunds that wait for a second administrator.
The rules are the API's (`app.ledger.refunds`): the balance checked now and again when the
refund posts, the mandate's limit, the second administrator above the co-op's threshold."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.coops.models import Member
from app.core.errors import AppError
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.ledger import refunds
from app.ledger.models import Refund, RefundStatus
from app.ledger.schemas import RefundCreate
from app.web.acting import acting, allowed, holders_membership, prefix, whose
from app.web.forms import (
    in_pounds,
    new_idempotency_key,
    pounds_to_pence,
    read_form,
    refuse,
    validated,
)
from app.web.membership import admin_of, member_names, member_of
from app.web.once import claim_form
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50
# A refusal that names one field of the form.
FIELDS = {"insufficient_funds": "amount", "outside_mandate": "amount"}


async def _refunds_seen(page: Page, member: Member) -> list[Refund]:
    """Administrators see the co-op's refunds, those waiting for a second administrator
    first; any other member their own, newest first (the API's list)."""
    everyone = member.is_admin and not page.me.is_representing
    items, _ = await paginate(
        page.session,
        refunds.refunds_of(member.coop_id, member_id=None if everyone else member.id, status=None),
        PageRequest(limit=SHOWN),
        order=[Sort(Refund.requested_at, descending=True), Sort(Refund.id, descending=True)],
        key=lambda r: (r.requested_at, r.id),
    )
    waiting = [r for r in items if r.status == RefundStatus.pending_second_approval]
    return waiting + [r for r in items if r.status != RefundStatus.pending_second_approval]


async def show_refunds(page: Page, form: FormState) -> Response:
    coop, member = await member_of(page, uuid.UUID(page.request.path_params["coop_id"]))
    found = await _refunds_seen(page, member)
    return page.render(
        "coop/refunds.html",
        coop=coop,
        membership=member,
        current="refunds",
        form=form,
        refunds=found,
        own_member_id=member.id,
        names=await member_names(page, coop.id, (r.member_id for r in found))
        if member.is_admin
        else {},
        idempotency_key=new_idempotency_key(),
        done=page.request.query_params.get("done"),
    )


@router.get("/coops/{coop_id}/refunds")
async def list_refunds(coop_id: uuid.UUID, page: SignedInPage) -> Response:
    """The member's refunds and the form to ask for one; an administrator's, the co-op's."""
    del coop_id
    return await show_refunds(page, EMPTY_FORM)


def _body(values: dict[str, str], member_id: uuid.UUID) -> RefundCreate:
    amount = pounds_to_pence(values.get("amount"), "amount")
    fields: dict[str, object] = {"member_id": member_id, "reason": values.get("reason", "")}
    if amount is not None:
        fields["amount_pence"] = amount
    return validated(RefundCreate, fields)


@router.post("/coops/{coop_id}/refunds")
async def ask_for_refund(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Ask for money back from the member's own account (`POST .../pool/refunds`). It posts
    at once, or waits for a second administrator above the co-op's threshold. The form
    carries a key of its own: sent twice, it asks once."""
    values = await read_form(request)
    coop, member = await member_of(page, coop_id)
    try:
        body = _body(values, member.id)
        guard = await claim_form(page, request, page.me, values, body)
        if guard is None:
            return page.redirect(f"/coops/{coop.id}/refunds?done=asked")
        refund = await refunds.request_refund(
            page.session,
            page.me,
            member,
            member,
            amount_pence=body.amount_pence,
            reason=body.reason,
            now=page.now,
        )
        await guard.respond({"refund_id": str(refund.id)}, 201)
    except AppError as error:
        raise refuse(
            page.language,
            in_pounds(error, pence_field="amount_pence", form_field="amount"),
            values,
            show_refunds,
            fields=FIELDS,
        ) from error
    done = "posted" if refund.status == RefundStatus.posted else "waiting"
    return page.redirect(f"/coops/{coop.id}/refunds?done={done}")


async def _decide(page: Page, coop_id: uuid.UUID, refund_id: uuid.UUID, approve: bool) -> Response:
    coop, _ = await admin_of(page, coop_id)
    refund = await refunds.get_refund(page.session, coop_id=coop.id, refund_id=refund_id, lock=True)
    try:
        if approve:
            await refunds.approve_refund(page.session, page.me, refund, now=page.now)
        else:
            await refunds.refuse_refund(page.session, page.me, refund, now=page.now)
    except AppError as error:
        raise refuse(page.language, error, {}, show_refunds) from error
    return page.redirect(f"/coops/{coop.id}/refunds?done={'approved' if approve else 'refused'}")


@router.post("/coops/{coop_id}/refunds/{refund_id}/approve")
async def approve_refund(coop_id: uuid.UUID, refund_id: uuid.UUID, page: SignedInPage) -> Response:
    """A second administrator lets a refund waiting for them post (neither the one who
    asked nor the member paid may: the API's rule)."""
    return await _decide(page, coop_id, refund_id, approve=True)


@router.post("/coops/{coop_id}/refunds/{refund_id}/refuse")
async def refuse_refund(coop_id: uuid.UUID, refund_id: uuid.UUID, page: SignedInPage) -> Response:
    """An administrator refuses (or the one who asked withdraws) a waiting refund."""
    return await _decide(page, coop_id, refund_id, approve=False)


# Asking for the holder ------------------------------------------------------------------


async def show_acting_refund(page: Page, form: FormState) -> Response:
    page = await whose(page)
    coop, _ = await holders_membership(page)
    actor = await allowed(page, "refund")
    mandate = actor.mandate
    return page.render(
        "holder/acting_refund.html",
        coop=coop,
        form=form,
        holder_name=actor.principal.full_name,
        limit_pence=mandate.limit_pence_per_cycle if mandate else 0,
        idempotency_key=new_idempotency_key(),
        prefix=prefix(page),
    )


@router.get("/for/{holder_id}/coops/{coop_id}/refund")
async def acting_refund_form(
    holder_id: uuid.UUID, coop_id: uuid.UUID, page: SignedInPage
) -> Response:
    del coop_id
    return await show_acting_refund(await acting(page, holder_id), EMPTY_FORM)


@router.post("/for/{holder_id}/coops/{coop_id}/refund")
async def acting_refund(
    holder_id: uuid.UUID, coop_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Ask for a refund of the holder's balance (`POST .../pool/refunds` with
    `X-On-Behalf-Of`: a mandate with `refund`, within its per-cycle limit). Nothing moves
    yet: the holder decides at /approvals. Sent twice, the form asks once."""
    del coop_id
    page = await acting(page, holder_id)
    values = await read_form(request)
    _, member = await holders_membership(page)
    actor = await allowed(page, "refund")
    done = f"{prefix(page)}?done=refund_asked"
    try:
        body = _body(values, member.id)
        guard = await claim_form(page, request, actor, values, body)
        if guard is None:
            return page.redirect(done)
        refund = await refunds.request_refund(
            page.session,
            actor,
            member,
            member,
            amount_pence=body.amount_pence,
            reason=body.reason,
            now=page.now,
        )
        await guard.respond({"refund_id": str(refund.id)}, 201)
    except AppError as error:
        raise refuse(
            page.language,
            in_pounds(error, pence_field="amount_pence", form_field="amount"),
            values,
            show_acting_refund,
            fields=FIELDS,
        ) from error
    return page.redirect(done)
