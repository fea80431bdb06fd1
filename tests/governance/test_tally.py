from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.governance.tally import (
    Ballot,
    ClassCount,
    VoteChoice,
    VotingRules,
    class_weighted_share,
    format_share,
    is_quorate,
    tally,
)

CLASSES = ["service_user", "carer", "worker", "community_supporter", "local_authority"]
ballots_strategy = st.lists(
    st.builds(Ballot, member_class=st.sampled_from(CLASSES), choice=st.sampled_from(VoteChoice)),
    max_size=40,
)
weights_strategy = st.dictionaries(
    st.sampled_from(CLASSES), st.integers(min_value=0, max_value=100), max_size=5
)


def rules(
    mode: str = "one_member_one_vote",
    *,
    quorum_percent: int = 25,
    pass_percent: int = 50,
    class_weights: dict[str, int] | None = None,
) -> VotingRules:
    return VotingRules(
        voting_mode=mode,
        quorum_percent=quorum_percent,
        pass_percent=pass_percent,
        class_weights=class_weights or {},
    )


def ballot(member_class: str, choice: str) -> Ballot:
    return Ballot(member_class=member_class, choice=VoteChoice(choice))


class TestWorkedExamples:
    def test_a_worker_weighted_20_against_a_service_user_weighted_50(self) -> None:
        weights = {"service_user": 50, "worker": 20, "carer": 30}
        result = tally(
            [ballot("worker", "yes"), ballot("service_user", "no")],
            electorate=2,
            rules=rules("class_weighted", class_weights=weights),
        )
        # (20 x 1 + 50 x 0) / (20 + 50); the carers did not vote, so their weight is left out.
        assert result.yes_share == Fraction(20 * 1 + 50 * 0, 20 + 50) == Fraction(2, 7)
        assert format_share(result.yes_share) == "0.2857"
        assert result.outcome == "rejected"

    def test_class_shares_are_weighted_not_the_heads(self) -> None:
        weights = {"service_user": 60, "worker": 40}
        votes = [ballot("service_user", "yes")] + [ballot("worker", "no")] * 9
        result = tally(votes, electorate=10, rules=rules("class_weighted", class_weights=weights))
        assert result.yes_share == Fraction(60, 100)
        assert result.outcome == "passed"
        plain = tally(votes, electorate=10, rules=rules())
        assert plain.yes_share == Fraction(1, 10)
        assert plain.outcome == "rejected"

    def test_passing_needs_strictly_more_than_the_pass_percent(self) -> None:
        even = [ballot("carer", "yes"), ballot("carer", "no")]
        assert tally(even, electorate=2, rules=rules()).outcome == "rejected"
        assert tally(even, electorate=2, rules=rules(pass_percent=49)).outcome == "passed"

    def test_quorum_counts_abstentions_and_compares_exactly(self) -> None:
        assert is_quorate(1, 4, 25)
        assert not is_quorate(1, 5, 25)
        assert is_quorate(0, 0, 25)
        votes = [ballot("carer", "abstain"), ballot("carer", "yes")]
        assert tally(votes, electorate=8, rules=rules()).outcome == "passed"
        assert tally(votes, electorate=9, rules=rules()).outcome == "no_quorum"

    def test_only_abstentions_give_a_share_of_zero(self) -> None:
        votes = [ballot("carer", "abstain")]
        assert tally(votes, electorate=1, rules=rules()).yes_share == 0
        weighted = rules("class_weighted", class_weights={"carer": 100})
        assert tally(votes, electorate=1, rules=weighted).yes_share == 0

    def test_classes_of_no_weight_give_a_share_of_zero(self) -> None:
        assert class_weighted_share({"worker": (3, 0)}, {"service_user": 100}) == 0

    def test_an_unknown_mode_is_refused(self) -> None:
        with pytest.raises(ValueError, match="voting mode"):
            tally([], electorate=0, rules=rules("lottery"))


