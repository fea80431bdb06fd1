"""The tender's life cycle as a graph: which status may follow which, and nothing else."""

from enum import StrEnum


class TenderStatus(StrEnum):
    draft = "draft"
    open = "open"
    evaluation = "evaluation"
    award_pending_vote = "award_pending_vote"
    awarded = "awarded"
    contracted = "contracted"
    cancelled = "cancelled"
    unsuccessful = "unsuccessful"


_S = TenderStatus

# SPEC section 8: draft -> open -> evaluation -> (award_pending_vote ->) awarded -> contracted;
# a rejected award goes back to evaluation; cancelled from any state before contracted;
# unsuccessful when bidding closes without a valid bid.
TRANSITIONS: dict[TenderStatus, frozenset[TenderStatus]] = {
    _S.draft: frozenset({_S.open, _S.cancelled}),
    _S.open: frozenset({_S.evaluation, _S.unsuccessful, _S.cancelled}),
    _S.evaluation: frozenset({_S.award_pending_vote, _S.awarded, _S.cancelled}),
    _S.award_pending_vote: frozenset({_S.awarded, _S.evaluation, _S.cancelled}),
    _S.awarded: frozenset({_S.contracted, _S.cancelled}),
    _S.contracted: frozenset(),
    _S.cancelled: frozenset(),
    _S.unsuccessful: frozenset(),
}

# Demand may be declared while the tender is being prepared and while bids are invited.
TAKING_DEMAND = frozenset({_S.draft, _S.open})


def can_move(current: TenderStatus, target: TenderStatus) -> bool:
    return target in TRANSITIONS[current]


def on_closing(*, valid_bids: int) -> TenderStatus:
    """Where an open tender goes when its submission deadline passes."""
    return _S.evaluation if valid_bids > 0 else _S.unsuccessful
