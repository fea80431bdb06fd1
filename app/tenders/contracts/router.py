"""Contracts made from awarded tenders: listing them, varying their rate, ending them and
the members' call-offs."""

import uuid
from typing import Annotated

from fastapi import Query
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import CurrentActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import service as coops
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.tenders.contracts import service as contracts
from app.tenders.contracts import variations
from app.tenders.dependencies import ContractSeen, SeenContract, TenderAdmin
from app.tenders.errors import (
    CallOffEnded,
    CallOffNotFound,
    ContractEnded,
    ContractNotFound,
    InvalidTenderTransition,
    InvoicedPeriod,
    NotCallOffParty,
    StandstillNotOver,
    TenderNotFound,
    VariationPending,
)
from app.tenders.models import Contract, ContractStatus
from app.tenders.schemas import (
    CallOffEnd,
    ContractEnd,
    ContractRead,
    VariationCreate,
    VariationRead,
)

router = Router(tags=["contracts"])
SEEN = (ContractNotFound, OutsideMandate, NoMandate)


def _admin(seen: ContractSeen) -> None:
    if not seen.viewer.is_admin:
        raise CoopAdminRequired


async def _read(session: AsyncSession, seen: ContractSeen, contract: Contract) -> ContractRead:
    varied = await variations.variations_of(session, [contract.id])
    return contracts.read(contract, seen.viewer, varied.get(contract.id, []))


@router.get(
    "/coops/{coop_id}/contracts",
    response_model=CursorPage[ContractRead],
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def list_coop_contracts(
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    now: NowDep,
    status: Annotated[
        ContractStatus | None, Query(description="Only contracts in this status.")
    ] = None,
) -> CursorPage[ContractRead]:
    """The co-op's contracts, newest first (members; a representative with `view`). As with
    one contract, administrators see every call-off and a member their own. A contract whose
    last day has passed reads `ended` here as everywhere."""
    await contracts.settle_due(session, coop_id=member.coop_id, now=now)
    items, next_cursor = await paginate(
        session,
        contracts.contracts_of(member.coop_id, status=status),
        page,
        order=[Sort(Contract.created_at, descending=True), Sort(Contract.id, descending=True)],
        key=lambda c: (c.created_at, c.id),
    )
    await variations.settle_votes(session, actor, [c.id for c in items], now=now)
    varied = await variations.variations_of(session, [c.id for c in items])
    viewer = contracts.ContractViewer(
        is_admin=member.is_admin and not actor.is_representing, is_staff=False, member=member
    )
    return CursorPage[ContractRead](
        items=[contracts.read(c, viewer, varied.get(c.id, [])) for c in items],
        next_cursor=next_cursor,
    )


@router.post(
    "/tenders/{tender_id}/contract",
    status_code=201,
    response_model=ContractRead,
    responses=problems(
        TenderNotFound, CoopAdminRequired, InvalidTenderTransition, StandstillNotOver
    ),
)
async def create_contract(
    session: SessionDep, admin: TenderAdmin, actor: CurrentActor, now: NowDep
) -> ContractRead:
    """Contract the awarded provider (co-op administrators), once the standstill is over (409
    `standstill_not_over`). Each member's demand becomes their call-off at the awarded
    hourly rate; the tender becomes `contracted` and the provider's account is opened in the
    co-op's ledger."""
    contract = await contracts.create_contract(session, actor, admin.tender, now=now)
    return contracts.read(contract, contracts.ContractViewer(True, False, admin.admin))


@router.get(
    "/contracts/{contract_id}",
    response_model=ContractRead,
    responses=problems(*SEEN),
)
async def get_contract(seen: SeenContract, session: SessionDep) -> ContractRead:
    """A contract: the co-op's administrators and the provider's staff see every call-off; a
    member of the co-op (or their representative with `view`) sees their own call-off only.
    Everyone who sees it sees its variations. Anyone else is told there is no such
    contract."""
    return await _read(session, seen, seen.contract)


@router.post(
    "/contracts/{contract_id}/variations",
    status_code=201,
    response_model=VariationRead,
    responses=problems(*SEEN, CoopAdminRequired, ContractEnded, VariationPending, InvoicedPeriod),
)
async def create_variation(
    body: VariationCreate,
    session: SessionDep,
    seen: SeenContract,
    actor: CurrentActor,
    now: NowDep,
) -> VariationRead:
    """Change the contract's hourly rate from `from_date` on (co-op administrators). A rise of
    more than the co-op's `variation_vote_percent` over the rate at signing (whatever
    variations came between) opens a members' proposal of kind `contract_variation` (closing
    in 7 days, or when all have voted; `proposal_id`) and reads `pending_vote`: it applies
    only if the proposal passes, and is `rejected` otherwise. Anything else is `applied` at
    once. From its day on, invoices are priced at the new rate.

    `from_date` must be after every period already invoiced (422 `invoiced_period`), no
    earlier than the contract's start (422 `validation_error`) and no later than its last day
    (409 `contract_ended`). While a variation waits for its vote, no other is made (409
    `variation_pending`)."""
    _admin(seen)
    coop = await coops.get_coop(session, seen.contract.coop_id)
    variation = await variations.propose_variation(
        session,
        actor,
        seen.contract,
        coop,
        hourly_rate_pence=body.hourly_rate_pence,
        from_date=body.from_date,
        reason=body.reason,
        now=now,
    )
    return contracts.read_variation(variation)


@router.post(
    "/contracts/{contract_id}/end",
    response_model=ContractRead,
    responses=problems(*SEEN, CoopAdminRequired, ContractEnded),
)
async def end_contract(
    body: ContractEnd,
    session: SessionDep,
    seen: SeenContract,
    actor: CurrentActor,
    now: NowDep,
) -> ContractRead:
    """End the contract (co-op administrators): every call-off ends on `last_day` (today or
    later), as a member's own ending does, one already ending earlier keeping its day; care
    up to it may still be invoiced, none after it. The contract reads `ended` from the day
    after. A contract is ended once (409 `contract_ended`)."""
    _admin(seen)
    contract = await contracts.end_contract(
        session, actor, seen.contract, last_day=body.last_day, reason=body.reason, now=now
    )
    contract = await contracts.settle(session, contract, now=now)
    return await _read(session, seen, contract)


@router.post(
    "/contracts/{contract_id}/call-offs/{member_id}/end",
    response_model=ContractRead,
    responses=problems(
        ContractNotFound,
        CallOffNotFound,
        NotCallOffParty,
        CallOffEnded,
        OutsideMandate,
        NoMandate,
    ),
)
async def end_call_off(
    member_id: uuid.UUID,
    body: CallOffEnd,
    session: SessionDep,
    seen: SeenContract,
    actor: CurrentActor,
    now: NowDep,
) -> ContractRead:
    """End a member's call-off: the member in person, or the co-op's administrators (403
    otherwise; a member asking about someone else's call-off is told there is none). Care is
    bought up to and including `last_day` (today or later; today when left out); invoice
    lines after it are refused (422 `no_call_off`) and a period running past it is allowed
    only the days up to it. Once the last day has passed and the member's invoice lines are
    paid, they may leave the co-op. A call-off ends once (409 `call_off_ended`), and ending
    the contract ends every call-off."""
    contract = await contracts.end_call_off(
        session,
        actor,
        seen.contract,
        seen.viewer,
        member_id=member_id,
        last_day=body.last_day,
        now=now,
    )
    return await _read(session, seen, contract)
