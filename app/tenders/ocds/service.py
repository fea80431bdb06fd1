"""OCDS as a record of publication: a release is stored when its event happens, never rebuilt.

The tender's events call `record_release` in the transaction that makes the change, with
what happened (`Published`, `ClarificationAnswered`, `BiddingClosed`, `AwardDecided`,
`Cancelled`, `Contracted`, `InvoicePaid`, `ContractVaried`, `ContractEnded`). It gathers the
facts as they stand at that moment, has `build` write the release, and `store` queues it to
be numbered and written just before the commit. A release's id follows from its event, so
recording the same event twice (a deadline noticed by two readers) writes it once. A tender
that was never published has no releases: events of a draft record nothing.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.coops.models import Coop
from app.core.db import settings_of
from app.core.errors import must_exist
from app.providers.models import Provider
from app.tenders import repository
from app.tenders.models import (
    AwardStatus,
    Contract,
    Invoice,
    InvoiceLineStatus,
    InvoiceStatus,
    Tender,
    TenderAward,
    TenderQuestion,
)
from app.tenders.ocds import build, common, contract_releases, spend, store
from app.tenders.states import TenderStatus


@dataclass(frozen=True, slots=True)
class Published:
    tender_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class ClarificationAnswered:
    tender_id: uuid.UUID
    question_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class BiddingClosed:
    tender_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class AwardDecided:
    """An award made (with or without a vote), or rejected by the members' vote."""

    tender_id: uuid.UUID
    award_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Cancelled:
    tender_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Contracted:
    contract_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class InvoicePaid:
    invoice_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class ContractVaried:
    """A variation in force (applied at once, or once its vote passed)."""

    contract_id: uuid.UUID
    variation_id: uuid.UUID
    hourly_rate_pence: int
    from_date: date
    reason: str


@dataclass(frozen=True, slots=True)
class ContractEnded:
    contract_id: uuid.UUID
    last_day: date


Event = (
    Published
    | ClarificationAnswered
    | BiddingClosed
    | AwardDecided
    | Cancelled
    | Contracted
    | InvoicePaid
    | ContractVaried
    | ContractEnded
)


async def record_release(session: AsyncSession, event: Event, *, at: datetime) -> str | None:
    """Store the release this event makes (`at`: when it happened), and say its id; None when
    the event publishes nothing (a draft's, a vote still open, no closed quarter to show) or
    its release is already stored."""
    tender_id = await _tender_id(session, event)
    tender = await repository.get_tender(session, tender_id)
    tender = must_exist(tender, "an event's tender exists")
    if tender.published_at is None:
        return None
    facts = await _facts(session, tender)
    release = await _build(session, event, facts, tender, at=at)
    if release is None:
        return None
    return await store.add(session, tender_id=tender.id, coop_id=tender.coop_id, release=release)


async def _tender_id(session: AsyncSession, event: Event) -> uuid.UUID:
    match event:
        case Contracted(contract_id) | ContractVaried(contract_id) | ContractEnded(contract_id):
            contract = await session.get(Contract, contract_id)
            return must_exist(contract, "an event's contract exists").tender_id
        case InvoicePaid(invoice_id):
            invoice = await session.get(Invoice, invoice_id)
            invoice = must_exist(invoice, "an event's invoice exists")
            contract = await session.get(Contract, invoice.contract_id)
            return must_exist(contract, "an invoice's contract exists").tender_id
        case _:
            return event.tender_id


async def _facts(session: AsyncSession, tender: Tender) -> common.TenderFacts:
    coop = must_exist(await session.get(Coop, tender.coop_id), "a tender's co-op exists")
    published_at = must_exist(tender.published_at, "only published tenders have releases")
    the_ocid = await store.ocid_of(session, tender.id) or common.ocid(
        settings_of(session).ocid_prefix, tender.id
    )
    return common.TenderFacts(
        process=common.Process(ocid=the_ocid, buyer=common.party("coop", coop.id, coop.name)),
        tender_id=tender.id,
        title=tender.title,
        title_cy=tender.title_cy,
        description=tender.description,
        description_cy=tender.description_cy,
        service_type=tender.service_type,
        area_codes=tuple(tender.area_codes),
        max_hourly_rate_pence=tender.max_hourly_rate_pence,
        welsh_language_required=tender.welsh_language_required,
        price_weight=tender.price_weight,
        quality_weight=tender.quality_weight,
        published_at=published_at,
        submission_deadline=tender.submission_deadline,
    )


async def _provider(session: AsyncSession, provider_id: uuid.UUID) -> common.Party:
    provider = must_exist(await session.get(Provider, provider_id), "a bidder exists")
    return common.party("provider", provider.id, provider.name)


def _signed_provider(contract: Contract) -> common.Party:
    """The supplier as named when the contract was signed (SPEC 19), never a later name."""
    return common.party("provider", contract.provider_id, contract.provider_name)


async def _demand(session: AsyncSession, tender_id: uuid.UUID) -> repository.Demand:
    return (await repository.demand_totals(session, [tender_id])).get(
        tender_id, repository.Demand()
    )


