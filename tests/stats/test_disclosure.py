from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.core.disclosure import (
    Figure,
    average_pence,
    money_from_people,
    people_count,
    percent,
    protect_with_total,
    published_money,
    total_must_hide,
)
from app.stats.periods import (
    add_months,
    is_whole_months,
    month_end,
    summary_default_from,
    wales_period,
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


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**4))
def test_published_money_is_the_8_people_rule_then_the_nearest_100_pounds(
    amount: int, people: int
) -> None:
    figure = published_money(amount, people)
    shown = money_from_people(amount, people)
    assert figure.suppressed == shown.suppressed
    if shown.value is None:
        assert figure.value is None
        return
    assert figure.value is not None
    assert figure.value % 10_000 == 0
    assert abs(figure.value - amount) <= 5_000
    # Half up: exactly half way goes up, anything short of it goes down.
    assert (figure.value - amount == 5_000) == (amount % 10_000 == 5_000)


def test_published_money_examples() -> None:
    assert [published_money(p, 8).value for p in (0, 4_999, 5_000, 14_999, 123_450)] == [
        0,
        0,
        10_000,
        10_000,
        120_000,
    ]
    assert published_money(1_000_000, 7) == Figure(None, True)


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)))
def test_the_public_table_is_the_twelve_whole_months_before_this_one(today: date) -> None:
    month, first, last = wales_period(today)
    assert month == today.replace(day=1)
    assert last < month <= today  # never the current month
    assert last + timedelta(days=1) == month
    assert first.day == 1
    assert (first.year, first.month) == (month.year - 1, month.month)
    # Every day of a month gives the same period: two pulls in a month count the same days.
    assert wales_period(month_end(today)) == (month, first, last)


@given(
    st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)),
    st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)),
)
def test_whole_months_are_from_a_first_day_to_a_last_day_or_today(day: date, today: date) -> None:
    starts, ends = is_whole_months(day, day, today=today)
    assert starts == (day.day == 1)
    assert ends == (day == today or (day + timedelta(days=1)).day == 1)
    first = summary_default_from(today)
    assert first.day == 1
    assert is_whole_months(first, today, today=today) == (True, True)
    # Twelve calendar months with today's: eleven whole ones before it.
    assert add_months(first, 11) == today.replace(day=1)
