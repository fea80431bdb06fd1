"""Invoices and their lines on the wire."""

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, StrictBool, model_validator

from app.core.schemas import Day, Distinct, Input, LongText, Output, ShortText, WholeNumber
from app.tenders.models import DisputeOutcome, InvoiceLineStatus, InvoiceStatus

MAX_INVOICE_LINES = 500
MAX_LINE_VISITS = 500


class InvoiceLineCreate(Input):
    member_id: uuid.UUID
    minutes: Annotated[
        WholeNumber | None,
        Field(
            ge=1,
            le=100_000,
            description="Minutes of care. Required for a line without visits; with "
            "`visit_ids`, it may be left out and must otherwise be their minutes exactly.",
        ),
    ] = None
    description: ShortText
    visit_ids: Annotated[
        list[uuid.UUID],
        Field(
            max_length=MAX_LINE_VISITS,
            description="The member's confirmed visits in the period that this line bills; "
            "each visit is invoiced once.",
        ),
        *Distinct,
    ] = Field(default_factory=list)


class InvoiceCreate(Input):
    period_start: Day
    period_end: Day = Field(description="Inclusive; not before period_start.")
    lines: Annotated[
        list[InvoiceLineCreate] | None,
        Field(
            min_length=1,
            max_length=MAX_INVOICE_LINES,
            description="The lines, typed by hand; left out with `from_visits`.",
        ),
    ] = None
    from_visits: StrictBool = Field(
        default=False,
        description="Build the lines from the confirmed visits in the period not yet "
        "invoiced: one line per member (no `lines` then).",
    )

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
    visit_ids: list[uuid.UUID] = Field(
        description="The visits the line bills, in time order (empty for a line typed by "
        "hand without them)."
    )
    accepted_at: datetime | None = Field(
        description="When the member (or a representative) accepted the line: it can no "
        "longer be disputed."
    )


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
