"""Proposals, the electorate frozen when each opened, and the votes cast."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.coops.models import MemberClass, VotingMode
from app.core.db import Base, UUIDPrimaryKey, enum_column
from app.governance.tally import VoteChoice


class ProposalKind(StrEnum):
    general = "general"
    award_tender = "award_tender"
    contract_variation = "contract_variation"


class ProposalStatus(StrEnum):
    open = "open"
    passed = "passed"
    rejected = "rejected"
    no_quorum = "no_quorum"


class Proposal(UUIDPrimaryKey, Base):
    """A question put to a co-op's members.

    The voting rules are copied from the co-op when the proposal opens, so changing the rules
    cannot change the outcome of a vote already under way. The counts are written when it
    closes and never change afterwards.
    """

    __tablename__ = "proposal"
    __table_args__ = (
        Index("ix_proposal_coop_id_opened_at", "coop_id", "opened_at"),
        Index("ix_proposal_status_closes_at", "status", "closes_at"),
        CheckConstraint("closes_at > opened_at", name="closes_after_opening"),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    kind: Mapped[ProposalKind] = mapped_column(enum_column(ProposalKind))
    # What a proposal of a kind other than general is about: the tender, for award_tender;
    # the contract, for contract_variation.
    subject_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus))
    opened_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

    voting_mode: Mapped[VotingMode] = mapped_column(enum_column(VotingMode))
    class_weights: Mapped[dict[str, int] | None] = mapped_column(JSON)
    quorum_percent: Mapped[int] = mapped_column(Integer)
    pass_percent: Mapped[int] = mapped_column(Integer)
    electorate: Mapped[int] = mapped_column(Integer)

    yes_votes: Mapped[int | None] = mapped_column(Integer)
    no_votes: Mapped[int | None] = mapped_column(Integer)
    abstain_votes: Mapped[int | None] = mapped_column(Integer)
    yes_share: Mapped[str | None] = mapped_column(String(10))
    # The counts by the class each elector had at opening, written with the others at the
    # close: {member_class: {"yes": n, "no": n, "abstain": n}}, every class present.
    class_tally: Mapped[dict[str, dict[str, int]] | None] = mapped_column(JSON)


class ProposalElector(Base):
    """A member entitled to vote: active in the co-op at the moment the proposal opened."""

    __tablename__ = "proposal_elector"

    proposal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coop_member.id"), primary_key=True, index=True
    )
    # The class at opening: a later change of class does not move a vote between classes.
    member_class: Mapped[MemberClass] = mapped_column(enum_column(MemberClass))


class Vote(Base):
    """An elector's current choice; it may change until the proposal closes."""

    __tablename__ = "proposal_vote"
    __table_args__ = (
        ForeignKeyConstraint(
            ["proposal_id", "member_id"],
            ["proposal_elector.proposal_id", "proposal_elector.member_id"],
            ondelete="CASCADE",
        ),
    )

    proposal_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    choice: Mapped[VoteChoice] = mapped_column(enum_column(VoteChoice))
    # The person who cast it: the member, or their representative.
    cast_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    cast_at: Mapped[datetime]