async def _build(
    session: AsyncSession,
    event: Event,
    facts: common.TenderFacts,
    tender: Tender,
    *,
    at: datetime,
) -> dict[str, object] | None:
    match event:
        case Published():
            demand = await _demand(session, tender.id)
            return build.tender_release(facts, hours_per_week=demand.total_hours_per_week)
        case ClarificationAnswered(_, question_id):
            question = await session.get(TenderQuestion, question_id)
            question = must_exist(question, "an answered question exists")
            return build.clarification_release(
                facts,
                question_id=question.id,
                question=question.question,
                answer=must_exist(question.answer, "an answered question has its answer"),
                at=question.answered_at or at,
            )
        case BiddingClosed():
            bids = await repository.bids_of(session, tender.id)
            demand = await _demand(session, tender.id)
            return build.bids_opened_release(
                facts,
                tenderers=[await _provider(session, b.provider_id) for b in bids],
                hours_per_week=demand.total_hours_per_week,
                people=demand.members,
            )
        case AwardDecided(_, award_id):
            return await _award(session, facts, tender, award_id, at=at)
        case Cancelled():
            award = await repository.live_award(session, tender.id)
            made = award if award is not None and award.status == AwardStatus.awarded else None
            return build.cancellation_release(
                facts,
                reason=tender.cancellation_reason or "",
                award_id=made.id if made else None,
                at=tender.cancelled_at or at,
            )
        case Contracted(contract_id):
            contract = await _contract(session, contract_id)
            supplier = _signed_provider(contract)
            return contract_releases.contract_release(
                facts,
                contract=await _ref(session, contract),
                supplier=supplier,
                hourly_rate_pence=contract.hourly_rate_pence,
                hours_per_week=sum(c.hours_per_week for c in contract.call_offs),
                signed_at=contract.created_at,
            )
        case InvoicePaid(invoice_id):
            return await _implementation(session, facts, invoice_id, at=at)
        case ContractVaried(contract_id, variation_id, rate, from_date, reason):
            return contract_releases.contract_amendment_release(
                facts.process,
                contract=await _ref(session, await _contract(session, contract_id)),
                variation_id=variation_id,
                hourly_rate_pence=rate,
                from_date=from_date,
                reason=reason,
                at=at,
            )
        case ContractEnded(contract_id, last_day):
            return contract_releases.contract_termination_release(
                facts.process,
                contract=await _ref(session, await _contract(session, contract_id)),
                last_day=last_day,
                at=at,
            )
    return None


async def _award(
    session: AsyncSession,
    facts: common.TenderFacts,
    tender: Tender,
    award_id: uuid.UUID,
    *,
    at: datetime,
) -> dict[str, object] | None:
    """The award release once made; a rejected one is an amendment of the tender, back in
    evaluation (unless it was cancelled meanwhile); one still put to the vote, nothing."""
    award = await session.scalar(
        select(TenderAward).where(TenderAward.id == award_id).options(selectinload(TenderAward.bid))
    )
    award = must_exist(award, "a decided award exists")
    if award.status == AwardStatus.awarded:
        demand = await _demand(session, tender.id)
        return build.award_release(
            facts,
            award=common.AwardFacts(
                award_id=award.id,
                supplier=await _provider(session, award.bid.provider_id),
                hourly_rate_pence=award.bid.hourly_rate_pence,
                hours_per_week=demand.total_hours_per_week,
                awarded_at=award.awarded_at or at,
            ),
        )
    if award.status == AwardStatus.rejected and tender.status == TenderStatus.evaluation:
        return build.award_rejected_release(facts, award_id=award.id, at=award.decided_at or at)
    return None


async def _contract(session: AsyncSession, contract_id: uuid.UUID) -> Contract:
    contract = await session.scalar(
        select(Contract).where(Contract.id == contract_id).options(selectinload(Contract.call_offs))
    )
    return must_exist(contract, "an event's contract exists")


async def _ref(session: AsyncSession, contract: Contract) -> common.ContractRef:
    award_id = await session.scalar(
        select(TenderAward.id)
        .where(TenderAward.tender_id == contract.tender_id, TenderAward.bid_id == contract.bid_id)
        .where(TenderAward.status == AwardStatus.awarded)
    )
    return common.ContractRef(
        contract_id=contract.id, award_id=must_exist(award_id, "a contract has its award")
    )


async def _implementation(
    session: AsyncSession, facts: common.TenderFacts, invoice_id: uuid.UUID, *, at: datetime
) -> dict[str, object] | None:
    """The contract's closed quarters that may be published, when this payment is the first
    to find one not published yet (see `spend`)."""
    invoice = must_exist(await session.get(Invoice, invoice_id), "a paid invoice exists")
    contract = await _contract(session, invoice.contract_id)
    paid = await session.scalars(
        select(Invoice)
        .where(Invoice.contract_id == contract.id, Invoice.status == InvoiceStatus.paid)
        .options(selectinload(Invoice.lines))
    )
    payments = [
        spend.Payment(
            paid_at=must_exist(i.paid_at, "a paid invoice has its time"),
            amount_pence=i.total_pence,
            member_ids=frozenset(
                line.member_id for line in i.lines if line.status != InvoiceLineStatus.voided
            ),
        )
        for i in paid.all()
    ]
    quarters = spend.publishable_quarters(payments, now=at)
    ref = await _ref(session, contract)
    shown = {
        str(transaction["id"])
        for body in await store.published_bodies(session, contract.tender_id, tag="implementation")
        for c in body.get("contracts", [])
        for transaction in c.get("implementation", {}).get("transactions", [])
    }
    if all(f"{ref.contract_id}-{q.key}" in shown for q in quarters):
        return None
    return contract_releases.implementation_release(
        facts.process,
        contract=ref,
        supplier=_signed_provider(contract),
        invoice_id=invoice_id,
        quarters=quarters,
        at=at,
    )
