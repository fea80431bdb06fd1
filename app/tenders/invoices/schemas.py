"""Invoices and their lines on the wire."""

import uuid
from datetime import date
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.core.schemas import Day, Input, LongText, Output, ShortText, WholeNumber
from app.tenders.models import DisputeOutcome, InvoiceLineStatus, InvoiceStatus

MAX_INVOICE_LINES = 500


class InvoiceLineCreate(Input):
    member_id: uuid.UUID
    minutes: Annotated[WholeNumber, Field(ge=1, le=100_000, description="Minutes of care.")]
    description: ShortText


class InvoiceCreate(Input):
    period_start: Day
    period_end: Day = Field(description="Inclusive; not before period_start.")
    lines: Annotated[list[InvoiceLineCreate], Field(min_length=1, max_length=MAX_INVOICE_LINES)]

    @model_validator(mode="after")
    def _period_in_order(self) -> Self:
        if self.period_end < self.period_start:
            raise ValueError("period_end must not be before period_start")
        return self


class InvoiceLineRead(Output):
    id: uuid.UUID
    member_id: uuid.UUID
    minutes: int
    description: str
    amount_pence: int = Field(
        description="(r x minutes + 30) // 60 at the rate r in force over the period."
    )
    status: InvoiceLineStatus


class InvoiceRead(Output):
    id: uuid.UUID
    contract_id: uuid.UUID
    provider_name: str = Field(description="The provider, named as when the contract was signed.")
    period_start: date
    period_end: date
    status: InvoiceStatus
    total_pence: int = Field(
        description="The lines not voided (for a member: their own lines, the only ones shown)."
    )
    lines: list[InvoiceLineRead]


class DisputeCreate(Input):
    reason: LongText


class ResolutionCreate(Input):
    outcome: DisputeOutcome = Field(
        description="upheld: the line is voided and not charged; rejected: it stands."
    )
    note: LongText
