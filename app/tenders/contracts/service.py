"""Contracts: made from an award once the standstill is over, with the members' call-offs;
ending one member's call-off, or the whole contract.

A contract ended by an administrator keeps running up to its last day and reads `ended` from
the day after. No scheduler notices that day: whenever a contract is read or acted on after
it, `settle` writes the end (`terminate`), with the start of that day as its time, in the
transaction of the request that noticed.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Member, MemberStatus
from app.core.clock import WALES, local_date
from app.core.errors import ValidationFailed, must_exist
from app.ledger import service as ledger
from app.providers import service as providers
from app.providers.models import Provider
from app.tenders import repository, service
from app.tenders.contracts import conflicts
from app.tenders.errors import (
    CallOffEnded,
    CallOffNotFound,
    ContractEnded,
    ContractNotFound,
    NotCallOffParty,
    StandstillNotOver,
)
from app.tenders.models import (
    CallOff,
    Contract,
    ContractStatus,
    ContractVariation,
    DemandLine,
    Tender,
)
from app.tenders.ocds import service as ocds
from app.tenders.schemas import CallOffRead, ContractRead, VariationRead
from app.tenders.states import TenderStatus


async def create_contract(
    session: AsyncSession, actor: Actor, tender: Tender, *, now: datetime
) -> Contract:
    """Contract the awarded provider at its rate, each member's demand becoming their
    call-off, and open the provider's account in the co-op's ledger. The provider's name is
    kept as it is now: what invoices, statements and returns will show."""
    tender = await service.lock(session, tender)
    service.require_status(tender, TenderStatus.awarded)
    award = await repository.live_award(session, tender.id)
    award = must_exist(award, "an awarded tender has its award")
    standstill_ends_at = must_exist(award.standstill_ends_at, "set when awarded")
    if now < standstill_ends_at:
        raise StandstillNotOver(standstill_ends_at=standstill_ends_at.isoformat())
    # Demand from members who have since left becomes no call-off.
    demand = (
        await session.execute(
            select(DemandLine.member_id, DemandLine.hours_per_week)
            .join(Member, Member.id == DemandLine.member_id)
            .where(DemandLine.tender_id == tender.id, Member.status != MemberStatus.left)
            .order_by(DemandLine.member_id)
        )
    ).all()
    provider = await session.get(Provider, award.bid.provider_id)
    provider = must_exist(provider, "a bid's provider is never deleted")
    contract = Contract(
        tender_id=tender.id,
        coop_id=tender.coop_id,
        bid_id=award.bid_id,
        provider_id=provider.id,
        provider_name=provider.name,
        hourly_rate_pence=award.bid.hourly_rate_pence,
        status=ContractStatus.active,
        created_at=now,
        created_by_user_id=actor.user.id,
        start_date=local_date(now),
    )
    contract.call_offs = [
        CallOff(member_id=member_id, hours_per_week=hours) for member_id, hours in demand
    ]
    session.add(contract)
    service.move(tender, TenderStatus.contracted)
    await session.flush()
    await ledger.open_provider_account(
        session, coop_id=tender.coop_id, provider_id=contract.provider_id, now=now
    )
    audit.record(
        session,
        actor,
        "contract.created",
        "contract",
        contract.id,
        coop_id=tender.coop_id,
        data={
            "tender_id": tender.id,
            "provider_id": contract.provider_id,
            "provider_name": contract.provider_name,
            "hourly_rate_pence": contract.hourly_rate_pence,
            "call_offs": [[str(c.member_id), c.hours_per_week] for c in contract.call_offs],
        },
    )
    await ocds.record_release(session, ocds.Contracted(contract.id), at=now)
    # The provider's staff may now be conflicted as representatives of these holders.
    holders = [
        await coops.get_member(session, coop_id=contract.coop_id, member_id=c.member_id)
        for c in contract.call_offs
    ]
    await conflicts.recheck_call_offs(session, actor, contract, holders, now=now)
    return contract


@dataclass(frozen=True, slots=True)
class ContractViewer:
    """How the caller stands to a contract: the co-op's administrator, the provider's staff,
    or a member of the co-op (who sees their own call-off only)."""

    is_admin: bool
    is_staff: bool
    member: Member | None

    @property
    def sees_everyone(self) -> bool:
        return self.is_admin or self.is_staff

    def sees(self, member_id: uuid.UUID) -> bool:
        """Whether what concerns this member (a call-off, an invoice line) is shown."""
        return self.sees_everyone or (self.member is not None and self.member.id == member_id)


async def get_contract(session: AsyncSession, contract_id: uuid.UUID) -> Contract | None:
    return await session.scalar(
        select(Contract).where(Contract.id == contract_id).options(selectinload(Contract.call_offs))
    )


async def viewer(session: AsyncSession, actor: Actor, contract: Contract) -> ContractViewer:
    """Administrators and staff act in person; a representative with `view` reads what the
    holder may. Anyone else is told there is no such contract."""
    is_staff = is_admin = False
    if not actor.is_representing:
        is_staff = await providers.is_staff(
            session, provider_id=contract.provider_id, user_id=actor.user.id
        )
    else:
        actor.require_scope("view")
    member = await coops.active_membership(
        session, coop_id=contract.coop_id, user_id=actor.principal.id
    )
    if member is not None and member.is_admin and not actor.is_representing:
        is_admin = True
    if not (is_staff or is_admin or member is not None):
        raise ContractNotFound
    return ContractViewer(is_admin=is_admin, is_staff=is_staff, member=member)


async def lock(session: AsyncSession, contract: Contract) -> Contract:
    """The contract's row, locked, with its call-offs read afresh: invoices and the ending of
    call-offs are checked one after the other."""
    locked = await session.scalar(
        select(Contract)
        .where(Contract.id == contract.id)
        .options(selectinload(Contract.call_offs))
        .with_for_update(of=Contract)
        .execution_options(populate_existing=True)
    )
    locked = must_exist(locked, "contracts are never deleted")
    return locked


def running_on(call_off: CallOff, day: date) -> bool:
    """Whether care may still be bought under the call-off on that day."""
    return call_off.last_day is None or day <= call_off.last_day


async def end_call_off(
    session: AsyncSession,
    actor: Actor,
    contract: Contract,
    seen_by: ContractViewer,
    *,
    member_id: uuid.UUID,
    last_day: date | None,
    now: datetime,
) -> Contract:
    """End a member's call-off after `last_day` (today when None): the member themselves or
    the co-op's administrators. The provider may invoice care up to and including that day
    and no later; once it has passed and the invoices are paid the member may leave."""
    if not seen_by.sees(member_id):
        raise CallOffNotFound
    if not (seen_by.is_admin or (seen_by.member is not None and seen_by.member.id == member_id)):
        raise NotCallOffParty
    today = local_date(now)
    last_day = today if last_day is None else last_day
    not_before_today(last_day, today)
    contract = await lock(session, contract)
    call_off = next((c for c in contract.call_offs if c.member_id == member_id), None)
    if call_off is None:
        raise CallOffNotFound
    if call_off.last_day is not None:
        raise CallOffEnded(last_day=call_off.last_day.isoformat())
    call_off.last_day = last_day
    await session.flush()
    audit.record(
        session,
        actor,
        "contract.call_off_ended",
        "contract",
        contract.id,
        coop_id=contract.coop_id,
        data={"member_id": member_id, "last_day": last_day.isoformat()},
    )
    return contract


def not_before_today(last_day: date, today: date, *, loc: str = "last_day") -> None:
    if last_day < today:
        raise ValidationFailed(
            [
                {
                    "loc": ["body", loc],
                    "msg": "The last day may not be in the past: care already delivered "
                    "stays invoiceable.",
                }
            ]
        )


async def end_contract(
    session: AsyncSession,
    actor: Actor,
    contract: Contract,
    *,
    last_day: date,
    reason: str,
    now: datetime,
) -> Contract:
    """End the contract after `last_day` (today or later; co-op administrators): every
    call-off ends on that day, as a member's own ending does (one already ending earlier
    keeps its day), and the contract reads `ended` from the day after (`terminate`).

    Once only (`ContractEnded`). Where a `contractTermination` OCDS release is to be
    recorded: in `terminate`, when the end takes effect, not here.
    """
    not_before_today(last_day, local_date(now))
    contract = await lock(session, contract)
    if contract.end_date is not None:
        raise ContractEnded(last_day=contract.end_date.isoformat())
    if last_day < contract.start_date:
        raise ValidationFailed(
            [{"loc": ["body", "last_day"], "msg": "The last day is before the contract began."}]
        )
    cut = []
    for call_off in contract.call_offs:
        if call_off.last_day is None or call_off.last_day > last_day:
            call_off.last_day = last_day
            cut.append(str(call_off.member_id))
    contract.end_date = last_day
    contract.end_reason = reason
    await session.flush()
    audit.record(
        session,
        actor,
        "contract.end_set",
        "contract",
        contract.id,
        coop_id=contract.coop_id,
        data={"last_day": last_day.isoformat(), "reason": reason, "call_offs_ended": cut},
    )
    return contract


def ends_at(last_day: date) -> datetime:
    """The moment a contract with this last day ends: the start of the next day in Wales."""
    return datetime.combine(last_day + timedelta(days=1), time(), tzinfo=WALES)


async def terminate(session: AsyncSession, contract: Contract) -> None:
    """The end takes effect: the contract reads `ended` from the start of the day after its
    last day. The day's doing, not the reader's: audited without an actor.

    Its `contractTermination` release is recorded here (dated `contract.ended_at`), in the
    same transaction.
    """
    last_day = must_exist(contract.end_date, "only a contract with a last day ends")
    contract.status = ContractStatus.ended
    contract.ended_at = ends_at(last_day)
    await session.flush()
    await ocds.record_release(
        session, ocds.ContractEnded(contract.id, last_day), at=contract.ended_at
    )
    audit.record(
        session,
        None,
        "contract.ended",
        "contract",
        contract.id,
        coop_id=contract.coop_id,
        data={"last_day": last_day.isoformat(), "ended_at": contract.ended_at},
    )


def is_due_to_end(contract: Contract, now: datetime) -> bool:
    return (
        contract.status == ContractStatus.active
        and contract.end_date is not None
        and local_date(now) > contract.end_date
    )


async def settle(session: AsyncSession, contract: Contract, *, now: datetime) -> Contract:
    """Bring the contract up to date: end it once its last day has passed."""
    if not is_due_to_end(contract, now):
        return contract
    contract = await lock(session, contract)
    if is_due_to_end(contract, now):
        await terminate(session, contract)
    return contract


async def settle_due(
    session: AsyncSession, *, now: datetime, coop_id: uuid.UUID | None = None
) -> None:
    """End every contract (of the co-op, or all) whose last day has passed."""
    stmt = select(Contract).where(
        Contract.status == ContractStatus.active, Contract.end_date < local_date(now)
    )
    if coop_id is not None:
        stmt = stmt.where(Contract.coop_id == coop_id)
    due = (await session.scalars(stmt.order_by(Contract.id))).all()
    for contract in due:
        await settle(session, contract, now=now)


def contracts_of(coop_id: uuid.UUID, *, status: ContractStatus | None) -> Select[Contract]:
    stmt = (
        select(Contract)
        .where(Contract.coop_id == coop_id)
        .options(selectinload(Contract.call_offs))
    )
    if status is not None:
        stmt = stmt.where(Contract.status == status)
    return stmt


def contracts_called_off_by(member_ids: list[uuid.UUID]) -> Select[Contract]:
    """The contracts, whatever their state, under which one of `member_ids` has a call-off."""
    return (
        select(Contract)
        .where(
            Contract.id.in_(select(CallOff.contract_id).where(CallOff.member_id.in_(member_ids)))
        )
        .options(selectinload(Contract.call_offs))
    )


def read_variation(variation: ContractVariation) -> VariationRead:
    return VariationRead.model_validate(variation)


def read(
    contract: Contract, seen_by: ContractViewer, variations: Sequence[ContractVariation] = ()
) -> ContractRead:
    call_offs = [
        CallOffRead(member_id=c.member_id, hours_per_week=c.hours_per_week, last_day=c.last_day)
        for c in contract.call_offs
        if seen_by.sees(c.member_id)
    ]
    return ContractRead(
        id=contract.id,
        tender_id=contract.tender_id,
        coop_id=contract.coop_id,
        provider_id=contract.provider_id,
        provider_name=contract.provider_name,
        hourly_rate_pence=contract.hourly_rate_pence,
        call_offs=call_offs,
        variations=[read_variation(v) for v in variations],
        status=contract.status,
        start_date=contract.start_date,
        end_date=contract.end_date,
        created_at=contract.created_at,
    )
