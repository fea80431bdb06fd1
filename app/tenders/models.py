"""Collective tenders: demand, clarifications, sealed bids, awards, contracts and invoices."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UUIDPrimaryKey, enum_column
from app.providers.models import ServiceType, WelshLanguage
from app.tenders.states import TenderStatus
from app.tenders.visits.models import Visit


class BidStatus(StrEnum):
    submitted = "submitted"
    withdrawn = "withdrawn"


class AwardStatus(StrEnum):
    pending_vote = "pending_vote"
    awarded = "awarded"
    rejected = "rejected"


class ContractStatus(StrEnum):
    active = "active"
    ended = "ended"


class VariationStatus(StrEnum):
    applied = "applied"
    pending_vote = "pending_vote"
    rejected = "rejected"


class InvoiceStatus(StrEnum):
    submitted = "submitted"
    approved = "approved"
    paid = "paid"


class InvoiceLineStatus(StrEnum):
    ok = "ok"
    disputed = "disputed"
    voided = "voided"


class DisputeOutcome(StrEnum):
    upheld = "upheld"
    rejected = "rejected"


class Tender(UUIDPrimaryKey, Base):
    __tablename__ = "tender"
    __table_args__ = (
        CheckConstraint("max_hourly_rate_pence > 0", name="max_rate_positive"),
        CheckConstraint(
            "price_weight >= 0 AND quality_weight >= 0 AND price_weight + quality_weight = 100",
            name="weights_sum_to_100",
        ),
        CheckConstraint("standstill_days >= 0", name="standstill_not_negative"),
        Index("ix_tender_coop_id_created_at", "coop_id", "created_at"),
        Index("ix_tender_status_submission_deadline", "status", "submission_deadline"),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # Welsh versions, when the co-op writes them (published as OCDS language variants).
    title_cy: Mapped[str | None] = mapped_column(String(200))
    description_cy: Mapped[str | None] = mapped_column(Text)
    service_type: Mapped[ServiceType] = mapped_column(enum_column(ServiceType))
    max_hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    welsh_language_required: Mapped[WelshLanguage] = mapped_column(enum_column(WelshLanguage))
    price_weight: Mapped[int] = mapped_column(Integer)
    quality_weight: Mapped[int] = mapped_column(Integer)
    submission_deadline: Mapped[datetime]
    standstill_days: Mapped[int] = mapped_column(Integer)
    status: Mapped[TenderStatus] = mapped_column(enum_column(TenderStatus))
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime | None]
    # When the deadline closed bidding and the bids were opened (the deadline itself).
    bids_opened_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    # The co-op's deciding rules in force when the tender was published (award_requires_vote,
    # voting_mode, class_weights, quorum_percent, pass_percent): its award follows these, not
    # rules changed while providers were bidding. Null while a draft.
    rules_at_publication: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    area_rows: Mapped[list["TenderArea"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="TenderArea.area_code"
    )

    @property
    def area_codes(self) -> list[str]:
        return sorted(row.area_code for row in self.area_rows)


class TenderArea(Base):
    """A council area the tender buys care in; keyed area first, as the area feed reads it."""

    __tablename__ = "tender_area"

    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)
    tender_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DemandLine(Base):
    """The hours a week one holder wants to buy through the tender."""

    __tablename__ = "tender_demand"
    __table_args__ = (CheckConstraint("hours_per_week BETWEEN 1 AND 168", name="hours_in_a_week"),)

    tender_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coop_member.id"), primary_key=True, index=True
    )
    hours_per_week: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class TenderQuestion(UUIDPrimaryKey, Base):
    """A clarification question. Who asked is deliberately not stored: it is never shown."""

    __tablename__ = "tender_question"
    __table_args__ = (Index("ix_tender_question_tender_id_asked_at", "tender_id", "asked_at"),)

    tender_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tender.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))


class TenderBid(UUIDPrimaryKey, Base):
    """A provider's sealed bid; one live bid per provider per tender (the partial index)."""

    __tablename__ = "tender_bid"
    __table_args__ = (
        Index(
            "uq_tender_bid_live",
            "tender_id",
            "provider_id",
            unique=True,
            postgresql_where=text("status = 'submitted'"),
            sqlite_where=text("status = 'submitted'"),
        ),
        CheckConstraint("hourly_rate_pence > 0", name="rate_positive"),
        CheckConstraint("capacity_hours_per_week > 0", name="capacity_positive"),
        CheckConstraint("quality_score BETWEEN 0 AND 100", name="score_range"),
    )

    tender_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tender.id"), index=True)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id"), index=True)
    status: Mapped[BidStatus] = mapped_column(enum_column(BidStatus))
    hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    capacity_hours_per_week: Mapped[int] = mapped_column(Integer)
    quality_statement: Mapped[str] = mapped_column(Text)
    welsh_language: Mapped[WelshLanguage] = mapped_column(enum_column(WelshLanguage))
    quality_score: Mapped[int | None] = mapped_column(Integer)
    # The first submission: amending keeps the bid's place in a tie.
    submitted_at: Mapped[datetime]
    submitted_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    amended_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]


