"""Invoices under a contract: submitted by the provider, disputed, approved and paid."""

import uuid
from typing import Annotated

from fastapi import Query, Response

from app.auth.dependencies import AnyActor, CurrentActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.idempotency.dependencies import IdempotencyOptional
from app.idempotency.errors import IdempotencyInProgress, IdempotencyKeyReused
from app.ledger.errors import InsufficientFunds, InsufficientMemberFunds
from app.tenders.dependencies import InvoiceSeen, SeenContract, SeenInvoice
from app.tenders.errors import (
    BeyondCallOff,
    ContractNotFound,
    InvalidInvoiceTransition,
    InvoiceDisputed,
    InvoiceLineNotFound,
    InvoiceNotFound,
    NoCallOff,
    NotProviderStaff,
    NotTheLinesMember,
    PeriodSpansVariation,
    VariationPending,
)
from app.tenders.invoices import disputes, queue
from app.tenders.invoices import service as invoices
from app.tenders.invoices.errors import (
    DisputeWindowOpen,
    NoVisits,
    VisitInvoiced,
    VisitNotConfirmed,
    VisitsRequired,
)
from app.tenders.invoices.schemas import (
    DisputeCreate,
    InvoiceCreate,
    InvoiceRead,
    ResolutionCreate,
)
from app.tenders.models import Invoice, InvoiceStatus
from app.tenders.visits.errors import ConflictOfInterest

router = Router(tags=["contracts"])
SEEN = (InvoiceNotFound, OutsideMandate, NoMandate)
IDEMPOTENCY = (IdempotencyKeyReused, IdempotencyInProgress)


def _admin(seen: InvoiceSeen) -> None:
    if not seen.viewer.is_admin:
        raise CoopAdminRequired


@router.post(
    "/contracts/{contract_id}/invoices",
    status_code=201,
    response_model=InvoiceRead,
    responses=problems(
        ContractNotFound,
        NotProviderStaff,
        NoCallOff,
        BeyondCallOff,
        PeriodSpansVariation,
        VariationPending,
        NoVisits,
        VisitsRequired,
        VisitInvoiced,
        VisitNotConfirmed,
        OutsideMandate,
        NoMandate,
    ),
)
async def submit_invoice(
    body: InvoiceCreate, session: SessionDep, seen: SeenContract, actor: CurrentActor, now: NowDep
) -> InvoiceRead:
    """Invoice care delivered under the contract (the provider's staff), with `lines` typed
    by hand or `from_visits: true` (then no `lines`): one line per member, the minutes of their
    confirmed visits in the period (by the day each began) not yet invoiced, listing their
    `visit_ids` (422 `no_visits` when none is left). A line typed by hand may name
    `visit_ids` too: the member's confirmed visits in the period, whose minutes it then claims
    exactly (`minutes` may be left out). A visit already on a line not voided is 409
    `visit_invoiced`, one not confirmed 409 `visit_not_confirmed` (both naming `visit_ids`):
    a visit is invoiced once. Under the co-op's rule `invoices_from_visits_only`, a line
    naming no visit is 422 `visits_required` (naming the `lines` by position).

    A line's visits are priced each at the rate in force on its day; a line without visits
    costs `(r x minutes + 30) // 60` pence at the rate r in force over the period: the rate at
    signing, or the latest applied variation from on or before `period_start`, and the rate
    may not change within its period (422 `period_spans_variation`, naming the
    `from_dates`): invoice the days either side of a change separately. Care from the first
    day of a rise the members are still voting on waits for the vote (409
    `variation_pending`). An ended contract may still be invoiced for care up to its last day.

    Every line must be for a member with a call-off (422 `no_call_off`) and within it (422
    `beyond_call_off`): a member's allowance
    for the period is `hours_per_week x 60 x days / 7` minutes, `days` counting both ends,
    and every line not voided on the contract's invoices for overlapping periods counts
    against it. Both problems name the `members` concerned. The period may not start before
    the contract's `start_date` nor end after today (422 `validation_error`). The invoice
    names the provider as the contract does (`provider_name`, as when signed)."""
    if not seen.viewer.is_staff:
        raise NotProviderStaff
    invoice = await invoices.submit(session, actor, seen.contract, body, now=now)
    return invoices.read(invoice, seen.contract, seen.viewer)


