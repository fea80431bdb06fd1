"""Proposals and votes on the wire."""

import uuid
from datetime import datetime

from pydantic import Field

from app.coops.models import MemberClass
from app.core.schemas import Input, LongText, Moment, Output, ShortText
from app.governance.models import ProposalKind, ProposalStatus
from app.governance.tally import VoteChoice


class ProposalCreate(Input):
    title: ShortText
    body: LongText
    closes_at: Moment = Field(description="When voting ends; must be in the future.")


class VoteCast(Input):
    choice: VoteChoice


class ClassTallyRead(Output):
    yes: int
    no: int
    abstain: int
    weight: int | None = Field(
        description="The class's weight in this vote under class_weighted voting (0 for a "
        "class the weights leave out); null under one_member_one_vote."
    )


class TallyRead(Output):
    electorate: int = Field(description="Active members when the proposal opened.")
    yes: int
    no: int
    abstain: int
    yes_share: str = Field(
        description="Decimal string, 4 places, rounded half up.", examples=["0.6667"]
    )
    by_class: dict[MemberClass, ClassTallyRead] = Field(
        description="The counts by the class each elector had when the proposal opened, for "
        "every class in the electorate, with the weights the vote was counted by: anyone may "
        "recompute `yes_share` from them (class_weighted: sum(weight x yes / (yes + no)) / "
        "sum(weight), over the classes with yes + no > 0)."
    )


class ProposalRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    kind: ProposalKind
    subject_id: uuid.UUID | None = Field(
        description="What the proposal is about: the tender, for award_tender; the contract, "
        "for contract_variation."
    )
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
