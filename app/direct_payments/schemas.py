"""Direct Payment awards on the wire."""

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, StringConstraints, model_validator

from app.core.schemas import (
    VISIBLE_TEXT,
    AreaCode,
    Day,
    Input,
    Output,
    Pence,
    ShortText,
    WholeNumber,
)
from app.direct_payments.models import AwardStatus

WeeklyPence = Annotated[Pence, Field(ge=1, le=10_000_000)]
CouncilReference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=VISIBLE_TEXT),
]


class DirectPaymentSet(Input):
    area_code: AreaCode = Field(description="The council that pays the Direct Payment.")
    weekly_amount_pence: WeeklyPence
    start_date: Day = Field(
        description="The version starts on this day; its four-week payment cycles are "
        "counted from it."
    )
    end_date: Day | None = Field(default=None, description="Last day in force (inclusive).")
    assessed_hours_per_week: Annotated[WholeNumber, Field(ge=1, le=168)] | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class CycleRead(Output):
    number: int = Field(description="0 for the cycle that starts on start_date.")
    first_day: date
    last_day: date
    allowance_pence: int = Field(description="Four times the weekly amount.")
    contributed_pence: int = Field(
        description="Direct Payment money contributed in this cycle, across all co-ops (top-ups "
        "and client contributions do not count)."
    )
    remaining_pence: int


class AwardVersionRead(Output):
    id: uuid.UUID
    area_code: str
    weekly_amount_pence: int
    start_date: date
    end_date: date | None
    assessed_hours_per_week: int | None
    council_reference: str | None
    status: AwardStatus = Field(
        description="`declared` by the holder, `confirmed` or `rejected` by the paying "
        "council. Declared and confirmed versions are in force between their dates."
    )
    confirmed_at: datetime | None
    rejected_at: datetime | None
    rejection_reason: str | None = Field(description="The council's reason, when rejected.")
    created_at: datetime
    updated_at: datetime


class DirectPaymentRead(AwardVersionRead):
    current_cycle: CycleRead | None = Field(
        default=None,
        description="Today's cycle (a day in Wales); null when the version is not in force.",
    )


class CouncilAwardRead(AwardVersionRead):
    holder_user_id: uuid.UUID
    holder_name: str


class AwardConfirm(Input):
    weekly_amount_pence: WeeklyPence | None = Field(
        default=None, description="The amount the council pays, where it differs."
    )
    council_reference: CouncilReference | None = None


class AwardReject(Input):
    reason: ShortText
