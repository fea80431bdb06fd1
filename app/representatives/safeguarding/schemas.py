"""Safeguarding concerns on the wire."""

import uuid
from datetime import datetime

from pydantic import Field

from app.core.schemas import Input, LongText, Output


class ConcernCreate(Input):
    member_id: uuid.UUID = Field(description="The member the concern is about.")
    summary: LongText = Field(
        description="What you saw or heard, and when. Facts, not conclusions: the "
        "co-op's safeguarding leads read it."
    )


class ConcernRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    member_id: uuid.UUID
    raised_by_user_id: uuid.UUID
    summary: str
    raised_at: datetime
