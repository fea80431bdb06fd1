"""Audit entries on the wire."""

import uuid
from datetime import datetime
from typing import Any

from app.core.schemas import Output


class AuditEntryRead(Output):
    seq: int
    at: datetime
    actor_user_id: uuid.UUID | None
    on_behalf_of_user_id: uuid.UUID | None
    coop_id: uuid.UUID | None
    action: str
    subject_type: str
    subject_id: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


class AuditVerification(Output):
    ok: bool
    entries_checked: int
    first_bad_seq: int | None
