"""Workers, employments, timesheets and payroll on the wire."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from app.core.schemas import Day, Email, Input, Output, Pence, ShortText, WholeNumber
from app.employment.models import EmployerKind, TimesheetStatus
from app.employment.periods import PayFrequency
from app.providers.schemas import HourlyRate

MINUTES_IN_A_DAY = 24 * 60
# A month of days, each split between several holders, is far below this.
MAX_ENTRIES = 500
MAX_RESULT_LINES = 10_000
MAX_PAYROLL_PENCE = 100_000_000


class WorkerCreate(Input):
    full_name: ShortText
    email: Email | None = Field(
        default=None,
        description="When an account has this address, the worker is linked to it and may keep "
        "their own timesheets.",
    )


class WorkerRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    full_name: str
    email: str | None
    user_id: uuid.UUID | None = Field(
        description="The worker's account, when their e-mail address belonged to one when they "
        "were added."
    )
    created_at: datetime


class EmploymentCreate(Input):
    worker_id: uuid.UUID
    employer_kind: EmployerKind
    employer_member_id: uuid.UUID | None = Field(
        default=None,
        description="The holder who employs, for `employer_kind: member` (default: you); "
        "never given for the co-op.",
    )
    hourly_rate_pence: HourlyRate
    contracted_hours_per_week: Annotated[WholeNumber, Field(ge=0, le=168)]
    pay_frequency: PayFrequency
    first_period_start: Day = Field(
        description="The first day of the first pay period (the 1st of a month when monthly)."
    )


class EmploymentRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    worker_id: uuid.UUID
    worker_name: str
    employer_kind: EmployerKind
    employer_member_id: uuid.UUID | None
    hourly_rate_pence: int
    contracted_hours_per_week: int
    pay_frequency: PayFrequency
    first_period_start: date
    created_at: datetime


class EntryWrite(Input):
    date: Day = Field(description="The day worked, within the pay period and not after today.")
    minutes: Annotated[WholeNumber, Field(ge=1, le=MINUTES_IN_A_DAY)] = Field(
        description="Minutes worked; a day's entries add up to at most 24 hours."
    )
    member_id: uuid.UUID | None = Field(
        default=None,
        description="For the co-op's employees: the member the work was for (required). For a "
        "holder's own employee it is the holder, and may be left out.",
    )


class TimesheetWrite(Input):
    entries: Annotated[list[EntryWrite], Field(max_length=MAX_ENTRIES)]


class EntryRead(Output):
    date: date
    minutes: int
    member_id: uuid.UUID | None


class TimesheetRead(Output):
    id: uuid.UUID
    employment_id: uuid.UUID
    period_start: date
    period_end: date
    status: TimesheetStatus
    revision: int = Field(description="1 for the first entries; each change adds one.")
    total_minutes: int
    entries: list[EntryRead]
    submitted_at: datetime
    submitted_by_user_id: uuid.UUID
    confirmed_at: datetime | None
    confirmed_by_user_id: uuid.UUID | None
    exported: bool = Field(description="The period's payroll is exported: no more changes.")


ResultPence = Annotated[Pence, Field(ge=0, le=MAX_PAYROLL_PENCE)]


class ResultLine(Input):
    employment_id: uuid.UUID
    gross_pence: ResultPence
    employer_ni_pence: ResultPence
    employer_pension_pence: ResultPence
    net_pence: ResultPence


class PayrollResultsCreate(Input):
    lines: Annotated[list[ResultLine], Field(min_length=1, max_length=MAX_RESULT_LINES)]


class ShareRead(Output):
    member_id: uuid.UUID
    minutes: int
    amount_pence: int


class ResultLineRead(Output):
    employment_id: uuid.UUID
    gross_pence: int
    employer_ni_pence: int
    employer_pension_pence: int
    net_pence: int
    cost_pence: int = Field(description="gross + employer NI + employer pension.")
    transaction_id: uuid.UUID | None = Field(description="Null for a cost of 0.")
    shares: list[ShareRead] = Field(description="Who paid the cost, and for how many minutes.")


class PayrollResultRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    period_start: date
    posted_at: datetime
    transaction_ids: list[uuid.UUID] = Field(
        description="The `payroll` ledger transactions: one per holder employing, one for the "
        "co-op's employees."
    )
    lines: list[ResultLineRead]
