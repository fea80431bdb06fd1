"""Direct Payment awards on the wire."""

from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from app.core.schemas import AreaCode, Day, Input, Output, Pence, WholeNumber


class DirectPaymentSet(Input):
    area_code: AreaCode = Field(description="The council that pays the Direct Payment.")
    weekly_amount_pence: Annotated[Pence, Field(ge=1, le=10_000_000)]
    start_date: Day = Field(description="Four-week payment cycles are counted from this day.")
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
    contributed_pence: int = Field(description="Contributed in this cycle, across all co-ops.")
    remaining_pence: int


class DirectPaymentRead(Output):
    area_code: str
    weekly_amount_pence: int
    start_date: date
    end_date: date | None
    assessed_hours_per_week: int | None
    created_at: datetime
    updated_at: datetime
    current_cycle: CycleRead | None = Field(
        default=None,
        description="Today's cycle (a day in Wales); null when the award is not in force.",
    )
