"""Compliance records on the wire."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from app.compliance.models import ComplianceKind, ComplianceState, SubjectKind
from app.core.schemas import Day, Input, Output, ShortText

Sha256 = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[0-9a-fA-F]{64}$"),
    AfterValidator(str.lower),
    Field(
        description="The SHA-256 of the document as 64 hexadecimal digits (kept in lower case), "
        "so a copy held elsewhere can be matched to the record; the document itself is not "
        "stored here."
    ),
]


class ComplianceRecordCreate(Input):
    subject_kind: SubjectKind
    subject_id: uuid.UUID = Field(
        description="A membership of this co-op (`member`), a worker of this co-op (`worker`) "
        "or a verified provider serving at least one of the co-op's areas (`provider`)."
    )
    kind: ComplianceKind
    reference: ShortText = Field(
        description="The certificate, policy or registration number, or a course's name."
    )
    issued_on: Day = Field(description="The day the document was issued: today or earlier.")
    expires_on: Day | None = Field(
        default=None,
        description="The last day the document is good for, after `issued_on`; leave it out "
        "for a document that does not expire.",
    )
    document_sha256: Sha256 | None = None


class ComplianceRecordRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    subject_kind: SubjectKind
    subject_id: uuid.UUID
    kind: ComplianceKind
    reference: str
    issued_on: date
    expires_on: date | None
    document_sha256: str | None
    recorded_at: datetime
    recorded_by_user_id: uuid.UUID
    state: ComplianceState = Field(
        description="On today's date in Wales: `lapsed` after `expires_on`, `expiring` within "
        "30 days of it (the day itself included), else `current` (also when it never expires)."
    )
    in_force: bool = Field(
        description="Whether this is the last record filed for its subject and kind, the one "
        "that counts; an earlier one has been renewed or corrected by a later record."
    )


STORED_FIELDS = tuple(
    name for name in ComplianceRecordRead.model_fields if name not in {"state", "in_force"}
)


def record_read(record: object, *, state: ComplianceState, in_force: bool) -> ComplianceRecordRead:
    stored = {name: getattr(record, name) for name in STORED_FIELDS}
    return ComplianceRecordRead.model_validate({**stored, "state": state, "in_force": in_force})
