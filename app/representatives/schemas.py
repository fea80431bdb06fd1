"""Mandates and approvals on the wire."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field

from app.core.schemas import Email, Input, Output, Pence
from app.representatives.models import ApprovalStatus, Mandate, MandateScope, MandateStatus


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
    """A mandate as its holder sees it: until the representative accepts, only the address
    the holder gave (whether or not anyone has an account with it)."""

    id: uuid.UUID
    email: str = Field(description="The address you gave, normalised.")
    status: MandateStatus
    representative: PersonRead | None = Field(
        description="Who holds the mandate: null until they accept it."
    )
    scopes: list[MandateScope]
    limit_pence_per_cycle: int
    created_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, mandate: Mandate) -> "MandateRead":
        accepted = mandate.accepted_at is not None and mandate.representative is not None
        return cls(
            id=mandate.id,
            email=mandate.email,
            status=mandate.status,
            representative=PersonRead.model_validate(mandate.representative) if accepted else None,
            scopes=[MandateScope(scope) for scope in mandate.scopes],
            limit_pence_per_cycle=mandate.limit_pence_per_cycle,
            created_at=mandate.created_at,
            accepted_at=mandate.accepted_at,
            revoked_at=mandate.revoked_at,
        )


class HolderRead(Output):
    id: uuid.UUID
    full_name: str


class RepresentingRead(Output):
    """A mandate someone gave you: accept it before it works (`status: "invited"`)."""

    id: uuid.UUID
    status: MandateStatus
    holder: HolderRead
    scopes: list[MandateScope]
    limit_pence_per_cycle: int
    created_at: datetime
    accepted_at: datetime | None


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