@router.get(
    "/contracts/{contract_id}/invoices",
    response_model=CursorPage[InvoiceRead],
    responses=problems(ContractNotFound, OutsideMandate, NoMandate),
)
async def list_invoices(
    seen: SeenContract, session: SessionDep, page: PageDep
) -> CursorPage[InvoiceRead]:
    """The contract's invoices, newest first (the provider's staff and the co-op's
    administrators; a member, or their representative with `view`, sees the invoices that
    charge them, with their own lines only)."""
    member = None if seen.viewer.sees_everyone else seen.viewer.member
    items, next_cursor = await paginate(
        session,
        invoices.invoices_of(seen.contract.id, member_id=member.id if member else None),
        page,
        order=[Sort(Invoice.submitted_at, descending=True), Sort(Invoice.id, descending=True)],
        key=lambda i: (i.submitted_at, i.id),
    )
    return CursorPage[InvoiceRead](
        items=[invoices.read(i, seen.contract, seen.viewer) for i in items], next_cursor=next_cursor
    )


@router.get(
    "/coops/{coop_id}/invoices",
    response_model=CursorPage[InvoiceRead],
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def list_coop_invoices(
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    status: Annotated[
        InvoiceStatus | None, Query(description="Only invoices in this status.")
    ] = None,
) -> CursorPage[InvoiceRead]:
    """Every invoice of the co-op's contracts, newest first, optionally in one `status`: the
    queue an administrator approves and pays from. A member (or their representative with
    `view`) sees the invoices that charge them, with their own lines only and their total;
    anyone outside the co-op is told it does not exist."""
    return await queue.page_of(session, actor, member, page, status=status)


@router.get("/invoices/{invoice_id}", response_model=InvoiceRead, responses=problems(*SEEN))
async def get_invoice(seen: SeenInvoice) -> InvoiceRead:
    """An invoice (the provider's staff, the co-op's administrators; a member, or their
    representative with `view`, sees their own lines only, and their total)."""
    return invoices.read(seen.invoice, seen.contract, seen.viewer)


@router.post(
    "/invoices/{invoice_id}/lines/{line_id}/dispute",
    response_model=InvoiceRead,
    responses=problems(*SEEN, InvoiceLineNotFound, NotTheLinesMember, InvalidInvoiceTransition),
)
async def dispute_line(
    line_id: uuid.UUID,
    body: DisputeCreate,
    session: SessionDep,
    seen: SeenInvoice,
    actor: AnyActor,
    now: NowDep,
) -> InvoiceRead:
    """Dispute a line charged to you (the member, or their representative with `view`), before
    the invoice is approved; a line is disputed once, and an accepted line not at all (409
    `invalid_transition`). The invoice cannot be approved until an administrator resolves it."""
    line = invoices.visible_line(seen.invoice, line_id, seen.viewer)
    if seen.viewer.member is None or line.member_id != seen.viewer.member.id:
        raise NotTheLinesMember
    invoice = await disputes.dispute(
        session, actor, seen.invoice, line_id, seen.contract.coop_id, reason=body.reason, now=now
    )
    return invoices.read(invoice, seen.contract, seen.viewer)


@router.post(
    "/invoices/{invoice_id}/lines/{line_id}/accept",
    response_model=InvoiceRead,
    responses=problems(
        *SEEN, InvoiceLineNotFound, NotTheLinesMember, ConflictOfInterest, InvalidInvoiceTransition
    ),
)
async def accept_line(
    line_id: uuid.UUID, session: SessionDep, seen: SeenInvoice, actor: AnyActor, now: NowDep
) -> InvoiceRead:
    """Agree a line charged to you (the member, or their representative with `view`), before
    the invoice is approved: it reads `accepted_at` and can no longer be disputed. Once only,
    and not a disputed or voided line (409 `invalid_transition`). When every line not voided
    is agreed, the invoice may be approved before its dispute window ends. A representative
    who is the provider's staff, or recorded or gave the care the line bills, may not (403
    `conflict_of_interest`)."""
    line = invoices.visible_line(seen.invoice, line_id, seen.viewer)
    if seen.viewer.member is None or line.member_id != seen.viewer.member.id:
        raise NotTheLinesMember
    invoice = await disputes.accept(session, actor, seen.invoice, line_id, seen.contract, now=now)
    return invoices.read(invoice, seen.contract, seen.viewer)


@router.post(
    "/invoices/{invoice_id}/lines/{line_id}/resolve",
    response_model=InvoiceRead,
    responses=problems(*SEEN, InvoiceLineNotFound, CoopAdminRequired, InvalidInvoiceTransition),
)
async def resolve_dispute(
    line_id: uuid.UUID,
    body: ResolutionCreate,
    session: SessionDep,
    seen: SeenInvoice,
    actor: CurrentActor,
    now: NowDep,
) -> InvoiceRead:
    """Settle a disputed line (co-op administrators): `upheld` voids it, so it is not
    charged, and rejects the visits it billed; `rejected` lets it stand."""
    _admin(seen)
    invoices.visible_line(seen.invoice, line_id, seen.viewer)
    invoice = await disputes.resolve(
        session,
        actor,
        seen.invoice,
        line_id,
        seen.contract.coop_id,
        outcome=body.outcome,
        note=body.note,
        now=now,
    )
    return invoices.read(invoice, seen.contract, seen.viewer)


@router.post(
    "/invoices/{invoice_id}/approve",
    response_model=InvoiceRead,
    responses=problems(
        *SEEN,
        CoopAdminRequired,
        InvalidInvoiceTransition,
        InvoiceDisputed,
        DisputeWindowOpen,
        InsufficientMemberFunds,
        *IDEMPOTENCY,
    ),
)
async def approve_invoice(
    session: SessionDep,
    seen: SeenInvoice,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Approve an invoice (co-op administrators): every line not voided is charged to its
    member and credited to the provider, in one ledger transaction, or nothing is (409
    `insufficient_member_funds` with `members: [{member_id, holder_name, short_by_pence}]`,
    every member short and by how much; `holder_name` is given to the co-op's administrators
    only, null for anyone else). An open dispute must be resolved first (409
    `invoice_disputed`). The members have the co-op's `invoice_dispute_days` (x 24 hours)
    from submission to dispute a line: until then 409 `dispute_window_open` with `opens_at`,
    unless every line not voided was accepted by its member (or a representative) or is built
    from visits each confirmed by the member or a representative. `Idempotency-Key` is
    honoured."""
    _admin(seen)
    invoice = await invoices.approve(session, actor, seen.invoice, seen.contract, now=now)
    return await guard.respond(invoices.read(invoice, seen.contract, seen.viewer))


@router.post(
    "/invoices/{invoice_id}/pay",
    response_model=InvoiceRead,
    responses=problems(
        *SEEN, CoopAdminRequired, InvalidInvoiceTransition, InsufficientFunds, *IDEMPOTENCY
    ),
)
async def pay_invoice(
    session: SessionDep,
    seen: SeenInvoice,
    actor: CurrentActor,
    guard: IdempotencyOptional,
    now: NowDep,
) -> Response:
    """Pay an approved invoice to the provider (co-op administrators): its total moves from
    the provider's account to `external:payouts`. `Idempotency-Key` is honoured."""
    _admin(seen)
    invoice = await invoices.pay(session, actor, seen.invoice, seen.contract, now=now)
    return await guard.respond(invoices.read(invoice, seen.contract, seen.viewer))
