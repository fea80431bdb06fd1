"""Counting a vote exactly (SPEC section 7): quorum, yes share and outcome, with no database.

Every figure is an integer or a `Fraction`; nothing passes through a float.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from app.core.money import decimal_text

ONE_MEMBER_ONE_VOTE = "one_member_one_vote"
CLASS_WEIGHTED = "class_weighted"
SHARE_PLACES = 4


class VoteChoice(StrEnum):
    yes = "yes"
    no = "no"
    abstain = "abstain"


@dataclass(frozen=True, slots=True)
class Ballot:
    member_class: str
    choice: VoteChoice


@dataclass(frozen=True, slots=True)
class VotingRules:
    voting_mode: str
    quorum_percent: int
    pass_percent: int
    class_weights: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClassCount:
    yes: int = 0
    no: int = 0
    abstain: int = 0


@dataclass(frozen=True, slots=True)
class Result:
    electorate: int
    yes: int
    no: int
    abstain: int
    yes_share: Fraction
    quorate: bool
    passed: bool
    # The counts by the electors' class (only classes that cast a ballot).
    by_class: Mapping[str, ClassCount] = field(default_factory=dict)

    @property
    def outcome(self) -> str:
        """ "passed", "rejected" or "no_quorum" (the proposal statuses after closing)."""
        if not self.quorate:
            return "no_quorum"
        return "passed" if self.passed else "rejected"


def one_member_one_vote_share(yes: int, no: int) -> Fraction:
    """yes / (yes + no); 0 when nobody voted yes or no."""
    return Fraction(yes, yes + no) if yes + no else Fraction(0)


def class_weighted_share(
    counts: Mapping[str, tuple[int, int]], weights: Mapping[str, int]
) -> Fraction:
    """sum(w_c x yes_c / (yes_c + no_c)) / sum(w_c), over the classes with yes_c + no_c > 0.

    `counts` maps a class to its (yes, no); a class without a weight weighs 0. The share is 0
    when the classes that voted weigh nothing together.
    """
    weighted = Fraction(0)
    total_weight = 0
    for member_class, (yes, no) in counts.items():
        if yes + no == 0:
            continue
        weight = weights.get(member_class, 0)
        weighted += weight * Fraction(yes, yes + no)
        total_weight += weight
    return weighted / total_weight if total_weight else Fraction(0)


def is_quorate(votes_cast: int, electorate: int, quorum_percent: int) -> bool:
    """votes_cast >= quorum_percent % of the electorate, compared in whole numbers."""
    return votes_cast * 100 >= quorum_percent * electorate


def tally(ballots: Iterable[Ballot], *, electorate: int, rules: VotingRules) -> Result:
    counts: dict[str, ClassCount] = {}
    for ballot in ballots:
        c = counts.get(ballot.member_class, ClassCount())
        counts[ballot.member_class] = ClassCount(
            yes=c.yes + (ballot.choice == VoteChoice.yes),
            no=c.no + (ballot.choice == VoteChoice.no),
            abstain=c.abstain + (ballot.choice == VoteChoice.abstain),
        )
    yes = sum(c.yes for c in counts.values())
    no = sum(c.no for c in counts.values())
    abstain = sum(c.abstain for c in counts.values())
    if rules.voting_mode == CLASS_WEIGHTED:
        share = class_weighted_share(
            {cls: (c.yes, c.no) for cls, c in counts.items()}, rules.class_weights
        )
    elif rules.voting_mode == ONE_MEMBER_ONE_VOTE:
        share = one_member_one_vote_share(yes, no)
    else:
        raise ValueError(f"unknown voting mode {rules.voting_mode!r}")
    quorate = is_quorate(yes + no + abstain, electorate, rules.quorum_percent)
    return Result(
        electorate=electorate,
        yes=yes,
        no=no,
        abstain=abstain,
        yes_share=share,
        quorate=quorate,
        passed=quorate and share > Fraction(rules.pass_percent, 100),
        by_class=counts,
    )


def format_share(share: Fraction, places: int = SHARE_PLACES) -> str:
    """A non-negative fraction as a decimal string, rounded half up: 2/7 -> "0.2857"."""
    if share < 0:
        raise ValueError("a share is never negative")
    return decimal_text(share, places)
