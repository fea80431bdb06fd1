"""The councils' summary and the Wales table, as published."""

from datetime import date

from pydantic import Field

from app.core.schemas import Output, Published
from app.providers.models import ServiceType


class SpendByServiceType(Output):
    service_type: ServiceType
    holders: Published
    spend_pence: Published


class ProvidersByServiceType(Output):
    service_type: ServiceType
    providers: int
    welsh_language_providers: int
    gap: bool


class AwardsSummary(Output):
    """Holders this council pays with an award version in force during the period, each
    counted once by the status of their latest such version (people, under disclosure
    control)."""

    declared: Published = Field(description="Waiting for the council to confirm.")
    confirmed: Published


class AreaSummary(Output):
    area_code: str
    from_date: date = Field(serialization_alias="from")
    to_date: date = Field(serialization_alias="to")
    holders_pooling: Published
    contributions_pence: Published
    awards: AwardsSummary
    spend_by_service_type: list[SpendByServiceType]
    coops_active: int
    contracted_average_hourly_rate_pence: int | None
    listed_average_hourly_rate_pence: int | None
    saving_percent: str | None = Field(description="(listed - contracted) / listed x 100, 1 place.")
    tenders: dict[str, int]
    providers_by_service_type: list[ProvidersByServiceType]


class WalesRow(Output):
    area_code: str
    name_en: str
    name_cy: str
    from_date: date = Field(
        serialization_alias="from", description="The first day counted (the first of a month)."
    )
    to_date: date = Field(
        serialization_alias="to",
        description="The last day counted: the last day of the month before this one.",
    )
    holders_pooling: Published = Field(
        description="Distinct holders paid by this council with a contribution in the period."
    )
    contributions_pence: Published = Field(
        description="What they paid in, rounded half up to the nearest £100 (10,000 pence)."
    )
    coops_active: int = Field(
        description="Co-operatives serving the area with a contribution in the period."
    )
    tenders_awarded: int = Field(
        description="Tenders buying care in the area, published in the period and awarded in it."
    )
    gaps: int = Field(
        description="Service types no verified provider offered in the area when the table "
        "was made."
    )


class WalesTable(Output):
    items: list[WalesRow]
    next_cursor: str | None = None
