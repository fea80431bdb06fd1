"""Contract variations: a new hourly rate from a day on, applied at once or by the members'
vote, and the rate schedule invoices are priced by.

A rise of more than the co-op's `variation_vote_percent` over the rate at signing (every
variation counted: the measure is always from signing, so small steps add up) opens a
`contract_variation` proposal, closing in 7 days or when all have voted, and applies only if
it passes (`on_variation_vote`, registered in `app.workflows.registry`). Anything else
applies at once. A new rate never reaches back into a period already invoiced, and while one
waits for the vote, care from its first day is not invoiced and no other variation is made:
every invoice is priced by rates that were settled when it was submitted.
"""

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.models import Coop
from app.core.errors import ValidationFailed, must_exist
from app.core.money import pounds_text
from app.governance import service as governance
from app.governance.models import Proposal, ProposalKind, ProposalStatus
from app.tenders.contracts import service as contracts
from app.tenders.errors import ContractEnded, InvoicedPeriod, VariationPending
from app.tenders.invoices.pricing import RateChange, RateSchedule, needs_vote
from app.tenders.models import Contract, ContractVariation, Invoice, VariationStatus
from app.tenders.ocds import service as ocds

VOTE_DAYS = 7


async def variations_of(
    session: AsyncSession, contract_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[ContractVariation]]:
    """Each contract's variations, by from_date, then in the order they were asked for."""
    if not contract_ids:
        return {}
    rows = await session.scalars(
        select(ContractVariation)
        .where(ContractVariation.contract_id.in_(list(contract_ids)))
        .order_by(ContractVariation.from_date, ContractVariation.created_at, ContractVariation.id)
    )
    found: dict[uuid.UUID, list[ContractVariation]] = {}
    for variation in rows.all():
        found.setdefault(variation.contract_id, []).append(variation)
    return found


def schedule_of(contract: Contract, variations: Sequence[ContractVariation]) -> RateSchedule:
    """The rates in force: the rate at signing, and each applied variation from its day."""
    applied = sorted(
        (v for v in variations if v.status == VariationStatus.applied),
        key=lambda v: (v.decided_at or v.created_at, v.id),
    )
    return RateSchedule.of(
        contract.hourly_rate_pence,
        [RateChange(from_date=v.from_date, hourly_rate_pence=v.hourly_rate_pence) for v in applied],
    )


def pending(variations: Sequence[ContractVariation]) -> ContractVariation | None:
    return next((v for v in variations if v.status == VariationStatus.pending_vote), None)


async def last_invoiced_day(session: AsyncSession, contract_id: uuid.UUID) -> date | None:
    """The last day of any period invoiced under the contract (every invoice counts: an
    invoice is never deleted, and its lines keep the prices they were given)."""
    last: date | None = await session.scalar(
        select(func.max(Invoice.period_end)).where(Invoice.contract_id == contract_id)
    )
    return last


def _proposal_text(contract: Contract, rate_pence: int, from_date: date) -> tuple[str, str]:
    signed = pounds_text(contract.hourly_rate_pence)
    new = pounds_text(rate_pence)
    day = from_date.isoformat()
    name = contract.provider_name
    title = f"Amrywio cyfradd / Vary the rate: {name}"[:200]
    body = (
        f"Pay {name} {new} an hour from {day}, instead of {signed} an hour as signed: a rise "
        f"beyond what the co-operative's rules let the administrators agree alone.\n\n"
        f"Talu {new} yr awr i {name} o {day}, yn lle {signed} yr awr fel y'i llofnodwyd: "
        f"codiad y tu hwnt i'r hyn y mae rheolau'r cwmni cydweithredol yn gadael i'r "
        f"gweinyddwyr ei gytuno ar eu pen eu hunain."
    )
    return title, body


