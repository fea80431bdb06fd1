"""The pooled budget: the pool's totals, contributions, the ledger and member statements."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response

from app.auth.dependencies import ContributeActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.dependencies import CoopAdmin, CurrentMembership
from app.coops.errors import CoopAdminRequired, CoopNotFound, MemberNotFound
from app.core.clock import local_date
from app.core.csv_answer import (
    FormatQuery,
    csv_alternative,
    json_or_csv,
    json_or_csv_read,
)
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.core.schemas import Day
from app.direct_payments.errors import ExceedsDirectPayment, NoDirectPayment, NotAHolder
from app.idempotency.dependencies import IdempotencyRequired
from app.idempotency.errors import (
    IdempotencyInProgress,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
)
from app.ledger import books, contributions, repository, statements
from app.ledger import service as ledger
from app.ledger.errors import MemberNotActive, NotYourAccount
from app.ledger.models import AccountKind, LedgerTransaction
from app.ledger.schemas import (
    BalancesRead,
    ContributionCreate,
    LedgerTransactionRead,
    PoolRead,
    StatementRead,
)
from app.workflows import statements as member_statements

router = Router(prefix="/coops/{coop_id}", tags=["pooled budget"])
READ_PROBLEMS = (CoopNotFound, OutsideMandate, NoMandate)


@router.get("/pool", response_model=PoolRead, responses=problems(*READ_PROBLEMS))
async def get_pool(session: SessionDep, member: CurrentMembership, actor: ViewActor) -> PoolRead:
    """The co-op's pooled budget (members; a representative with `view`): what members hold,
    the shared fund, and what is owed to providers. `balance_pence` is their sum."""
    del actor
    totals = await ledger.totals_by_kind(session, coop_id=member.coop_id)
    members = totals[AccountKind.member]
    shared = totals[AccountKind.shared]
    payable = totals[AccountKind.provider]
    return PoolRead(
        balance_pence=members + shared + payable,
        members_pence=members,
        shared_pence=shared,
        provider_payable_pence=payable,
    )


@router.post(
    "/pool/contributions",
    status_code=201,
    response_model=LedgerTransactionRead,
    responses=problems(
        *READ_PROBLEMS,
        MemberNotFound,
        NotYourAccount,
        MemberNotActive,
        NotAHolder,
        NoDirectPayment,
        ExceedsDirectPayment,
        IdempotencyKeyRequired,
        IdempotencyKeyReused,
        IdempotencyInProgress,
    ),
)
async def create_contribution(
    body: ContributionCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: ContributeActor,
    guard: IdempotencyRequired,
    now: NowDep,
) -> Response:
    """Pay money into the pool (`external:deposits -> member:<id>`). A holder pays into their
    own account; a representative with `contribute` into the holder's, within the mandate's
    per-cycle limit; an administrator records a bank transfer for `member_id`.

    The money goes into a `service_user` membership (else 422 `not_a_holder`). Direct
    Payment money (`source: direct_payment`, the default) needs an award version in force
    today (422 `no_direct_payment`), at most four weeks of it per four-week cycle, counted
    from the version's `start_date`, across all co-ops (422 `exceeds_direct_payment`). A
    `top_up` or `client_contribution` is the holder's own money: it needs no award, is not
    capped, and is shown apart on statements and returns (it does not count in the councils'
    figures). `Idempotency-Key` is required. The answer is the ledger transaction."""
    target = member
    if body.member_id is not None:
        target = await repository.visible_member(session, actor, member, body.member_id)
    transaction = await contributions.contribute(
        session,
        actor,
        member,
        target,
        amount_pence=body.amount_pence,
        reference=body.reference,
        now=now,
        source=body.source,
    )
    return await guard.respond(await repository.as_posted(session, transaction), 201)


LEDGER_CSV = csv_alternative(
    "The transactions; with `?format=csv` or `Accept: text/csv`, as CSV (UTF-8 with a "
    "byte-order mark, every cell quoted, a header row, one row per posting as you may see it, "
    "oldest first, never paged).",
    example='"date","created_at","transaction_id","kind","source","account","amount_pence",'
    '"memo"\r\n',
)


@router.get(
    "/ledger",
    response_model=CursorPage[LedgerTransactionRead],
    responses={**problems(*READ_PROBLEMS, MemberNotFound, NotYourAccount), 200: LEDGER_CSV},
)
async def list_ledger(
    request: Request,
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    member_id: Annotated[
        uuid.UUID | None,
        Query(
            description="Only transactions touching this member's account (yours, unless "
            "you are an administrator)."
        ),
    ] = None,
    from_date: Annotated[
        Day | None, Query(alias="from", description="Only transactions from this day on.")
    ] = None,
    to_date: Annotated[
        Day | None, Query(alias="to", description="Only transactions up to this day (whole).")
    ] = None,
    kind: Annotated[books.LedgerKind | None, Query(description="Only this kind.")] = None,
    format_: FormatQuery = None,
) -> CursorPage[LedgerTransactionRead] | Response:
    """The co-op's ledger, newest first, optionally of the days `from` to `to` inclusive (days
    in Wales) and of one `kind` (`from` after `to`: 422). Administrators see every posting.
    Other members see shared and provider postings and their own; other members' postings
    reach them summed into one posting on the account `members`, and a transaction that is
    other members' alone comes without its memo or the people behind it (a person's care
    spending is theirs). As CSV (`?format=csv` or `Accept: text/csv`) it is every matching
    transaction, oldest first, one row per posting, with no paging."""
    who = repository.viewer(actor, member)
    code = None
    if member_id is not None:
        target = await repository.visible_member(session, actor, member, member_id)
        code = ledger.member_account(target.id)
    first, last = books.days(from_date, to_date)
    stmt = repository.transactions_of(
        member.coop_id,
        account_code=code,
        between=books.instants(first, last),
        kinds=books.stored_kinds(kind),
    )

    async def every_row() -> str:
        every = list((await session.scalars(stmt.order_by(LedgerTransaction.seq))).all())
        postings = await repository.postings_of(session, [t.id for t in every])
        return books.to_csv([repository.as_seen_by(who, t, postings[t.id]) for t in every])

    async def one_page() -> CursorPage[LedgerTransactionRead]:
        items, next_cursor = await paginate(
            session,
            stmt,
            page,
            order=[Sort(LedgerTransaction.seq, descending=True)],
            key=lambda t: (t.seq,),
        )
        postings = await repository.postings_of(session, [t.id for t in items])
        return CursorPage[LedgerTransactionRead](
            items=[repository.as_seen_by(who, t, postings[t.id]) for t in items],
            next_cursor=next_cursor,
        )

    return await json_or_csv_read(
        request,
        format_,
        answer=one_page,
        csv=every_row,
        filename=f"ledger-{member.coop_id}-{first or 'start'}-{last or 'now'}.csv",
    )


@router.get(
    "/balances",
    response_model=BalancesRead,
    responses=problems(CoopNotFound, CoopAdminRequired, OutsideMandate),
)
async def get_balances(
    session: SessionDep,
    admin: CoopAdmin,
    now: NowDep,
    at: Annotated[
        Day | None,
        Query(description="The day whose end the balances are taken at (default: today)."),
    ] = None,
) -> BalancesRead:
    """Every account's balance at the end of the day `at` (a day in Wales), for the
    treasurer's month end (co-op administrators): each member's account with the member's
    name, the shared fund, each provider's, and the two external accounts, zeros included, not
    paged. `total_pence` is 0, as every transaction sums to zero."""
    return await books.balances_at(session, coop_id=admin.coop_id, on=at or local_date(now))


CSV_RESPONSE = csv_alternative(
    "The statement; with `?format=csv` or `Accept: text/csv`, as CSV (UTF-8 "
    "with a byte-order mark, every cell quoted, a header row, an opening line, one movement "
    "per row with the running balance and, for a contribution, its source, for a payment for "
    "care its invoice and provider, the bank line it was matched to, a closing line).",
    example='"date","transaction_id","kind","amount_pence","balance_pence","memo","source",'
    '"invoice_id","provider_name","bank_line_id"\r\n'
    '"2026-03-01","","opening_balance","","0","Opening balance","","","",""\r\n',
)


@router.get(
    "/members/{member_id}/statement",
    response_model=StatementRead,
    responses={
        **problems(*READ_PROBLEMS, MemberNotFound, NotYourAccount),
        200: CSV_RESPONSE,
    },
)
async def get_statement(
    member_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    now: NowDep,
    from_date: Annotated[
        Day | None, Query(alias="from", description="First day (default: account opened).")
    ] = None,
    to_date: Annotated[
        Day | None, Query(alias="to", description="Last day (default: today).")
    ] = None,
    format_: FormatQuery = None,
) -> StatementRead | Response:
    """A member's statement for the days `from` to `to` inclusive (days in Wales): the member, their
    representative with `view`, or an administrator. `weeks_of_budget_held` is the closing
    balance over the weekly Direct Payment of the latest award version in force during the
    period (1 place, half up) and `surplus` is true above the paying council's `surplus_weeks`
    (its monitoring profile, 8 unless set), both null without one: councils may claw back an
    unspent surplus. Each contribution shows its `source`, so Direct Payment money and the
    holder's own top-ups and client contributions are told apart; each payment for care
    names the `invoice_id` it paid and the `provider_name` as contracted; each movement
    matched to a line of the co-op's bank statements names it (`bank_line_id`)."""
    target = await repository.visible_member(session, actor, member, member_id)
    read = await member_statements.member_statement(
        session, target, from_date=from_date, to_date=to_date, now=now
    )
    filename = f"statement-{target.id}-{read.from_date}-{read.to_date}.csv"
    return json_or_csv(request, format_, read, to_csv=statements.to_csv, filename=filename)


# The sub-resources' routes, under this router's prefix and tags.
from app.ledger.refunds_router import router as refunds_router  # noqa: E402

router.include_router(refunds_router)
