"""Bank statements: imported, matched to the ledger, and reconciled (co-op administrators)."""

import uuid
from typing import Annotated, Any

from fastapi import Query, Response

from app.auth.dependencies import CurrentActor
from app.auth.errors import OutsideMandate
from app.bank import decisions, reconciliation
from app.bank import service as bank
from app.bank.dependencies import EXPECTED, StatementBody
from app.bank.errors import (
    AlreadyMatched,
    BankLineNotFound,
    LedgerTransactionNotFound,
    LineIgnored,
    MatchMismatch,
    NotMoneyIn,
)
from app.bank.models import BankLine, LineState
from app.bank.schemas import (
    BankLineRead,
    ContributionFromLine,
    IgnoreCreate,
    ImportRead,
    MatchCreate,
    ReconciliationRead,
)
from app.coops.dependencies import CoopAdmin
from app.coops.errors import CoopAdminRequired, CoopNotFound, MemberNotFound
from app.core.clock import local_date
from app.core.deps import NowDep, SessionDep
from app.core.errors import BodyTooLarge, UnsupportedMediaType, problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.core.schemas import Day
from app.direct_payments.errors import ExceedsDirectPayment, NoDirectPayment, NotAHolder
from app.idempotency.dependencies import IdempotencyOptional
from app.idempotency.errors import IdempotencyInProgress, IdempotencyKeyReused
from app.ledger import service as ledger
from app.ledger.errors import MemberNotActive
from app.ledger.schemas import LedgerTransactionRead

router = Router(prefix="/coops/{coop_id}/bank", tags=["bank statements"])
ADMIN = (CoopNotFound, CoopAdminRequired, OutsideMandate)
LINE = (*ADMIN, BankLineNotFound)
STATEMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"The statement as {EXPECTED}.",
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "date,description,amount,reference,balance\n"
                "2026-03-03,Taliad gan Gwenllïan,250.00,DPC-0042,1250.00\n"
                "2026-03-05,Ad-daliad Llŷn,-40.50,,1209.50\n",
            },
            "application/x-ofx": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/statements",
    response_model=ImportRead,
    responses=problems(*ADMIN, UnsupportedMediaType, BodyTooLarge),
    openapi_extra=STATEMENT_BODY,
)
async def import_statement(
    file: StatementBody, session: SessionDep, admin: CoopAdmin, actor: CurrentActor, now: NowDep
) -> ImportRead:
    """Import a bank statement (co-op administrators): CSV (`text/csv`, UTF-8) with the
    columns `date` (YYYY-MM-DD), `description`, the signed amount (money in +, out -) as
    `amount` in pounds with two decimals or `amount_pence` in whole pence, never both, and
    optionally `reference` and `balance` (the running balance, in the amount's units); or an
    OFX file (`application/x-ofx`, OFX 1.x SGML or 2.x XML, in GBP). Files up to
    DPC_MAX_IMPORT_BYTES (16 MiB by default; larger: 413 `body_too_large`).

    A line already imported is a duplicate: by the bank's own id (OFX `FITID`), else by date,
    amount, description and running balance, counted only as many times as an identical line
    already exists (a file with two identical lines keeps both). New lines are matched where
    exactly one transaction fits and it fits no other open line: a contribution of the same
    amount whose reference the line's description or reference contains, or a refund or
    payment of the same amount whose day is within 5 days of the line's. A malformed file
    answers 422 `validation_error` with `loc: ["body", <line>, <field>]` for each fault and
    imports nothing. Answers 200 `{imported, duplicates, matched}`; importing the same file
    again changes nothing."""
    return await bank.import_statement(
        session,
        actor,
        coop_id=admin.coop_id,
        format_=file.format,
        body=file.body,
        now=now,
    )


@router.get(
    "/lines",
    response_model=CursorPage[BankLineRead],
    responses=problems(*ADMIN),
)
async def list_lines(
    session: SessionDep,
    admin: CoopAdmin,
    page: PageDep,
    state: Annotated[LineState | None, Query(description="Only lines in this state.")] = None,
) -> CursorPage[BankLineRead]:
    """The co-op's bank statement lines, latest bank date first (co-op administrators):
    `unmatched` (neither matched nor ignored), `matched` (with the transaction and how), or
    `ignored` (with why)."""
    rows, next_cursor = await paginate(
        session,
        decisions.lines_of(admin.coop_id, state=state),
        page,
        order=[Sort(BankLine.booked_on, descending=True), Sort(BankLine.id, descending=True)],
        key=lambda row: (row[0].booked_on, row[0].id),
        scalars=False,
    )
    return CursorPage[BankLineRead](
        items=[decisions.read(line, decision) for line, decision in rows],
        next_cursor=next_cursor,
    )


