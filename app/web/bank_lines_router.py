"""A co-op's bank lines (administrators): what each was found to be, the transactions that
fit it, and deciding it: matched to a transaction, posted as a contribution, or ignored.
Each decision goes through the same service as `POST .../bank/lines/{id}/...` in the API."""

import uuid
from collections.abc import Iterable, Mapping
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import Response

from app.bank import decisions
from app.bank import service as bank
from app.bank.matching import WITHIN_DAYS, OpenLine, fits, words_of
from app.bank.models import BankLine, LineState
from app.bank.schemas import BankLineRead, ContributionFromLine, IgnoreCreate, MatchCreate
from app.coops import service as coops
from app.coops.models import Member, MemberClass, MemberStatus
from app.core.clock import day_range, local_date
from app.core.errors import AppError
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.ledger import movements
from app.ledger.models import ContributionSource
from app.ledger.movements import Movement
from app.web.bank_router import month_asked
from app.web.forms import read_form, refuse, state_of, validated
from app.web.membership import admin_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage, local_path
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50
# A transaction offered for matching by hand was recorded within this many days of the line.
HAND_DAYS = 90
HOLDERS_SHOWN = 500


async def unmatched_movements(
    page: Page, coop_id: uuid.UUID, lines: Iterable[BankLineRead], *, days: int
) -> list[Movement]:
    """The co-op's transactions not matched to any line that moved money through the bank:
    every contribution, and the others made within `days` days of any of `lines`."""
    dates = [line.booked_on for line in lines]
    if not dates:
        return []
    return await movements.bank_movements(
        page.session,
        coop_id=coop_id,
        outgoing_between=day_range(
            min(dates) - timedelta(days=days), max(dates) + timedelta(days=days)
        ),
        excluding=bank.matched_transactions(coop_id),
    )


def suggested(line: BankLineRead, found: Iterable[Movement]) -> list[Movement]:
    """The transactions that fit the line by the import's own rule (`app.bank.matching`):
    the import matched none because more than one fits, or it came before them."""
    open_line = OpenLine(
        line.id, line.booked_on, line.amount_pence, words_of(line.description, line.reference)
    )
    return [m for m in found if fits(open_line, m)]


def same_amount(
    line: BankLineRead, found: Iterable[Movement], *, but: set[uuid.UUID]
) -> list[Movement]:
    """What may be matched by hand: the line's amount moved the same way (the API's rule),
    recorded within `HAND_DAYS` of the line's day, nearest first."""
    near = [
        m
        for m in found
        if m.amount_pence == line.amount_pence
        and abs((m.day - line.booked_on).days) <= HAND_DAYS
        and m.transaction_id not in but
    ]
    return sorted(near, key=lambda m: (abs((m.day - line.booked_on).days), m.day))


def with_done(path: str, done: str) -> str:
    """A page of this site (`path`, checked) with `done` set in its query."""
    parts = urlsplit(local_path(path))
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "done"] + [("done", done)]
    return f"{parts.path}?{urlencode(query)}"


