"""A co-op administrator charging a month of a shared service to the members subscribed in
that month (`POST /api/v1/coops/{id}/support/services/{sid}/charges`): the same split, the same
refusals, and a key of its own on each showing of the form, so that a form sent twice charges
once."""

import dataclasses
import json
import uuid
from datetime import timedelta

from fastapi import Request
from fastapi.responses import Response

from app.core.clock import local_date
from app.core.errors import AppError
from app.core.pagination import PageRequest, Sort, paginate
from app.core.replay import IdempotentReplay
from app.core.routing import Router
from app.idempotency.service import IdempotencyGuard, request_fingerprint, resource_scope
from app.support import charges, shared_services
from app.support.models import SupportService
from app.support.schemas import ChargeCreate
from app.web.forms import (
    Refused,
    new_idempotency_key,
    pounds_to_pence,
    read_form,
    refuse,
    validated,
)
from app.web.membership import admin_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.rendering import money
from app.web.route import PageRoute
from app.web.texts import text

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


async def show_services(page: Page, form: FormState) -> Response:
    coop, admin = await admin_of(page, uuid.UUID(page.request.path_params["coop_id"]))
    items, next_cursor = await paginate(
        page.session,
        shared_services.services_of(coop.id),
        PageRequest(limit=SHOWN, cursor=page.request.query_params.get("cursor")),
        order=[Sort(SupportService.created_at), Sort(SupportService.id)],
        key=lambda s: (s.created_at, s.id),
    )
    return page.render(
        "coop/shared_charges.html",
        coop=coop,
        membership=admin,
        current="shared_charges",
        form=form,
        services=await shared_services.describe(page.session, items, viewer=admin),
        this_month=local_date(page.now).strftime("%Y-%m"),
        idempotency_key=new_idempotency_key(),
        next_cursor=next_cursor,
        done=page.request.query_params.get("done"),
    )


@router.get("/coops/{coop_id}/admin/shared-services")
async def services(coop_id: uuid.UUID, page: SignedInPage) -> Response:
    """The co-op's shared services, each with how many members subscribe today and the form
    to charge a month of it."""
    del coop_id
    return await show_services(page, EMPTY_FORM)


def short_members(page: Page, error: AppError) -> tuple[tuple[str | None, str], ...]:
    """The members a charge would overdraw, named (the API names them to administrators)."""
    return tuple(
        (
            None,
            text(
                "charges.short_by",
                page.language,
                name=found.get("holder_name") or found["member_id"],
                amount=money(int(found["short_by_pence"])),
            ),
        )
        for found in error.extra.get("members", [])
    )


@router.post("/coops/{coop_id}/admin/shared-services/{service_id}/charge")
async def charge(
    coop_id: uuid.UUID, service_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Charge a month of the service, split exactly among that month's subscribers and posted
    in one transaction, or nothing at all (each member short is named)."""
    values = await read_form(request)
    coop, _ = await admin_of(page, coop_id)
    service = await shared_services.get_service(
        page.session, coop_id=coop.id, service_id=service_id
    )
    done = f"/coops/{coop.id}/admin/shared-services?done=charged"
    try:
        fields: dict[str, object] = {k: values[k] for k in ("period",) if k in values}
        amount = pounds_to_pence(values.get("amount"), "amount")
        if amount is not None:
            fields["amount_pence"] = amount
        body = validated(ChargeCreate, fields)
        guard = IdempotencyGuard(
            session=page.session,
            user_id=page.user.id,
            endpoint=resource_scope(request, principal_id=page.user.id),
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
        transaction = await charges.charge(
            page.session,
            page.me,
            service,
            period=body.period,
            amount_pence=body.amount_pence,
            now=page.now,
        )
        await guard.respond({"transaction_id": str(transaction.id)}, 201)
    except AppError as error:
        for item in error.extra.get("errors", []) if error.code == "validation_error" else []:
            item["loc"] = ["amount" if p == "amount_pence" else p for p in item["loc"]]
        refused = refuse(
            page.language,
            error,
            {**values, "service_id": str(service.id)},
            show_services,
            fields={"already_charged": "period", "no_subscribers": "period"},
        )
        state = refused.state
        if error.code == "insufficient_member_funds":
            state = dataclasses.replace(state, summary=state.summary + short_members(page, error))
        raise Refused(show_services, state, refused.status) from error
    return page.redirect(done)