@router.post(
    "/lines/{line_id}/match",
    response_model=BankLineRead,
    responses=problems(
        *LINE, LedgerTransactionNotFound, MatchMismatch, AlreadyMatched, LineIgnored
    ),
)
async def match_line(
    line_id: uuid.UUID,
    body: MatchCreate,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> BankLineRead:
    """Match a line to a transaction of the co-op's ledger by hand (co-op administrators).
    The transaction must have moved the line's amount the same way through the bank (money
    in for a contribution, out for a refund or payment), else 422 `match_mismatch`; a line
    or a transaction already matched: 409 `already_matched`; an ignored line: 409
    `line_ignored`; a transaction of no such id in this co-op: 404."""
    return await decisions.match(
        session,
        actor,
        coop_id=admin.coop_id,
        line_id=line_id,
        transaction_id=body.transaction_id,
        now=now,
    )


@router.post(
    "/lines/{line_id}/create-contribution",
    status_code=201,
    response_model=LedgerTransactionRead,
    responses={
        **problems(
            *LINE,
            MemberNotFound,
            NotMoneyIn,
            AlreadyMatched,
            LineIgnored,
            MemberNotActive,
            NotAHolder,
            NoDirectPayment,
            ExceedsDirectPayment,
            IdempotencyKeyReused,
            IdempotencyInProgress,
        ),
        200: {
            "description": "The contribution posted from this line before: the same "
            "transaction, nothing posted again.",
            "model": LedgerTransactionRead,
        },
    },
)
async def create_contribution(
    line_id: uuid.UUID,
    body: ContributionFromLine,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Post the contribution a line shows (co-op administrators): the line's amount paid
    into `member_id`'s account (`external:deposits -> member:<id>`), with the line's reference
    (else its description) as the memo, through the same rules as `POST .../pool/contributions`
    (an active holder; Direct Payment money within the award's four-week cap), and the line
    matched to it. Only money in, up to 10,000,000 pence, can be a contribution (else 422
    `match_mismatch`). Idempotent by the line: asked again, even at the same moment, it
    answers 200 with the transaction already posted and posts nothing; a line matched to
    something else: 409 `already_matched`. `Idempotency-Key` is honoured."""
    posted = await decisions.create_contribution(
        session,
        actor,
        admin,
        line_id=line_id,
        member_id=body.member_id,
        source=body.source,
        now=now,
    )
    answer = await ledger.as_posted(session, posted.transaction)
    return await guard.respond(answer, 201 if posted.created else 200)


@router.post(
    "/lines/{line_id}/ignore",
    response_model=BankLineRead,
    responses=problems(*LINE, AlreadyMatched, LineIgnored),
)
async def ignore_line(
    line_id: uuid.UUID,
    body: IgnoreCreate,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> BankLineRead:
    """Set a line aside as nothing to match, saying why (co-op administrators): bank charges,
    interest, money that is not the pool's. It then counts in neither unmatched figure of the
    reconciliation. Once only: a matched line 409 `already_matched`, an ignored one 409
    `line_ignored`."""
    return await decisions.ignore(
        session, actor, coop_id=admin.coop_id, line_id=line_id, reason=body.reason, now=now
    )


@router.get(
    "/reconciliation",
    response_model=ReconciliationRead,
    responses=problems(*ADMIN),
)
async def get_reconciliation(
    session: SessionDep,
    admin: CoopAdmin,
    now: NowDep,
    at: Annotated[
        Day | None, Query(description="The day whose end is reconciled (default: today).")
    ] = None,
) -> ReconciliationRead:
    """The bank against the ledger at the end of the day `at` (a day in Wales; co-op
    administrators). `bank_balance_pence` is the `balance` of the last line on or before
    `at` (by date, then import, then the order within its file), else the sum of the lines on
    or before `at`; `ledger_bank_pence` is the pool's `balance_pence` then; `unmatched_in_pence`
    and `unmatched_out_pence` sum the money in and out (both >= 0) of the lines on or before
    `at` that are, now, neither matched nor ignored; `difference_pence = bank_balance_pence -
    ledger_bank_pence - unmatched_in_pence + unmatched_out_pence`."""
    return await reconciliation.reconcile(session, coop_id=admin.coop_id, on=at or local_date(now))
