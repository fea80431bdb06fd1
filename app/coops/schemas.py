"""Co-operatives and memberships on the wire."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import Field, StrictBool, model_validator

from app.coops.models import Member, MemberClass, MemberStatus, RuleChangeStatus, VotingMode
from app.core.schemas import AreaCodes, Input, LongText, Output, Pence, ShortText, WholeNumber

Percent = Annotated[WholeNumber, Field(ge=0, le=100)]
Weight = Annotated[WholeNumber, Field(ge=0, le=100)]
WEIGHTS_TOTAL = 100
# At least an hour to look at a visit before it confirms itself; at most 30 days.
ConfirmHours = Annotated[WholeNumber, Field(ge=1, le=720)]
DisputeDays = Annotated[WholeNumber, Field(ge=0, le=60)]
# As large as any one refund may be: above it, every refund would need one admin only.
MAX_THRESHOLD_PENCE = 1_000_000_000


def check_rules(
    voting_mode: VotingMode | None, class_weights: dict[MemberClass, int] | None
) -> None:
    if voting_mode == VotingMode.class_weighted:
        if class_weights is None:
            raise ValueError("class_weights is required when voting_mode is class_weighted")
        if sum(class_weights.values()) != WEIGHTS_TOTAL:
            raise ValueError("class_weights must add up to exactly 100")
    elif class_weights is not None:
        raise ValueError("class_weights is only allowed when voting_mode is class_weighted")


class CoopRules(Input):
    """How the co-op decides and guards its money: its voting rules and safeguards."""

    voting_mode: VotingMode = VotingMode.one_member_one_vote
    class_weights: dict[MemberClass, Weight] | None = Field(
        default=None,
        description="Weight per member class, adding up to 100; only with class_weighted. "
        "A class left out has weight 0.",
    )
    quorum_percent: Percent = Field(
        default=25, description="Votes cast (abstentions included) needed, as % of the electorate."
    )
    pass_percent: Percent = Field(
        default=50, description="A proposal passes when its yes share is strictly greater."
    )
    award_requires_vote: StrictBool = True
    refund_second_approval_pence: Annotated[Pence, Field(ge=0, le=MAX_THRESHOLD_PENCE)] = 50_000
    variation_vote_percent: Percent = Field(
        default=5,
        description="A contract's hourly rate may rise by up to this % over the rate at "
        "signing (every variation counted) without the members' vote; a greater rise opens a "
        "contract_variation proposal and applies only if it passes.",
    )
    visit_confirm_hours: ConfirmHours = Field(
        default=48,
        description="A visit neither confirmed nor queried this many hours after it was "
        "recorded is confirmed automatically (`confirmed_by: auto`).",
    )
    invoice_dispute_days: DisputeDays = Field(
        default=2,
        description="An invoice may be approved only this many days (of 24 hours) after it "
        "was submitted, unless every line not voided was accepted by its member or is built "
        "from visits each confirmed by the member or a representative.",
    )
    invoices_from_visits_only: StrictBool = Field(
        default=False,
        description="Every invoice line must be built from recorded, confirmed visits "
        "(`visit_ids`); a line typed by hand alone is refused (422 `visits_required`).",
    )

    @model_validator(mode="after")
    def _weights_match_mode(self) -> Self:
        check_rules(self.voting_mode, self.class_weights)
        return self


class CoopRulesUpdate(Input):
    """Rules to change; what is left out stays as it is. Switching to one_member_one_vote
    without naming class_weights drops the weights."""

    voting_mode: VotingMode | None = None
    class_weights: dict[MemberClass, Weight] | None = None
    quorum_percent: Percent | None = None
    pass_percent: Percent | None = None
    award_requires_vote: StrictBool | None = None
    refund_second_approval_pence: Annotated[Pence, Field(ge=0, le=MAX_THRESHOLD_PENCE)] | None = (
        None
    )
    variation_vote_percent: Percent | None = None
    visit_confirm_hours: ConfirmHours | None = None
    invoice_dispute_days: DisputeDays | None = None
    invoices_from_visits_only: StrictBool | None = None


class CoopRulesRead(Output):
    voting_mode: VotingMode
    class_weights: dict[MemberClass, int] | None
    quorum_percent: int
    pass_percent: int
    award_requires_vote: bool
    refund_second_approval_pence: int
    variation_vote_percent: int
    visit_confirm_hours: int
    invoice_dispute_days: int
    invoices_from_visits_only: bool


class CoopCreate(Input):
    name: ShortText
    description: LongText
    area_codes: AreaCodes
    rules: CoopRules = Field(default_factory=CoopRules)
    founder_class: MemberClass = Field(
        default=MemberClass.service_user, description="The founder's member class."
    )


class CoopUpdate(Input):
    name: ShortText | None = None
    description: LongText | None = None
    area_codes: AreaCodes | None = None
    rules: CoopRulesUpdate | None = None


class DisclosedCount(Output):
    """A count of people under disclosure control: 1-7 suppressed, 8+ rounded to 5."""

    value: int | None
    suppressed: bool


class CoopSummaryRead(Output):
    id: uuid.UUID
    name: str
    description: str
    area_codes: list[str]
    member_count: DisclosedCount
    created_at: datetime


class CoopRead(CoopSummaryRead):
    rules: CoopRulesRead | None = Field(
        description="The full rules, for the co-op's active members only (null otherwise)."
    )


class MemberApplication(Input):
    member_class: MemberClass


class AdminFlag(Input):
    is_admin: StrictBool
    safeguarding_lead: StrictBool | None = Field(
        default=None,
        description="Mark (true) or unmark (false) the administrator as a safeguarding lead; "
        "left out, the mark stays (and goes with the administrator's role).",
    )


class MemberRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    user_id: uuid.UUID
    full_name: str
    member_class: MemberClass
    is_admin: bool
    status: MemberStatus
    joined_at: datetime
    approved_at: datetime | None
    safeguarding_lead: bool = Field(
        description="An administrator who reads the co-op's safeguarding concerns."
    )
    lacks_capacity: bool | None = Field(
        description="Marked by two administrators as unable to decide for themselves: what "
        "waits for their approval waits for `approver_mandate_id`'s representative, or for "
        "two administrators. Shown to administrators and the member; null for other members."
    )
    approver_mandate_id: uuid.UUID | None = Field(
        description="The mandate whose representative approves for a member who lacks "
        "capacity (null otherwise, and for other members)."
    )

    def as_seen_by(self, viewer: "Member | None") -> "MemberRead":
        """Capacity is for administrators and the member themselves only."""
        if viewer is not None and (viewer.is_admin or viewer.id == self.id):
            return self
        return self.model_copy(update={"lacks_capacity": None, "approver_mandate_id": None})


class RuleChangeAccepted(Output):
    rule_change_id: uuid.UUID = Field(
        description="The pending rule change a different administrator must approve."
    )


class RuleChangeRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    proposed_by_user_id: uuid.UUID
    changes: dict[str, Any] = Field(
        description="The whole `PATCH` body as it was asked for: it applies as a whole."
    )
    base_rules: CoopRulesRead = Field(description="The rules in force when it was proposed.")
    weakens: list[str] = Field(description="The rules it weakens: why it waits.")
    status: RuleChangeStatus
    created_at: datetime
    decided_by_user_id: uuid.UUID | None
    decided_at: datetime | None
