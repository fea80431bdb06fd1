import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.tenders.states import TAKING_DEMAND, TRANSITIONS, TenderStatus, can_move, on_closing

S = TenderStatus

# SPEC section 8, written out edge by edge.
EDGES = {
    (S.draft, S.open),
    (S.open, S.evaluation),
    (S.evaluation, S.award_pending_vote),
    (S.award_pending_vote, S.awarded),
    (S.evaluation, S.awarded),
    (S.awarded, S.contracted),
    (S.award_pending_vote, S.evaluation),
    (S.open, S.unsuccessful),
    *((status, S.cancelled) for status in (S.draft, S.open, S.evaluation, S.awarded)),
    (S.award_pending_vote, S.cancelled),
}


class TestGraph:
    @given(st.sampled_from(TenderStatus), st.sampled_from(TenderStatus))
    def test_exactly_the_specified_moves_are_allowed(
        self, current: TenderStatus, target: TenderStatus
    ) -> None:
        assert can_move(current, target) == ((current, target) in EDGES)

    def test_every_status_is_in_the_graph(self) -> None:
        assert set(TRANSITIONS) == set(TenderStatus)

    @pytest.mark.parametrize("status", [S.contracted, S.cancelled, S.unsuccessful])
    def test_the_ends_are_final(self, status: TenderStatus) -> None:
        assert not TRANSITIONS[status]

    def test_nothing_cancels_a_contract(self) -> None:
        assert not can_move(S.contracted, S.cancelled)

    @given(st.sampled_from(TenderStatus))
    def test_every_status_is_reachable_from_draft(self, status: TenderStatus) -> None:
        seen, frontier = {S.draft}, [S.draft]
        while frontier:
            for following in TRANSITIONS[frontier.pop()]:
                if following not in seen:
                    seen.add(following)
                    frontier.append(following)
        assert status in seen


class TestClosing:
    def test_bids_lead_to_evaluation(self) -> None:
        assert on_closing(valid_bids=3) == S.evaluation

    def test_no_bid_is_unsuccessful(self) -> None:
        assert on_closing(valid_bids=0) == S.unsuccessful

    def test_demand_is_taken_until_bidding_closes(self) -> None:
        assert {S.draft, S.open} == TAKING_DEMAND
