"""Contracts made from awarded tenders, and the ending of members' call-offs."""

import uuid

from fastapi import APIRouter

from app.auth.dependencies import CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.errors import CoopAdminRequired
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.tenders.contracts import service as contracts
from app.tenders.dependencies import SeenContract, TenderAdmin
from app.tenders.errors import (
    CallOffEnded,
    CallOffNotFound,
    ContractNotFound,
    InvalidTenderTransition,
    NotCallOffParty,
    StandstillNotOver,
    TenderNotFound,
)
from app.tenders.schemas import CallOffEnd, ContractRead

router = APIRouter(tags=["contracts"])


@router.post(
    "/tenders/{tender_id}/contract",  # noqa: FAST003 - a dependency reads `tender_id`
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
    "/contracts/{contract_id}",  # noqa: FAST003 - a dependency reads `contract_id`
    response_model=ContractRead,
    responses=problems(ContractNotFound, OutsideMandate, NoMandate),
)
async def get_contract(seen: SeenContract) -> ContractRead:
    """A contract: the co-op's administrators and the provider's staff see every call-off; a
    member of the co-op (or their representative with `view`) sees their own call-off only.
    Anyone else is told there is no such contract."""
    return contracts.read(seen.contract, seen.viewer)


@router.post(
    "/contracts/{contract_id}/call-offs/{member_id}/end",  # noqa: FAST003 - a dependency reads `contract_id`
    response_model=ContractRead,
    responses=problems(
        ContractNotFound,
        CallOffNotFound,
        NotCallOffParty,
        CallOffEnded,
        OutsideMandate,
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
    paid, they may leave the co-op. A call-off ends once (409 `call_off_ended`)."""
    contract = await contracts.end_call_off(
        session,
        actor,
        seen.contract,
        seen.viewer,
        member_id=member_id,
        last_day=body.last_day,
        now=now,
    )
    return contracts.read(contract, seen.viewer)
