"""Shared services, subscriptions and support requests on the wire."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from app.core.schemas import (
    MONTH_PATTERN,
    Input,
    LongText,
    Output,
    Pence,
    ShortText,
)
from app.support.models import Priority, SupportCategory, SupportStatus

MAX_MONTHLY_FEE_PENCE = 10_000_000


class SupportServiceCreate(Input):
    name: ShortText
    category: SupportCategory
    description: LongText
    monthly_fee_pence: Annotated[
        Pence,
        Field(
            ge=0,
            le=MAX_MONTHLY_FEE_PENCE,
            description="What the service costs the co-op a month, shared among its subscribers "
            "(at most 10,000,000).",
        ),
    ]


class SupportServiceRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    name: str
    category: SupportCategory
    description: str
    monthly_fee_pence: int
    created_at: datetime
    subscribed: bool = Field(
        description="Whether you (the holder, for a representative) are subscribed today."
    )
    subscriber_count: int = Field(description="Members subscribed today.")


class SubscriptionRead(Output):
    """One period of a member's subscription; both dates are inclusive."""

    id: uuid.UUID
    service_id: uuid.UUID
    member_id: uuid.UUID
    started_on: date = Field(description="The first day subscribed (a day in Wales).")
    ended_on: date | None = Field(
        description="The last day subscribed (a day in Wales); null while the subscription runs."
    )


class SupportRequestCreate(Input):
    category: SupportCategory
    subject: ShortText
    body: LongText
    priority: Priority = Priority.normal


class SupportRequestUpdate(Input):
    """What to change; a field left out (or a null `status`) stays as it is. A null
    `assignee_member_id` takes the request off whoever had it."""

    status: SupportStatus | None = None
    assignee_member_id: uuid.UUID | None = None


class SupportCommentCreate(Input):
    body: LongText


class SupportCommentRead(Output):
    id: uuid.UUID
    number: int = Field(description="1 for the first comment on the request, then 2, 3...")
    author_member_id: uuid.UUID = Field(description="The member the comment speaks for.")
    written_by_user_id: uuid.UUID = Field(
        description="Who wrote it: the member, or their representative."
    )
    body: str
    created_at: datetime


class SupportRequestRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    requester_member_id: uuid.UUID
    raised_by_user_id: uuid.UUID = Field(
        description="Who raised it: the member, or their representative."
    )
    category: SupportCategory
    subject: str
    body: str
    priority: Priority
    status: SupportStatus
    assignee_member_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None


class SupportRequestDetail(SupportRequestRead):
    comments: list[SupportCommentRead] = Field(description="Oldest first.")


class ChargeCreate(Input):
    period: str = Field(
        pattern=MONTH_PATTERN,
        description="The calendar month charged, `YYYY-MM`: this month or an earlier one.",
        examples=["2026-03"],
    )
    amount_pence: (
        Annotated[
            Pence,
            Field(
                ge=1,
                le=MAX_MONTHLY_FEE_PENCE,
                description="What to charge (default: the service's `monthly_fee_pence`).",
            ),
        ]
        | None
    ) = None


class CareBoughtRead(Output):
    service_type: str | None = Field(
        description="The kind of care, when known (null when the provider offers several)."
    )
    provider_id: uuid.UUID
    provider_name: str | None
    amount_pence: int


class CareMovementRead(Output):
    """One payment for care out of the member's account, with what it paid for."""

    transaction_id: uuid.UUID
    at: datetime
    amount_pence: int = Field(
        description="Care bought, positive; a reversal of care bought is negative. They sum "
        "to `care_total_pence`."
    )
    invoice_id: uuid.UUID | None = Field(
        description="The provider's invoice it paid (for a reversal, the one it took back)."
    )
    provider_name: str | None = Field(description="The provider, as named in the contract.")


class ContributionsBySource(Output):
    """Contributions by whose money they were: only Direct Payment money is the council's."""

    direct_payment_pence: int
    top_up_pence: int
    client_contribution_pence: int


class DirectPaymentReturnRead(Output):
    """The Direct Payment monitoring return: closing = opening + contributions - care - shared
    charges - payroll - refunds."""

    member_id: uuid.UUID
    period: str | None = Field(
        description="The period asked for (`YYYY-MM`, `YYYY-Qn` or `FYyyyy`); null when asked "
        "by `from` and `to`."
    )
    from_date: date = Field(serialization_alias="from", description="First day (inclusive).")
    to_date: date = Field(serialization_alias="to", description="Last day (inclusive).")
    opening_balance_pence: int
    contributions_pence: int = Field(description="Every contribution, whatever its source.")
    contributions_by_source: ContributionsBySource = Field(
        description="`contributions_pence` by source: the holder's Direct Payment, their "
        "top-ups and client contributions."
    )
    care_bought: list[CareBoughtRead] = Field(description="Care paid for, by provider.")
    care_movements: list[CareMovementRead] = Field(
        description="Each payment for care, oldest first, naming its invoice and provider."
    )
    care_total_pence: int
    shared_charges_pence: int
    payroll_pence: int = Field(
        description="Personal assistants' pay: what the holder's payroll cost them (gross pay, "
        "employer's NI and employer's pension)."
    )
    refunds_pence: int = Field(description="Refunds, including the refund on leaving.")
    closing_balance_pence: int
    weeks_of_budget_held: str | None = Field(
        description="Closing balance over the weekly award, 1 place; null without an award."
    )
    surplus: bool | None = Field(
        description="More weeks held than the paying council's `surplus_weeks` (its monitoring "
        "profile; 8 unless set); null without an award."
    )
