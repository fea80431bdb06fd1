"""Switching to a holder one represents: `/for/{holder_id}` is that holder's page as the
representative sees it (what the mandate lets them do, and what waits for the holder), and
every page under it acts for the holder (`app.web.acting`), paying in for them among them.
Switching back is going to one's own pages, which never act for anyone."""

import json
import uuid
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.dependencies import current_membership
from app.coops.models import Coop, Member, MemberClass
from app.core.errors import AppError
from app.core.replay import IdempotentReplay
from app.idempotency.service import IdempotencyGuard, request_fingerprint, resource_scope
from app.ledger import contributions
from app.ledger.models import ContributionSource
from app.ledger.schemas import ContributionCreate
from app.me import service as me
from app.representatives.models import MandateScope
from app.web.acting import acting, allowed, may, prefix, whose
from app.web.decisions_router import open_votes
from app.web.forms import new_idempotency_key, pounds_to_pence, read_form, refuse, validated
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute
from app.web.visits_router import holder_visits

router = APIRouter(route_class=PageRoute, include_in_schema=False)
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
    # Where the holder's money may be paid in: their active memberships as a holder.
    pay_into = (
        [
            held
            for held in await me.memberships(page.session, actor.principal.id)
            if held.status == "active" and held.member_class == MemberClass.service_user
        ]
        if MandateScope.contribute in scopes
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
        prefix=prefix(page),
        done=page.request.query_params.get("done"),
    )


# Paying in for the holder ------------------------------------------------------------


async def _holders_membership(page: Page) -> tuple[Coop, Member]:
    """The holder's active membership of the co-op in the address (404 otherwise, as the
    API's `current_membership` answers)."""
    coop_id = uuid.UUID(str(page.request.path_params["coop_id"]))
    member = await current_membership(coop_id, page.session, page.me)
    return await coops.get_coop(page.session, coop_id), member


async def show_pay_in(page: Page, form: FormState) -> Response:
    page = await whose(page)
    coop, _ = await _holders_membership(page)
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
    _, member = await _holders_membership(page)
    actor = await allowed(page, "contribute")
    done = f"{prefix(page)}?done=paid"
    try:
        amount = pounds_to_pence(values.get("amount"), "amount")
        fields: dict[str, object] = {k: values[k] for k in ("reference", "source") if k in values}
        if amount is not None:
            fields["amount_pence"] = amount
        body = validated(ContributionCreate, fields)
        guard = IdempotencyGuard(
            session=page.session,
            user_id=actor.user.id,
            endpoint=resource_scope(request, principal_id=actor.principal.id),
            key=values.get("idempotency_key") or new_idempotency_key(),
            fingerprint=request_fingerprint(
                json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
            ),
            now=page.now,
            retention=timedelta(hours=page.settings.idempotency_retention_hours),
        )
        try:
            await guard.claim()
        except IdempotentReplay:
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
