"""Proposals and votes on the wire."""

import uuid
from datetime import datetime

from pydantic import Field

from app.core.schemas import Input, LongText, Moment, Output, ShortText
from app.governance.models import ProposalKind, ProposalStatus
from app.governance.tally import VoteChoice


class ProposalCreate(Input):
    title: ShortText
    body: LongText
    closes_at: Moment = Field(description="When voting ends; must be in the future.")


class VoteCast(Input):
    choice: VoteChoice


class TallyRead(Output):
    electorate: int = Field(description="Active members when the proposal opened.")
    yes: int
    no: int
    abstain: int
    yes_share: str = Field(
        description="Decimal string, 4 places, rounded half up.", examples=["0.6667"]
    )


class ProposalRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    kind: ProposalKind
    subject_id: uuid.UUID | None = Field(description="What an award_tender proposal is about.")
    title: str
    body: str
    status: ProposalStatus
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    tally: TallyRead | None = Field(description="Null until the proposal closes.")
    my_vote: VoteChoice | None = Field(
        default=None, description="Your current vote (the holder's, for a representative)."
    )
