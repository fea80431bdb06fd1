"""Switching to a holder one represents: `/for/{holder_id}` is that holder's page as the
representative sees it (what the mandate lets them do, and what waits for the holder), and
every page under it acts for the holder (`app.web.acting`), paying in for them among them.
Switching back is going to one's own pages, which never act for anyone."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.auth.actor import Actor
from app.coops.models import MemberClass
from app.core.errors import AppError
from app.core.routing import Router
from app.ledger import contributions
from app.ledger.models import ContributionSource
from app.ledger.schemas import ContributionCreate
from app.me import service as me
from app.representatives.models import MandateScope
from app.web.acting import acting, allowed, holders_membership, may, prefix, whose
from app.web.decisions_router import open_votes
from app.web.forms import new_idempotency_key, pounds_to_pence, read_form, refuse, validated
from app.web.once import claim_form
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute
from app.web.visits_router import holder_visits

router = Router(route_class=PageRoute, include_in_schema=False)
# Scopes that move the holder's money, and so are bound by the mandate's per-cycle limit.
MONEY_SCOPES = (MandateScope.contribute, MandateScope.refund)


def working_scopes(actor: Actor) -> list[MandateScope]:
    """The mandate's scopes that work today (a conflict of interest may have stopped some),
    in the catalogue's order."""
    return [scope for scope in MandateScope if may(actor, scope)]


@router.get("/for/{holder_id}")
async def acting_home(holder_id: uuid.UUID, page: SignedInPage) -> Response:
    """The holder as their representative sees them: what the mandate allows, and the visits
    waiting for the holder's confirmation when it lets them see those."""
    page = await acting(page, holder_id)
    actor = page.me
    if not actor.is_representing:
        return page.redirect("/")
    scopes = working_scopes(actor)
    waiting = (
        (await holder_visits(page, decided=False)).waiting if MandateScope.view in scopes else None
    )
    # Where the holder's money may be paid in, or asked back from: their active memberships
    # as a holder.
    as_holder = (
        [
            held
            for held in await me.memberships(page.session, actor.principal.id)
            if held.status == "active" and held.member_class == MemberClass.service_user
        ]
        if MandateScope.contribute in scopes or MandateScope.refund in scopes
        else []
    )
    pay_into = as_holder if MandateScope.contribute in scopes else []
    refund_from = as_holder if MandateScope.refund in scopes else []
    # Where the holder's requests to the support desk may be read or raised.
    desks = (
        [
            held
            for held in await me.memberships(page.session, actor.principal.id)
            if held.status == "active"
        ]
        if MandateScope.view in scopes or MandateScope.support in scopes
        else []
    )
    # The holder's open votes, for a mandate that lets the representative vote.
    votes = (
        await open_votes(page, await me.memberships(page.session, actor.principal.id))
        if MandateScope.vote in scopes
        else []
    )
    mandate = actor.mandate
    return page.render(
        "holder/acting.html",
        votes=votes,
        holder_name=actor.principal.full_name,
        scopes=scopes,
        limit_pence=mandate.limit_pence_per_cycle if mandate else 0,
        moves_money=any(scope in scopes for scope in MONEY_SCOPES),
        waiting=waiting,
        pay_into=pay_into,
        refund_from=refund_from,
        desks=desks,
        prefix=prefix(page),
        done=page.request.query_params.get("done"),
    )


# Paying in for the holder ------------------------------------------------------------


async def show_pay_in(page: Page, form: FormState) -> Response:
    page = await whose(page)
    coop, _ = await holders_membership(page)
    actor = await allowed(page, "contribute")
    mandate = actor.mandate
    return page.render(
        "holder/acting_pay_in.html",
        coop=coop,
        form=form,
        holder_name=actor.principal.full_name,
        limit_pence=mandate.limit_pence_per_cycle if mandate else 0,
        sources=list(ContributionSource),
        idempotency_key=new_idempotency_key(),
        prefix=prefix(page),
    )


@router.get("/for/{holder_id}/coops/{coop_id}/pay-in")
async def pay_in_form(holder_id: uuid.UUID, coop_id: uuid.UUID, page: SignedInPage) -> Response:
    del coop_id
    return await show_pay_in(await acting(page, holder_id), EMPTY_FORM)


@router.post("/for/{holder_id}/coops/{coop_id}/pay-in")
async def pay_in(
    holder_id: uuid.UUID, coop_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Pay into the holder's account (`POST .../pool/contributions` with `X-On-Behalf-Of`:
    a mandate with `contribute`, within its per-cycle limit and the Direct Payment's cap).
    The form carries a key of its own, so sending it twice moves the money once."""
    del coop_id
    page = await acting(page, holder_id)
    values = await read_form(request)
    _, member = await holders_membership(page)
    actor = await allowed(page, "contribute")
    done = f"{prefix(page)}?done=paid"
    try:
        amount = pounds_to_pence(values.get("amount"), "amount")
        fields: dict[str, object] = {k: values[k] for k in ("reference", "source") if k in values}
        if amount is not None:
            fields["amount_pence"] = amount
        body = validated(ContributionCreate, fields)
        guard = await claim_form(page, request, actor, values, body)
        if guard is None:
            return page.redirect(done)
        transaction = await contributions.contribute(
            page.session,
            actor,
            member,
            member,
            amount_pence=body.amount_pence,
            reference=body.reference,
            now=page.now,
            source=body.source,
        )
        await guard.respond({"transaction_id": str(transaction.id)}, 201)
    except AppError as error:
        for item in error.extra.get("errors", []) if error.code == "validation_error" else []:
            item["loc"] = ["amount" if p == "amount_pence" else p for p in item["loc"]]
        raise refuse(
            page.language,
            error,
            values,
            show_pay_in,
            fields={
                "outside_mandate": "amount",
                "exceeds_direct_payment": "amount",
                "no_direct_payment": "source",
                "not_a_holder": "source",
            },
        ) from error
    return page.redirect(done)