class TestFormatShare:
    def test_rounds_half_up_to_four_places(self) -> None:
        assert format_share(Fraction(2, 3)) == "0.6667"
        assert format_share(Fraction(1, 3)) == "0.3333"
        assert format_share(Fraction(12345, 100000)) == "0.1235"
        assert format_share(Fraction(12344999, 100000000)) == "0.1234"
        assert format_share(Fraction(1)) == "1.0000"
        assert format_share(Fraction(0)) == "0.0000"

    def test_a_negative_share_is_refused(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            format_share(Fraction(-1, 2))


class TestProperties:
    @given(ballots=ballots_strategy, weights=weights_strategy, data=st.data())
    def test_the_outcome_does_not_depend_on_the_order_of_votes(
        self, ballots: list[Ballot], weights: dict[str, int], data: st.DataObject
    ) -> None:
        shuffled = data.draw(st.permutations(ballots))
        for voting_rules in (rules(), rules("class_weighted", class_weights=weights)):
            assert tally(ballots, electorate=40, rules=voting_rules) == tally(
                shuffled, electorate=40, rules=voting_rules
            )

    @given(
        ballots=ballots_strategy,
        weights=weights_strategy,
        factor=st.integers(min_value=1, max_value=1000),
    )
    def test_class_weighted_is_unchanged_by_scaling_every_weight(
        self, ballots: list[Ballot], weights: dict[str, int], factor: int
    ) -> None:
        scaled = {cls: weight * factor for cls, weight in weights.items()}
        original = tally(
            ballots, electorate=40, rules=rules("class_weighted", class_weights=weights)
        )
        bigger = tally(ballots, electorate=40, rules=rules("class_weighted", class_weights=scaled))
        assert original == bigger

    @given(
        member_class=st.sampled_from(CLASSES),
        choices=st.lists(st.sampled_from(VoteChoice), max_size=30),
        weight=st.integers(min_value=1, max_value=100),
        pass_percent=st.integers(min_value=0, max_value=100),
    )
    def test_with_one_class_both_modes_agree(
        self, member_class: str, choices: list[VoteChoice], weight: int, pass_percent: int
    ) -> None:
        votes = [Ballot(member_class=member_class, choice=c) for c in choices]
        plain = tally(votes, electorate=30, rules=rules(pass_percent=pass_percent))
        weighted = tally(
            votes,
            electorate=30,
            rules=rules(
                "class_weighted", class_weights={member_class: weight}, pass_percent=pass_percent
            ),
        )
        assert plain == weighted

    @given(ballots=ballots_strategy, weights=weights_strategy)
    def test_the_share_is_between_nought_and_one_and_published_exactly_rounded(
        self, ballots: list[Ballot], weights: dict[str, int]
    ) -> None:
        result = tally(ballots, electorate=40, rules=rules("class_weighted", class_weights=weights))
        assert 0 <= result.yes_share <= 1
        published = Fraction(format_share(result.yes_share))
        assert abs(published - result.yes_share) <= Fraction(1, 20000)
        assert result.yes + result.no + result.abstain == len(ballots)


class TestByClass:
    def test_each_class_is_counted_apart(self) -> None:
        result = tally(
            [
                ballot("worker", "yes"),
                ballot("worker", "abstain"),
                ballot("carer", "no"),
                ballot("worker", "no"),
            ],
            electorate=6,
            rules=rules(),
        )
        assert result.by_class == {
            "worker": ClassCount(yes=1, no=1, abstain=1),
            "carer": ClassCount(yes=0, no=1, abstain=0),
        }

    @given(ballots_strategy, weights_strategy)
    def test_the_class_counts_give_back_the_totals_and_the_weighted_share(
        self, ballots: list[Ballot], weights: dict[str, int]
    ) -> None:
        result = tally(
            ballots,
            electorate=len(ballots),
            rules=rules("class_weighted", class_weights=weights),
        )
        assert sum(c.yes for c in result.by_class.values()) == result.yes
        assert sum(c.no for c in result.by_class.values()) == result.no
        assert sum(c.abstain for c in result.by_class.values()) == result.abstain
        voted = {cls: c for cls, c in result.by_class.items() if c.yes + c.no}
        total = sum(weights.get(cls, 0) for cls in voted)
        weighted = sum(
            (Fraction(weights.get(cls, 0) * c.yes, c.yes + c.no) for cls, c in voted.items()),
            Fraction(0),
        )
        assert result.yes_share == (weighted / total if total else 0)
