import uuid
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.support.errors import NoSubscribers
from app.support.split import plan_charge, split_evenly

amounts = st.integers(min_value=0, max_value=10**9)
counts = st.integers(min_value=1, max_value=500)


class TestSplitEvenly:
    def test_the_odd_pennies_go_to_the_first_members(self) -> None:
        assert split_evenly(1000, 3) == [334, 333, 333]
        assert split_evenly(1001, 3) == [334, 334, 333]
        assert split_evenly(2, 5) == [1, 1, 0, 0, 0]

    def test_an_amount_that_divides_is_shared_equally(self) -> None:
        assert split_evenly(900, 3) == [300, 300, 300]

    def test_one_member_bears_it_all_and_nothing_splits_into_nothing(self) -> None:
        assert split_evenly(12_345, 1) == [12_345]
        assert split_evenly(0, 4) == [0, 0, 0, 0]

    @pytest.mark.parametrize(("amount", "n"), [(-1, 2), (100, 0), (100, -3)])
    def test_a_negative_amount_or_no_members_is_refused(self, amount: int, n: int) -> None:
        with pytest.raises(ValueError, match=r"."):
            split_evenly(amount, n)

    @pytest.mark.parametrize("amount", [10.5, 10.0, True, "10"])
    def test_only_whole_pence_are_split(self, amount: object) -> None:
        with pytest.raises(TypeError):
            split_evenly(amount, 2)  # type: ignore[arg-type]

    @given(amounts, counts)
    def test_the_parts_sum_exactly_to_the_amount(self, amount: int, n: int) -> None:
        parts = split_evenly(amount, n)
        assert len(parts) == n
        assert sum(parts) == amount
        assert all(isinstance(part, int) and part >= 0 for part in parts)

    @given(amounts, counts)
    def test_no_two_parts_differ_by_more_than_a_penny(self, amount: int, n: int) -> None:
        parts = split_evenly(amount, n)
        assert max(parts) - min(parts) <= 1

    @given(amounts, counts)
    def test_the_larger_parts_come_first(self, amount: int, n: int) -> None:
        parts = split_evenly(amount, n)
        assert parts == sorted(parts, reverse=True)
        assert parts.count(parts[0]) == (amount % n or n)

    @given(amounts, counts)
    def test_each_part_is_the_exact_share_rounded_one_way_or_the_other(
        self, amount: int, n: int
    ) -> None:
        # The largest remainder method: every part is the exact share's floor or ceiling.
        exact = Fraction(amount, n)
        for part in split_evenly(amount, n):
            assert abs(part - exact) < 1


class TestPlanCharge:
    def test_pairs_members_with_their_share_in_the_given_order(self) -> None:
        first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        assert plan_charge(1000, [first, second, third]) == [
            (first, 334),
            (second, 333),
            (third, 333),
        ]

    def test_with_no_subscribers_there_is_no_one_to_charge(self) -> None:
        with pytest.raises(NoSubscribers):
            plan_charge(1000, [])

    def test_a_member_is_charged_once(self) -> None:
        member = uuid.uuid4()
        with pytest.raises(ValueError, match="once"):
            plan_charge(1000, [member, member])

    @given(amounts, st.lists(st.uuids(), min_size=1, max_size=500, unique=True))
    def test_the_plan_charges_exactly_the_amount_to_exactly_those_members(
        self, amount: int, members: list[uuid.UUID]
    ) -> None:
        plan = plan_charge(amount, members)
        assert [member for member, _ in plan] == members
        assert sum(pence for _, pence in plan) == amount
