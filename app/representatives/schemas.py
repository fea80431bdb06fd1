"""Mandates and approvals on the wire."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool

from app.core.schemas import Email, Input, Output, Pence
from app.representatives.models import (
    ApprovalStatus,
    CapacityChangeStatus,
    Mandate,
    MandateRole,
    MandateScope,
    MandateStatus,
)


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
    role: MandateRole = Field(
        default=MandateRole.helper,
        description="In what capacity they act: `helper` by your leave (the default), or with "
        "standing in law (`suitable_person`, `lpa_property_financial`, `deputy`, `parent`). "
        "Only a mandate of a role other than `helper` can be named to approve for you if you "
        "are marked as lacking capacity.",
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
    role: MandateRole
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
            role=mandate.role,
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
    role: MandateRole
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
    holder: HolderRead = Field(description="Whose approval this is, whoever decides it.")
    requested_by: RequesterRead
    created_at: datetime
    decided_at: datetime | None
    decided_by_user_id: uuid.UUID | None = Field(
        description="Who decided: the holder, their named approver, or the second administrator."
    )


class CapacityChangeCreate(Input):
    lacks_capacity: StrictBool = Field(
        description="True: the member cannot decide for themselves; false: lift the mark."
    )
    approver_mandate_id: uuid.UUID | None = Field(
        default=None,
        description="With `lacks_capacity: true`: an active mandate the member gave, of a "
        "role other than `helper`, whose representative approves for them. Left out, two "
        "administrators approve.",
    )


class CapacityChangeRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    member_id: uuid.UUID
    lacks_capacity: bool
    approver_mandate_id: uuid.UUID | None
    status: CapacityChangeStatus = Field(
        description="`pending` until a second, different administrator asks for the same; "
        "`applied` once in force; `superseded` when a different request replaced it."
    )
    requested_by_user_id: uuid.UUID
    requested_at: datetime
    decided_by_user_id: uuid.UUID | None
    decided_at: datetime | None