async def propose_variation(
    session: AsyncSession,
    actor: Actor,
    contract: Contract,
    coop: Coop,
    *,
    hourly_rate_pence: int,
    from_date: date,
    reason: str,
    now: datetime,
) -> ContractVariation:
    """Vary the contract's rate from `from_date` (co-op administrators): applied at once, or
    put to the members when it is a rise of more than the co-op's `variation_vote_percent`
    over the rate at signing.

    Refused on a contract that has ended or whose last day is before `from_date`
    (`ContractEnded`), while another variation waits for its vote (`VariationPending`), and
    for a `from_date` before the contract began or within a period already invoiced
    (`InvoicedPeriod`).
    """
    contract = await contracts.lock(session, contract)
    if contract.end_date is not None and from_date > contract.end_date:
        raise ContractEnded(last_day=contract.end_date.isoformat())
    if from_date < contract.start_date:
        raise ValidationFailed(
            [
                {
                    "loc": ["body", "from_date"],
                    "msg": f"The contract began on {contract.start_date.isoformat()}.",
                }
            ]
        )
    existing = (await variations_of(session, [contract.id])).get(contract.id, [])
    waiting = pending(existing)
    if waiting is not None:
        raise VariationPending(from_date=waiting.from_date.isoformat())
    invoiced = await last_invoiced_day(session, contract.id)
    if invoiced is not None and from_date <= invoiced:
        raise InvoicedPeriod(
            last_invoiced_day=invoiced.isoformat(),
            first_free_day=(invoiced + timedelta(days=1)).isoformat(),
        )
    variation = ContractVariation(
        contract_id=contract.id,
        hourly_rate_pence=hourly_rate_pence,
        from_date=from_date,
        reason=reason,
        status=VariationStatus.pending_vote,
        created_at=now,
        created_by_user_id=actor.user.id,
    )
    vote = needs_vote(contract.hourly_rate_pence, hourly_rate_pence, coop.variation_vote_percent)
    if vote:
        title, body = _proposal_text(contract, hourly_rate_pence, from_date)
        proposal = await governance.open_proposal(
            session,
            actor,
            coop,
            kind=ProposalKind.contract_variation,
            title=title,
            body=body,
            closes_at=now + timedelta(days=VOTE_DAYS),
            now=now,
            subject_id=contract.id,
        )
        variation.proposal_id = proposal.id
    session.add(variation)
    await session.flush()
    audit.record(
        session,
        actor,
        "contract.variation_proposed",
        "contract",
        contract.id,
        coop_id=contract.coop_id,
        data={
            "variation_id": variation.id,
            "hourly_rate_pence": hourly_rate_pence,
            "from_date": from_date.isoformat(),
            "reason": reason,
            "proposal_id": variation.proposal_id,
            "variation_vote_percent": coop.variation_vote_percent,
        },
    )
    if not vote:
        await apply_variation(session, actor, contract, variation, at=now)
    return variation


async def apply_variation(
    session: AsyncSession,
    actor: Actor | None,
    contract: Contract,
    variation: ContractVariation,
    *,
    at: datetime,
) -> None:
    """The new rate is in force from its `from_date`: invoices submitted from now on are
    priced by it.

    Its `contractAmendment` release is recorded here (dated `at`), in the same transaction,
    whether the variation applied at once or by the members' vote.
    """
    variation.status = VariationStatus.applied
    variation.decided_at = at
    await session.flush()
    await ocds.record_release(
        session,
        ocds.ContractVaried(
            contract.id,
            variation.id,
            variation.hourly_rate_pence,
            variation.from_date,
            variation.reason,
        ),
        at=at,
    )
    audit.record(
        session,
        actor,
        "contract.variation_applied",
        "contract",
        contract.id,
        coop_id=contract.coop_id,
        data={
            "variation_id": variation.id,
            "hourly_rate_pence": variation.hourly_rate_pence,
            "from_date": variation.from_date.isoformat(),
            "proposal_id": variation.proposal_id,
        },
    )


async def on_variation_vote(session: AsyncSession, actor: Actor | None, proposal: Proposal) -> None:
    """The outcome handler of contract_variation proposals, run in the transaction that closes
    one. Passed: the variation applies, at the close. Rejected or without quorum: it is
    rejected and never applies."""
    variation = await session.scalar(
        select(ContractVariation)
        .where(ContractVariation.proposal_id == proposal.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if variation is None or variation.status != VariationStatus.pending_vote:
        return
    contract = await contracts.get_contract(session, variation.contract_id)
    contract = must_exist(contract, "a variation's contract exists")
    contract = await contracts.lock(session, contract)
    closed_at = proposal.closed_at or proposal.closes_at
    if proposal.status == ProposalStatus.passed:
        await apply_variation(session, actor, contract, variation, at=closed_at)
        return
    variation.status = VariationStatus.rejected
    variation.decided_at = closed_at
    await session.flush()
    audit.record(
        session,
        actor,
        "contract.variation_rejected",
        "contract",
        contract.id,
        coop_id=contract.coop_id,
        data={
            "variation_id": variation.id,
            "proposal_id": proposal.id,
            "vote": proposal.status,
        },
    )


async def settle_votes(
    session: AsyncSession,
    actor: Actor | None,
    contract_ids: Sequence[uuid.UUID] | None,
    *,
    now: datetime,
) -> None:
    """Close the variation votes of these contracts (None: of every contract) whose time has
    come: closing runs `on_variation_vote`, which applies or rejects the variation."""
    if contract_ids is not None and not contract_ids:
        return
    stmt = (
        select(Proposal)
        .join(ContractVariation, ContractVariation.proposal_id == Proposal.id)
        .where(
            ContractVariation.status == VariationStatus.pending_vote,
            Proposal.status == ProposalStatus.open,
            Proposal.closes_at <= now,
        )
    )
    if contract_ids is not None:
        stmt = stmt.where(ContractVariation.contract_id.in_(list(contract_ids)))
    due = (await session.scalars(stmt.order_by(Proposal.id))).all()
    for proposal in due:
        await governance.settle(session, actor, proposal, now=now)