@router.get("/coops/{coop_id}/bank/lines")
async def list_lines(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """The co-op's bank lines, latest bank date first (as `GET .../bank/lines`), by state and
    month, each unmatched one with the transactions that fit it to confirm."""
    coop, admin = await admin_of(page, coop_id)
    query = request.query_params
    state = next((s for s in LineState if s.value == query.get("state")), None)
    form = EMPTY_FORM
    stmt = decisions.lines_of(coop.id, state=state)
    month = None
    if query.get("month"):
        try:
            month = month_asked(query.get("month"), local_date(page.now))
            stmt = stmt.where(BankLine.booked_on >= month.first, BankLine.booked_on <= month.last)
        except AppError as error:
            form = state_of(error, page.language, dict(query))
    rows, next_cursor = await paginate(
        page.session,
        stmt,
        PageRequest(limit=SHOWN, cursor=query.get("cursor")),
        order=[Sort(BankLine.booked_on, descending=True), Sort(BankLine.id, descending=True)],
        key=lambda row: (row[0].booked_on, row[0].id),
        scalars=False,
    )
    lines = [decisions.read(line, decision) for line, decision in rows]
    waiting = [line for line in lines if line.state is LineState.unmatched]
    found = await unmatched_movements(page, coop.id, waiting, days=WITHIN_DAYS)
    filters = {}
    if state is not None:
        filters["state"] = state.value
    if month is not None:
        filters["month"] = month.value
    return page.render(
        "coop/bank_lines.html",
        coop=coop,
        membership=admin,
        current="bank_lines",
        form=form,
        lines=lines,
        suggestions={line.id: suggested(line, found) for line in waiting},
        state=state,
        states=list(LineState),
        month_value=month.value if month else "",
        next_query=urlencode({**filters, "cursor": next_cursor}) if next_cursor else None,
        done=query.get("done"),
    )


async def holders_of(page: Page, coop_id: uuid.UUID) -> list[Member]:
    """The co-op's active holders, whose money a line paid in may be."""
    stmt = (
        coops.members_with_status(coop_id, statuses=[MemberStatus.active])
        .where(Member.member_class == MemberClass.service_user)
        .order_by(Member.approved_at, Member.id)
        .limit(HOLDERS_SHOWN)
    )
    members: list[Member] = list((await page.session.scalars(stmt)).all())
    return sorted(members, key=lambda m: m.user.full_name.casefold())


async def show_line(page: Page, form: FormState) -> Response:
    coop_id = uuid.UUID(page.request.path_params["coop_id"])
    line_id = uuid.UUID(page.request.path_params["line_id"])
    coop, admin = await admin_of(page, coop_id)
    line = decisions.read(*await decisions.get_line(page.session, coop.id, line_id))
    matched = None
    if line.transaction_id is not None:
        matched = await movements.movement_of(
            page.session, coop_id=coop.id, transaction_id=line.transaction_id
        )
    fitting: list[Movement] = []
    by_hand: list[Movement] = []
    if line.state is LineState.unmatched:
        found = await unmatched_movements(page, coop.id, [line], days=HAND_DAYS)
        fitting = suggested(line, found)
        by_hand = same_amount(line, found, but={m.transaction_id for m in fitting})
    return page.render(
        "coop/bank_line.html",
        coop=coop,
        membership=admin,
        current="bank_lines",
        form=form,
        line=line,
        matched=matched,
        suggestions=fitting,
        by_hand=by_hand,
        hand_days=HAND_DAYS,
        holders=await holders_of(page, coop.id) if line.amount_pence > 0 else [],
        sources=list(ContributionSource),
        done=page.request.query_params.get("done"),
    )


@router.get("/coops/{coop_id}/bank/lines/{line_id}")
async def bank_line(coop_id: uuid.UUID, line_id: uuid.UUID, page: SignedInPage) -> Response:
    """One line: what it was found to be, or the ways to decide it. Another co-op's line does
    not exist here (404)."""
    del coop_id, line_id
    return await show_line(page, EMPTY_FORM)


def _only(values: Mapping[str, str], *names: str) -> dict[str, object]:
    return {name: values[name] for name in names if name in values}


async def _line_of_admin(page: Page, coop_id: uuid.UUID, line_id: uuid.UUID) -> Member:
    """The administrator, once the line is known to be their co-op's (404 otherwise, before
    any form is read as refused)."""
    coop, admin = await admin_of(page, coop_id)
    await decisions.get_line(page.session, coop.id, line_id)
    return admin


@router.post("/coops/{coop_id}/bank/lines/{line_id}/match")
async def match_line(
    coop_id: uuid.UUID, line_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Match the line to a transaction (`POST .../match`): one the page suggested, or one of
    the same amount chosen by hand."""
    values = await read_form(request)
    admin = await _line_of_admin(page, coop_id, line_id)
    try:
        body = validated(MatchCreate, _only(values, "transaction_id"))
        await decisions.match(
            page.session,
            page.me,
            coop_id=admin.coop_id,
            line_id=line_id,
            transaction_id=body.transaction_id,
            now=page.now,
        )
    except AppError as error:
        raise refuse(
            page.language,
            error,
            values,
            show_line,
            fields={"match_mismatch": "transaction_id", "not_found": "transaction_id"},
        ) from error
    back = values.get("back", f"/coops/{admin.coop_id}/bank/lines/{line_id}")
    return page.redirect(with_done(back, "matched"))


@router.post("/coops/{coop_id}/bank/lines/{line_id}/create-contribution")
async def contribution_from_line(
    coop_id: uuid.UUID, line_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Post the contribution the line shows for a holder (`POST .../create-contribution`).
    Idempotent by the line, as in the API: the form sent twice posts once."""
    values = await read_form(request)
    admin = await _line_of_admin(page, coop_id, line_id)
    try:
        body = validated(ContributionFromLine, _only(values, "member_id", "source"))
        await decisions.create_contribution(
            page.session,
            page.me,
            admin,
            line_id=line_id,
            member_id=body.member_id,
            source=body.source,
            now=page.now,
        )
    except AppError as error:
        raise refuse(
            page.language,
            error,
            values,
            show_line,
            fields={
                "not_found": "member_id",
                "not_a_holder": "member_id",
                "member_not_active": "member_id",
                "no_direct_payment": "source",
                "exceeds_direct_payment": "source",
            },
        ) from error
    return page.redirect(f"/coops/{admin.coop_id}/bank/lines/{line_id}?done=contributed")


@router.post("/coops/{coop_id}/bank/lines/{line_id}/ignore")
async def ignore_line(
    coop_id: uuid.UUID, line_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Set the line aside as nothing to match, saying why (`POST .../ignore`)."""
    values = await read_form(request)
    admin = await _line_of_admin(page, coop_id, line_id)
    try:
        body = validated(IgnoreCreate, _only(values, "reason"))
        await decisions.ignore(
            page.session,
            page.me,
            coop_id=admin.coop_id,
            line_id=line_id,
            reason=body.reason,
            now=page.now,
        )
    except AppError as error:
        raise refuse(page.language, error, values, show_line) from error
    return page.redirect(f"/coops/{admin.coop_id}/bank/lines/{line_id}?done=ignored")