class TenderAward(UUIDPrimaryKey, Base):
    """One decision to award a bid, with its vote when the co-op's rules ask for one.

    A rejected award stays as the record of that vote; at most one award of a tender is
    pending or made at a time (the partial index).
    """

    __tablename__ = "tender_award"
    __table_args__ = (
        Index(
            "uq_tender_award_live",
            "tender_id",
            unique=True,
            postgresql_where=text("status <> 'rejected'"),
            sqlite_where=text("status <> 'rejected'"),
        ),
    )

    tender_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tender.id"), index=True)
    bid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tender_bid.id"))
    status: Mapped[AwardStatus] = mapped_column(enum_column(AwardStatus))
    proposal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    proposed_at: Mapped[datetime]
    proposed_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    awarded_at: Mapped[datetime | None]
    standstill_ends_at: Mapped[datetime | None]

    bid: Mapped[TenderBid] = relationship(lazy="raise")


class Contract(UUIDPrimaryKey, Base):
    """A contract made from an award. `hourly_rate_pence` is the rate at signing and never
    changes: variations are rows of their own, and the rate in force on a day is the
    schedule they make (`app.tenders.invoices.pricing`)."""

    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("hourly_rate_pence > 0", name="rate_positive"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
    )

    tender_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tender.id"), unique=True)
    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"), index=True)
    bid_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tender_bid.id"))
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("provider.id"), index=True)
    # The provider's name when the contract was signed: what invoices, statements and returns
    # show, whatever the provider is called later.
    provider_name: Mapped[str] = mapped_column(String(200))
    hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    status: Mapped[ContractStatus] = mapped_column(enum_column(ContractStatus))
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # The first day of care under it: the day it was signed, in Wales.
    start_date: Mapped[date]
    # Once an administrator ends it: its last day, and why. It reads `ended` from the day
    # after, when `ended_at` (the start of that day) is written.
    end_date: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[datetime | None]

    call_offs: Mapped[list["CallOff"]] = relationship(
        lazy="raise", order_by="CallOff.member_id", cascade="all, delete-orphan"
    )


class ContractVariation(UUIDPrimaryKey, Base):
    """A change of a contract's hourly rate from a day on: applied at once, or when the
    members' vote on it passes (rejected when it does not). Never changed after deciding."""

    __tablename__ = "contract_variation"
    __table_args__ = (
        CheckConstraint("hourly_rate_pence > 0", name="rate_positive"),
        Index("ix_contract_variation_contract_id_from_date", "contract_id", "from_date"),
        # One variation at a time waits for a vote on each contract.
        Index(
            "uq_contract_variation_pending",
            "contract_id",
            unique=True,
            postgresql_where=text("status = 'pending_vote'"),
            sqlite_where=text("status = 'pending_vote'"),
        ),
    )

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contract.id"))
    hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    from_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[VariationStatus] = mapped_column(enum_column(VariationStatus))
    proposal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]


class CallOff(UUIDPrimaryKey, Base):
    """The hours a week a member buys under a contract, fixed from their demand."""

    __tablename__ = "contract_call_off"
    __table_args__ = (
        UniqueConstraint("contract_id", "member_id"),
        CheckConstraint("hours_per_week BETWEEN 1 AND 168", name="hours_in_a_week"),
    )

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"), index=True)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    # The last day of care bought under it, once the member or an administrator ends it;
    # none while it runs.
    last_day: Mapped[date | None]


class Invoice(UUIDPrimaryKey, Base):
    __tablename__ = "invoice"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        Index("ix_invoice_contract_id_period_start", "contract_id", "period_start"),
    )

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contract.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[InvoiceStatus] = mapped_column(enum_column(InvoiceStatus))
    submitted_at: Mapped[datetime]
    submitted_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None]
    approval_transaction_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_transaction.id")
    )
    paid_at: Mapped[datetime | None]
    payment_transaction_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_transaction.id")
    )

    lines: Mapped[list["InvoiceLine"]] = relationship(
        lazy="raise", order_by="InvoiceLine.position", cascade="all, delete-orphan"
    )

    @property
    def total_pence(self) -> int:
        """What the invoice charges: every line not voided."""
        return sum(
            line.amount_pence for line in self.lines if line.status != InvoiceLineStatus.voided
        )


class InvoiceLine(UUIDPrimaryKey, Base):
    __tablename__ = "invoice_line"
    __table_args__ = (
        UniqueConstraint("invoice_id", "position"),
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[InvoiceLineStatus] = mapped_column(enum_column(InvoiceLineStatus))
    dispute_reason: Mapped[str | None] = mapped_column(Text)
    disputed_at: Mapped[datetime | None]
    disputed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[DisputeOutcome | None] = mapped_column(enum_column(DisputeOutcome))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
    resolved_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # The member (or their representative) agreed the line: it can no longer be disputed.
    accepted_at: Mapped[datetime | None]
    accepted_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    # The visits the line bills (none for a line typed by hand without them), in time order.
    visits: Mapped[list[Visit]] = relationship(
        lazy="raise", viewonly=True, order_by=(Visit.starts_at, Visit.id)
    )

    @property
    def visit_ids(self) -> list[uuid.UUID]:
        return [visit.id for visit in self.visits]
