"""The councils' summary and the Wales table, as published."""

from datetime import date

from pydantic import Field

from app.core.schemas import Output
from app.providers.models import ServiceType


class Published(Output):
    """A figure about people or their money under disclosure control: `value` is null
    exactly when `suppressed` (1-7 people; money drawn from fewer than 8 people)."""

    value: int | None
    suppressed: bool


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
    holders_pooling: Published
    contributions_pence: Published
    coops_active: int
    tenders_awarded: int
    gaps: int


class WalesTable(Output):
    items: list[WalesRow]
    next_cursor: str | None = None
