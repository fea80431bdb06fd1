"""Tenders, demand, questions, bids and evaluation on the wire."""

import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar, Self

from pydantic import Field, field_validator, model_validator

from app.core.schemas import (
    AreaCodes,
    Day,
    Input,
    LongText,
    Moment,
    Output,
    Patch,
    PositivePence,
    Published,
    ShortText,
    WholeNumber,
)
from app.providers.models import ServiceType, WelshLanguage
from app.providers.schemas import MIN_HOURLY_RATE_PENCE
from app.tenders.models import (
    ContractStatus,
    VariationStatus,
)
from app.tenders.states import TenderStatus

WEIGHTS_TOTAL = 100
MAX_RATE_PENCE = 1_000_000
# A bid, like a listing, is at least £10 an hour (SPEC 19).
BidRate = Annotated[
    PositivePence,
    Field(
        ge=MIN_HOURLY_RATE_PENCE,
        le=MAX_RATE_PENCE,
        description="Pence an hour (at least 1,000, at most 1,000,000).",
    ),
]
Weight = Annotated[WholeNumber, Field(ge=0, le=WEIGHTS_TOTAL)]
HourlyRate = Annotated[
    PositivePence, Field(le=MAX_RATE_PENCE, description="Pence an hour (at most 1,000,000).")
]
StandstillDays = Annotated[
    WholeNumber,
    Field(ge=0, le=365, description="Calendar days between the award and the contract."),
]
Score = Annotated[WholeNumber, Field(ge=0, le=100)]


def check_weights(price_weight: int | None, quality_weight: int | None) -> None:
    if (
        price_weight is not None
        and quality_weight is not None
        and price_weight + quality_weight != WEIGHTS_TOTAL
    ):
        raise ValueError("price_weight and quality_weight must add up to exactly 100")


class TenderCreate(Input):
    title: ShortText
    description: LongText
    title_cy: ShortText | None = Field(default=None, description="The title in Welsh.")
    description_cy: LongText | None = Field(default=None, description="The description in Welsh.")
    service_type: ServiceType
    area_codes: AreaCodes = Field(
        description="Where the care is bought: some or all of the co-operative's areas."
    )
    max_hourly_rate_pence: HourlyRate
    welsh_language_required: WelshLanguage = Field(
        description="The least Welsh language offer a bid must make (none < some < full)."
    )
    price_weight: Weight
    quality_weight: Weight = Field(description="price_weight + quality_weight = 100.")
    submission_deadline: Moment = Field(
        description="Bids are taken until this moment; it must be in the future at publication."
    )
    standstill_days: StandstillDays

    @model_validator(mode="after")
    def _weights_add_up(self) -> Self:
        check_weights(self.price_weight, self.quality_weight)
        return self


TENDER_FIELDS = (
    "title",
    "description",
    "service_type",
    "area_codes",
    "max_hourly_rate_pence",
    "welsh_language_required",
    "price_weight",
    "quality_weight",
    "submission_deadline",
    "standstill_days",
)


class TenderUpdate(Patch):
    """Changes to a draft; what is left out stays. The weights must still add up to 100."""

    not_null: ClassVar[frozenset[str]] = frozenset(TENDER_FIELDS)

    title: ShortText | None = None
    description: LongText | None = None
    title_cy: ShortText | None = Field(
        default=None, description="The title in Welsh; null removes it."
    )
    description_cy: LongText | None = Field(
        default=None, description="The description in Welsh; null removes it."
    )
    service_type: ServiceType | None = None
    area_codes: AreaCodes | None = None
    max_hourly_rate_pence: HourlyRate | None = None
    welsh_language_required: WelshLanguage | None = None
    price_weight: Weight | None = None
    quality_weight: Weight | None = None
    submission_deadline: Moment | None = None
    standstill_days: StandstillDays | None = None

    @field_validator(*TENDER_FIELDS)
    @classmethod
    def _fields_cannot_be_cleared(cls, value: object) -> object:
        if value is None:
            raise ValueError("This field cannot be cleared.")
        return value


class DemandSummary(Output):
    total_hours_per_week: int = Field(
        description="Hours a week all members want, together (public: providers bid on it)."
    )
    members: Published = Field(
        description="How many members declared demand, a count of people under disclosure "
        "control: 1-7 suppressed, 8 or more rounded to the nearest 5, 0 stays 0."
    )


class AwardRead(Output):
    bid_id: uuid.UUID
    provider_id: uuid.UUID
    hourly_rate_pence: int
    awarded_at: datetime
    standstill_ends_at: datetime = Field(
        description="awarded_at + standstill_days calendar days; the contract may follow then."
    )


class TenderRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    title: str
    description: str
    title_cy: str | None
    description_cy: str | None
    service_type: ServiceType
    area_codes: list[str]
    max_hourly_rate_pence: int
    welsh_language_required: WelshLanguage
    price_weight: int
    quality_weight: int
    submission_deadline: datetime
    standstill_days: int
    status: TenderStatus
    created_at: datetime
    published_at: datetime | None
    bids_opened_at: datetime | None = Field(
        description="When bidding closed (the deadline) and the bids were opened."
    )
    cancelled_at: datetime | None
    cancellation_reason: str | None
    demand: DemandSummary
    award_proposal_id: uuid.UUID | None = Field(
        description="The members' vote on the proposed award, while it is open."
    )
    award_proposal_ids: list[uuid.UUID] = Field(
        description="Every members' vote on an award of this tender, the earliest first: "
        "rejected ones stay listed, so the decisions can be checked."
    )
    award: AwardRead | None = Field(description="The award, once made.")
    contract_id: uuid.UUID | None


class TenderCancel(Input):
    reason: LongText


class DemandSet(Input):
    hours_per_week: Annotated[
        WholeNumber,
        Field(ge=0, le=168, description="Hours a week you want to buy; 0 withdraws your demand."),
    ]


class DemandLineRead(Output):
    member_id: uuid.UUID
    hours_per_week: int


class DemandRead(DemandSummary):
    my_hours_per_week: int | None = Field(
        description="Your own demand (the holder's, for a representative); null if none."
    )
    lines: list[DemandLineRead] | None = Field(
        description="Every member's demand: for the co-operative's administrators only."
    )


class QuestionCreate(Input):
    question: LongText


class AnswerCreate(Input):
    answer: LongText


class QuestionRead(Output):
    id: uuid.UUID
    question: str
    answer: str | None
    answered_at: datetime | None


class BidFields(Input):
    hourly_rate_pence: BidRate
    capacity_hours_per_week: Annotated[WholeNumber, Field(ge=1, le=100_000)]
    quality_statement: LongText
    welsh_language: WelshLanguage


class BidCreate(BidFields):
    provider_id: uuid.UUID | None = Field(
        default=None,
        description="The provider bidding; may be left out by the staff of only one provider.",
    )


class BidRead(Output):
    id: uuid.UUID
    provider_id: uuid.UUID
    hourly_rate_pence: int
    capacity_hours_per_week: int
    quality_statement: str
    welsh_language: WelshLanguage
    quality_score: int | None
    submitted_at: datetime


class ScoreSet(Input):
    quality_score: Score


class EvaluationItem(Output):
    rank: int | None = Field(description="1 for the best bid; null while the bid is unscored.")
    bid_id: uuid.UUID
    provider_id: uuid.UUID
    hourly_rate_pence: int
    quality_score: int | None
    price_points: str = Field(examples=["60.00"], description="2 places, rounded half up.")
    quality_points: str | None = Field(examples=["26.77"])
    total_points: str | None = Field(examples=["86.77"])


class AwardCreate(Input):
    bid_id: uuid.UUID


class CallOffRead(Output):
    member_id: uuid.UUID
    hours_per_week: int
    last_day: date | None = Field(
        description="The last day of care bought under it, once ended; null while it runs."
    )


class CallOffEnd(Input):
    last_day: Day | None = Field(
        default=None,
        description="The last day of care to buy under the call-off: today or later "
        "(today when left out).",
    )


class VariationCreate(Input):
    hourly_rate_pence: HourlyRate
    from_date: Day = Field(
        description="The first day at the new rate: after every period already invoiced, "
        "within the contract."
    )
    reason: LongText


class VariationRead(Output):
    id: uuid.UUID
    hourly_rate_pence: int
    from_date: date
    status: VariationStatus = Field(
        description="applied: in force from from_date; pending_vote: waiting for the members' "
        "vote (proposal_id); rejected: the vote did not pass, so it never applied."
    )
    proposal_id: uuid.UUID | None = Field(
        description="The members' contract_variation proposal, when the rise needed a vote."
    )
    reason: str
    created_at: datetime
    decided_at: datetime | None = Field(
        description="When it applied or was rejected (the vote's close, for one voted on)."
    )


class ContractEnd(Input):
    last_day: Day = Field(
        description="The last day of care under the contract: today or later. Every call-off "
        "ends on it (or earlier, if it already ends earlier)."
    )
    reason: LongText


class ContractRead(Output):
    id: uuid.UUID
    tender_id: uuid.UUID
    coop_id: uuid.UUID
    provider_id: uuid.UUID
    provider_name: str = Field(
        description="The provider's name when the contract was signed; it does not follow a "
        "later change of name."
    )
    hourly_rate_pence: int = Field(
        description="The rate at signing; `variations` say what applies from later days."
    )
    call_offs: list[CallOffRead] = Field(
        description="Every member's call-off for administrators and the provider's staff; a "
        "member sees their own."
    )
    variations: list[VariationRead] = Field(
        description="Every change of rate asked for, by from_date then when it was asked."
    )
    status: ContractStatus = Field(
        description="active; ended from the day after end_date (care up to it may still be "
        "invoiced)."
    )
    start_date: date = Field(description="The first day of care: the day it was signed.")
    end_date: date | None = Field(description="Its last day, once an administrator ends it.")
    created_at: datetime
