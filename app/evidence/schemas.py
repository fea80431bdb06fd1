"""Council access and the evidence pack on the wire."""

import uuid
from datetime import date, datetime

from pydantic import Field

from app.core.schemas import ClockTimeRead, Day, Input, Output
from app.ledger.models import ContributionSource, TransactionKind
from app.tenders.visits.models import ConfirmedBy


class CouncilAccessCreate(Input):
    coop_id: uuid.UUID = Field(description="The co-op whose membership's evidence to share.")
    until: Day | None = Field(
        default=None,
        description="The last day (in Wales, inclusive) the council may read it; left out, "
        "until you end the grant. Today or later.",
    )


class CouncilAccessRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    member_id: uuid.UUID
    area_code: str = Field(description="The council that may read: the one paying your award.")
    granted_at: datetime
    until: date | None = Field(description="The last day it lasts (inclusive); null: no end.")
    ended_at: datetime | None = Field(description="When it was ended; null while not ended.")
    in_force: bool = Field(description="Whether the council may read the evidence now.")


class CouncilHolderRead(Output):
    """A holder who lets this council read one membership's evidence."""

    grant_id: uuid.UUID
    member_id: uuid.UUID
    coop_id: uuid.UUID
    coop_name: str
    holder_name: str
    council_reference: str | None = Field(
        description="The council's own reference of the holder's award version in force today."
    )
    granted_at: datetime
    until: date | None


class VisitEvidenceRead(Output):
    date: date
    start_time: ClockTimeRead = Field(description="HH:MM in Europe/London.")
    end_time: ClockTimeRead = Field(
        description="HH:MM; at or before `start_time` means the next day."
    )
    minutes: int
    worker_name: str
    confirmed_by: ConfirmedBy | None


class PayrollEvidenceRead(Output):
    employment_id: uuid.UUID
    worker_name: str
    period_start: date
    period_end: date
    minutes: int = Field(description="The minutes on the confirmed timesheet exported.")
    gross_pence: int
    employer_ni_pence: int
    employer_pension_pence: int
    share_pence: int = Field(
        description="What this member paid of the line's cost (all of it for their own "
        "employee; their share by minutes for one of the co-op's)."
    )


class MovementEvidenceRead(Output):
    transaction_id: uuid.UUID
    at: datetime
    kind: TransactionKind
    source: ContributionSource | None = Field(
        description="A contribution's source; null on every other kind."
    )
    amount_pence: int = Field(description="Positive into the member's account, negative out.")
    memo: str
    invoice_id: uuid.UUID | None = Field(
        description="A payment for care (or its reversal): the invoice it paid."
    )
    provider_name: str | None = Field(
        description="A payment for care (or its reversal): the provider, as contracted."
    )
    visits: list[VisitEvidenceRead] = Field(
        description="A payment for care: every visit behind it (on the member's lines of the "
        "invoice), in the order they happened. Empty on anything else, and on a reversal."
    )
    charge_id: uuid.UUID | None = Field(
        description="A shared support charge (or its reversal): the charge."
    )
    bank_line_id: uuid.UUID | None = Field(
        description="The line of the co-op's bank statement matched to this movement, once "
        "bank statements are matched; null otherwise."
    )
    payroll_lines: list[PayrollEvidenceRead] = Field(
        default_factory=list,
        description="A payroll payment: each employment's line of the bureau's results it paid "
        "for (the timesheet's minutes and the pay figures). Empty on anything else.",
    )


class EvidenceTotals(Output):
    """Closing = opening + contributions - care - shared charges - payroll - refunds, to the
    penny. A reversal counts with the kind it reverses."""

    contributions_pence: int
    care_total_pence: int
    shared_charges_pence: int
    payroll_pence: int
    refunds_pence: int = Field(description="Refunds, including the refund on leaving.")


class EvidenceRead(Output):
    member_id: uuid.UUID
    holder_name: str
    council_reference: str | None = Field(
        description="The council's reference of the latest award version in force in the "
        "period; null when it has none."
    )
    coop_name: str
    from_date: date = Field(serialization_alias="from", description="First day (inclusive).")
    to_date: date = Field(serialization_alias="to", description="Last day (inclusive).")
    opening_balance_pence: int
    movements: list[MovementEvidenceRead]
    closing_balance_pence: int
    totals: EvidenceTotals
