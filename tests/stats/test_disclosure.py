from hypothesis import given
from hypothesis import strategies as st

from app.core.disclosure import (
    Figure,
    average_pence,
    money_from_people,
    people_count,
    percent,
    protect_with_total,
    total_must_hide,
)

counts = st.integers(min_value=0, max_value=10**6)


@given(counts)
def test_no_published_count_lies_between_1_and_7_and_8_or_more_are_multiples_of_5(n: int) -> None:
    figure = people_count(n)
    if n == 0:
        assert figure == Figure(0, False)
    elif n < 8:
        assert figure == Figure(None, True)
    else:
        assert figure.value is not None
        assert figure.value % 5 == 0
        assert abs(figure.value - n) <= 2
        assert figure.value >= 10


def test_rounding_examples() -> None:
    assert [people_count(n).value for n in (8, 10, 12, 13, 17, 18, 22)] == [
        10,
        10,
        10,
        15,
        15,
        20,
        20,
    ]


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=100))
def test_money_from_fewer_than_8_people_is_never_shown(amount: int, people: int) -> None:
    figure = money_from_people(amount, people)
    if 0 < people < 8:
        assert figure.value is None
        assert figure.suppressed
    if people >= 8:
        assert figure.value == amount


def test_no_people_and_no_money_stays_zero() -> None:
    assert money_from_people(0, 0) == Figure(0, False)


def test_average_is_whole_pence_half_up_and_hidden_below_8_people() -> None:
    assert average_pence(2501, 2, people=8).value == 1251
    assert average_pence(2501, 2, people=7) == Figure(None, True)


def test_percentages_use_published_figures() -> None:
    assert percent(Figure(10, False), Figure(15, False)) == "66.7"
    assert percent(Figure(None, True), Figure(15, False)) is None


@given(st.lists(counts, min_size=1, max_size=12))
def test_no_suppressed_cell_can_be_recovered_from_the_others_and_the_total(raw: list[int]) -> None:
    published = protect_with_total([people_count(n) for n in raw], raw)
    hidden = [f for f in published if f.suppressed]
    # Either nothing is hidden, or at least two cells are (so subtraction leaves two unknowns),
    # or the caller is told the total must go too.
    assert len(hidden) != 1 or total_must_hide(published)
    # Nothing that was public is made up: shown cells keep their primary-control value.
    for figure, n in zip(published, raw, strict=True):
        if not figure.suppressed:
            assert figure == people_count(n)


def test_the_next_smallest_cell_is_the_one_suppressed_too() -> None:
    raw = [3, 40, 12, 0, 25]
    published = protect_with_total([people_count(n) for n in raw], raw)
    assert [f.suppressed for f in published] == [True, False, True, False, False]
