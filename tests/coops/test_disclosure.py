from hypothesis import given
from hypothesis import strategies as st

from app.coops.disclosure import disclose_people_count


class TestDiscloseCount:
    def test_zero_stays_zero(self) -> None:
        disclosed = disclose_people_count(0)
        assert (disclosed.value, disclosed.suppressed) == (0, False)

    def test_one_to_seven_are_suppressed(self) -> None:
        for count in range(1, 8):
            disclosed = disclose_people_count(count)
            assert (disclosed.value, disclosed.suppressed) == (None, True)

    def test_eight_and_more_are_rounded_to_the_nearest_five(self) -> None:
        assert disclose_people_count(8).value == 10
        assert disclose_people_count(12).value == 10
        assert disclose_people_count(13).value == 15
        assert disclose_people_count(15).value == 15
        assert disclose_people_count(17).value == 15

    @given(st.integers(min_value=8, max_value=10_000_000))
    def test_a_published_count_is_a_multiple_of_five_within_two(self, count: int) -> None:
        disclosed = disclose_people_count(count)
        assert disclosed.value is not None
        assert not disclosed.suppressed
        assert disclosed.value % 5 == 0
        assert abs(disclosed.value - count) <= 2
