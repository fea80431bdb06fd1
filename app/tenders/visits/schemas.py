"""Visits on the wire."""

import datetime as dt
import uuid

from pydantic import Field

from app.core.schemas import ClockTime, ClockTimeRead, Day, Input, LongText, Output, ShortText
from app.tenders.visits.models import ConfirmedBy, VisitOutcome, VisitStatus


class VisitCreate(Input):
    member_id: uuid.UUID
    date: Day = Field(description="The day the visit began (Wales); not after today.")
    start_time: ClockTime
    end_time: ClockTime = Field(
        description="At or before start_time: the next day (a night visit, at most 24 hours). "
        "The visit must have ended by now."
    )
    worker_name: ShortText = Field(description="Who gave the care.")
    notes: LongText | None = None


class VisitRead(Output):
    id: uuid.UUID
    contract_id: uuid.UUID
    member_id: uuid.UUID
    date: dt.date
    start_time: ClockTimeRead
    end_time: ClockTimeRead
    starts_at: dt.datetime = Field(description="The start as an instant.")
    ends_at: dt.datetime = Field(description="The end as an instant (exclusive).")
    minutes: int = Field(description="Between the two instants: clock changes count.")
    worker_name: str
    notes: str | None
    status: VisitStatus
    confirmed_by: ConfirmedBy | None
    confirmed_at: dt.datetime | None = Field(
        description="When it was confirmed; for `auto`, the moment the co-op's "
        "`visit_confirm_hours` ran out."
    )
    query_reason: str | None
    queried_at: dt.datetime | None
    resolution_note: str | None
    resolved_at: dt.datetime | None
    recorded_at: dt.datetime
    invoice_id: uuid.UUID | None = Field(
        description="The invoice whose line bills it (a rejected visit keeps the invoice "
        "whose upheld dispute rejected it)."
    )


class VisitQueryCreate(Input):
    reason: LongText


class VisitResolutionCreate(Input):
    outcome: VisitOutcome = Field(
        description="confirmed: the visit may be invoiced; rejected: it counts for nothing."
    )
    note: LongText
