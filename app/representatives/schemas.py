"""Mandates and approvals on the wire."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from app.core.schemas import Email, Input, Output, Pence
from app.representatives.models import ApprovalStatus, MandateScope


def _no_repeats(scopes: list[MandateScope]) -> list[MandateScope]:
    if len(set(scopes)) != len(scopes):
        raise ValueError("each scope may be named once")
    return scopes


class MandateCreate(Input):
    email: Email = Field(
        min_length=3, description="The e-mail of the user you trust to act for you."
    )
    scopes: Annotated[
        list[MandateScope],
        Field(min_length=1, json_schema_extra={"uniqueItems": True}),
        AfterValidator(_no_repeats),
    ]
    limit_pence_per_cycle: Annotated[Pence, Field(ge=0, le=1_000_000_000)] = Field(
        description="The most the representative may move for you in one four-week cycle."
    )


class PersonRead(Output):
    id: uuid.UUID
    full_name: str
    email: str


class MandateRead(Output):
    id: uuid.UUID
    representative: PersonRead
    scopes: list[MandateScope]
    limit_pence_per_cycle: int
    created_at: datetime
    revoked_at: datetime | None


class RequesterRead(Output):
    id: uuid.UUID
    full_name: str


class ApprovalRead(Output):
    id: uuid.UUID
    kind: str = Field(description='What waits, e.g. "refund".')
    subject_id: uuid.UUID = Field(description="The id of what waits (a refund's id, for one).")
    coop_id: uuid.UUID | None
    status: ApprovalStatus
    requested_by: RequesterRead
    created_at: datetime
    decided_at: datetime | None
