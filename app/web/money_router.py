"""A member's money in their co-op: the balance and statement (and its CSV), and paying in."""

import uuid
from datetime import date

from fastapi import Request
from fastapi.responses import Response

from app.core.csv_answer import json_or_csv
from app.core.errors import AppError, InternalInconsistency, ValidationFailed
from app.core.field_errors import field_error
from app.core.routing import Router
from app.ledger import contributions, statements
from app.ledger import service as ledger
from app.ledger.models import AccountKind, ContributionSource
from app.ledger.schemas import ContributionCreate
from app.web.forms import (
    in_pounds,
    new_idempotency_key,
    pounds_to_pence,
    read_form,
    refuse,
    state_of,
    validated,
)
from app.web.membership import member_of
from app.web.once import claim_form
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute
from app.web.texts import text

router = Router(route_class=PageRoute, include_in_schema=False)


def must_be_response(answer: object) -> Response:
    """What `json_or_csv` answers when CSV is asked for by name."""
    if not isinstance(answer, Response):
        raise InternalInconsistency("a CSV was asked for")
    return answer


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            [
                field_error(
                    ["query", field],
                    text("error.day", "en"),
                    msg_cy=text("error.day", "cy"),
                    type="date_parsing",
                )
            ]
        ) from None


@router.get("/coops/{coop_id}/money")
async def money(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """The member's balance and statement for the days chosen (default: since the account
    opened), with the pool's totals and a link to the same statement as CSV."""
    query = request.query_params
    coop, member = await member_of(page, coop_id)
    form = EMPTY_FORM
    try:
        read = await statements.statement(
            page.session,
            member,
            from_date=_day(query.get("from"), "from"),
            to_date=_day(query.get("to"), "to"),
            now=page.now,
        )
    except AppError as error:
        form = state_of(error, page.language, dict(query))
        read = await statements.statement(
            page.session, member, from_date=None, to_date=None, now=page.now
        )
    totals = await ledger.totals_by_kind(page.session, coop_id=coop.id)
    rows = []
    balance = read.opening_balance_pence
    for movement in read.movements:
        balance += movement.amount_pence
        rows.append((movement, balance))
    return page.render(
        "coop/money.html",
        coop=coop,
        membership=member,
        current="money",
        form=form,
        statement=read,
        rows=rows,
        pool_members=totals[AccountKind.member],
        pool_shared=totals[AccountKind.shared],
        csv_query=f"from={read.from_date.isoformat()}&to={read.to_date.isoformat()}",
        done=query.get("done"),
    )


@router.get("/coops/{coop_id}/statement.csv")
async def statement_csv(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """The statement as the API's CSV (`?format=csv`): the same rows, byte for byte."""
    _, member = await member_of(page, coop_id)
    read = await statements.statement(
        page.session,
        member,
        from_date=_day(request.query_params.get("from"), "from"),
        to_date=_day(request.query_params.get("to"), "to"),
        now=page.now,
    )
    filename = f"statement-{read.member_id}-{read.from_date}-{read.to_date}.csv"
    answer = json_or_csv(request, "csv", read, to_csv=statements.to_csv, filename=filename)
    return page.finish(must_be_response(answer))


async def show_pay_in(page: Page, form: FormState) -> Response:
    coop_id = uuid.UUID(page.request.path_params["coop_id"])
    coop, member = await member_of(page, coop_id)
    return page.render(
        "coop/pay_in.html",
        coop=coop,
        membership=member,
        current="pay_in",
        form=form,
        sources=list(ContributionSource),
        idempotency_key=new_idempotency_key(),
    )


@router.get("/coops/{coop_id}/pay-in")
async def pay_in_form(coop_id: uuid.UUID, page: SignedInPage) -> Response:
    del coop_id
    return await show_pay_in(page, EMPTY_FORM)


@router.post("/coops/{coop_id}/pay-in")
async def pay_in(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Pay into the member's own account (`POST .../pool/contributions`: the same cap on
    Direct Payment money, the same checks). The form carries a key of its own, so a second
    submission of the same form moves no more money."""
    values = await read_form(request)
    coop, member = await member_of(page, coop_id)
    try:
        amount = pounds_to_pence(values.get("amount"), "amount")
        fields: dict[str, object] = {k: values[k] for k in ("reference", "source") if k in values}
        if amount is not None:
            fields["amount_pence"] = amount
        body = validated(ContributionCreate, fields)
        guard = await claim_form(page, request, page.me, values, body)
        if guard is None:
            return page.redirect(f"/coops/{coop.id}/money?done=paid")
        transaction = await contributions.contribute(
            page.session,
            page.me,
            member,
            member,
            amount_pence=body.amount_pence,
            reference=body.reference,
            now=page.now,
            source=body.source,
        )
        await guard.respond({"transaction_id": str(transaction.id)}, 201)
    except AppError as error:
        raise refuse(
            page.language,
            in_pounds(error, pence_field="amount_pence", form_field="amount"),
            values,
            show_pay_in,
            fields={
                "exceeds_direct_payment": "amount",
                "no_direct_payment": "source",
                "not_a_holder": "source",
            },
        ) from error
    return page.redirect(f"/coops/{coop.id}/money?done=paid")
