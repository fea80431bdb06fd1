"""Invoices under the co-op's contracts: a member checks the lines charged to them and
disputes one; an administrator approves an invoice, charging each member their lines."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.coops.errors import CoopAdminRequired
from app.core.errors import AppError
from app.core.routing import Router
from app.tenders.contracts import service as contracts
from app.tenders.dependencies import seen_invoice
from app.tenders.errors import NotTheLinesMember
from app.tenders.invoices import disputes
from app.tenders.invoices import service as invoices
from app.tenders.invoices.schemas import DisputeCreate, InvoiceRead
from app.tenders.models import InvoiceStatus
from app.web.forms import read_form, refuse, validated
from app.web.membership import member_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


@router.get("/coops/{coop_id}/invoices")
async def list_invoices(coop_id: uuid.UUID, page: SignedInPage) -> Response:
    """The invoices under the co-op's contracts that the person may see: a member, those
    charging them (their own lines only); an administrator, all of them, those waiting first."""
    coop, member = await member_of(page, coop_id)
    found: list[InvoiceRead] = []
    for contract in (
        await page.session.scalars(contracts.contracts_of(coop.id, status=None))
    ).all():
        viewer = await contracts.viewer(page.session, page.me, contract)
        mine = None if viewer.sees_everyone else member.id
        stmt = invoices.invoices_of(contract.id, member_id=mine).limit(SHOWN)
        found += [
            invoices.read(i, contract, viewer) for i in (await page.session.scalars(stmt)).all()
        ]
    found.sort(key=lambda i: (i.status != InvoiceStatus.submitted, i.period_start), reverse=False)
    return page.render(
        "coop/invoices.html",
        coop=coop,
        membership=member,
        current="invoices",
        invoices=found,
    )


async def show_invoice(page: Page, form: FormState) -> Response:
    invoice_id = uuid.UUID(page.request.path_params["invoice_id"])
    seen = await seen_invoice(invoice_id, page.session, page.me)
    coop, member = await member_of(page, seen.contract.coop_id)
    return page.render(
        "coop/invoice.html",
        coop=coop,
        membership=member,
        current="invoices",
        form=form,
        invoice=invoices.read(seen.invoice, seen.contract, seen.viewer),
        is_admin=seen.viewer.is_admin,
        done=page.request.query_params.get("done"),
    )


@router.get("/invoices/{invoice_id}")
async def invoice(invoice_id: uuid.UUID, page: SignedInPage) -> Response:
    del invoice_id
    return await show_invoice(page, EMPTY_FORM)


@router.post("/invoices/{invoice_id}/lines/{line_id}/dispute")
async def dispute(
    invoice_id: uuid.UUID, line_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Dispute a line charged to the member, before the invoice is approved."""
    values = await read_form(request)
    seen = await seen_invoice(invoice_id, page.session, page.me)
    line = invoices.visible_line(seen.invoice, line_id, seen.viewer)
    try:
        if seen.viewer.member is None or line.member_id != seen.viewer.member.id:
            raise NotTheLinesMember
        body = validated(DisputeCreate, {k: v for k, v in values.items() if k == "reason"})
        await disputes.dispute(
            page.session,
            page.me,
            seen.invoice,
            line_id,
            seen.contract.coop_id,
            reason=body.reason,
            now=page.now,
        )
    except AppError as error:
        raise refuse(
            page.language,
            error,
            {**values, "line_id": str(line_id)},
            show_invoice,
            fields={"invalid_transition": "reason", "not_the_lines_member": "reason"},
        ) from error
    return page.redirect(f"/invoices/{invoice_id}?done=disputed")


@router.post("/invoices/{invoice_id}/approve")
async def approve(invoice_id: uuid.UUID, page: SignedInPage) -> Response:
    """Approve (co-op administrators): every line not voided is charged to its member in
    one ledger transaction, or nothing is (each member short is named)."""
    seen = await seen_invoice(invoice_id, page.session, page.me)
    if not seen.viewer.is_admin:
        raise CoopAdminRequired
    try:
        await invoices.approve(page.session, page.me, seen.invoice, seen.contract, now=page.now)
    except AppError as error:
        raise refuse(page.language, error, {}, show_invoice) from error
    return page.redirect(f"/invoices/{invoice_id}?done=approved")
