"""Areas on the wire."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.areas.models import MonitoringPeriod
from app.core.schemas import Input, Output, WholeNumber


class AreaRead(Output):
    code: str
    name_en: str
    name_cy: str
    health_board_code: str
    health_board_name_en: str
    health_board_name_cy: str


class MonitoringProfileWrite(Input):
    period: MonitoringPeriod = Field(description="How often the council asks for a return.")
    surplus_weeks: Annotated[WholeNumber, Field(ge=1, le=52)] = Field(
        description="A balance above this many weeks of the holder's award is a surplus."
    )
    first_review_weeks: Annotated[WholeNumber, Field(ge=1, le=104)] = Field(
        description="Weeks from a new award to the council's first review of it."
    )


class MonitoringProfileRead(Output):
    area_code: str
    period: MonitoringPeriod
    surplus_weeks: int
    first_review_weeks: int
    is_default: bool = Field(description="True while the council has never set its profile.")
    updated_at: datetime | None = Field(description="When it was last set; null while default.")
