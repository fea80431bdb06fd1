"""English and Welsh labels for the governance enums (for GET /reference/labels)."""

from app.governance.models import ProposalKind, ProposalStatus
from app.governance.tally import VoteChoice

PROPOSAL_STATUS_LABELS: dict[ProposalStatus, tuple[str, str]] = {
    ProposalStatus.open: ("Open", "Ar agor"),
    ProposalStatus.passed: ("Passed", "Wedi'i basio"),
    ProposalStatus.rejected: ("Rejected", "Wedi'i wrthod"),
    ProposalStatus.no_quorum: ("No quorum", "Dim cworwm"),
}

PROPOSAL_KIND_LABELS: dict[ProposalKind, tuple[str, str]] = {
    ProposalKind.general: ("General", "Cyffredinol"),
    ProposalKind.award_tender: ("Award of a tender", "Dyfarnu tendr"),
}

VOTE_CHOICE_LABELS: dict[VoteChoice, tuple[str, str]] = {
    VoteChoice.yes: ("Yes", "Ie"),
    VoteChoice.no: ("No", "Na"),
    VoteChoice.abstain: ("Abstain", "Ymatal"),
}

LABELS = {
    "proposal_status": PROPOSAL_STATUS_LABELS,
    "proposal_kind": PROPOSAL_KIND_LABELS,
    "vote_choice": VOTE_CHOICE_LABELS,
}
