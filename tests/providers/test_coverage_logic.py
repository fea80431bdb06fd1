import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from app.providers.coverage import RateCount, coverage_by_type, lower_median, summarise
from app.providers.models import ServiceType

rates = st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=60)


def histogram(values: list[int]) -> list[RateCount]:
    return [RateCount(hourly_rate_pence=r, providers=n) for r, n in Counter(values).items()]


class TestLowerMedian:
    def test_of_an_odd_count_is_the_middle_value(self) -> None:
        assert lower_median(histogram([30, 10, 20])) == 20

    def test_of_an_even_count_is_the_lower_middle_value(self) -> None:
        assert lower_median(histogram([10, 40, 20, 30])) == 20
        assert lower_median(histogram([10, 11])) == 10

    def test_of_nothing_is_none(self) -> None:
        assert lower_median([]) is None
        assert lower_median([RateCount(hourly_rate_pence=5, providers=0)]) is None

    @given(rates)
    def test_equals_the_lower_middle_of_the_sorted_rates(self, values: list[int]) -> None:
        assert lower_median(histogram(values)) == sorted(values)[(len(values) - 1) // 2]

    @given(rates)
    def test_is_a_rate_someone_charges_between_the_lowest_and_highest(
        self, values: list[int]
    ) -> None:
        median = lower_median(histogram(values))
        assert median is not None
        assert median in values
        assert min(values) <= median <= max(values)

    @given(rates, st.randoms())
    def test_does_not_depend_on_the_order_of_the_counts(
        self, values: list[int], rng: random.Random
    ) -> None:
        counts = histogram(values)
        shuffled = list(counts)
        rng.shuffle(shuffled)
        assert lower_median(shuffled) == lower_median(counts)


class TestCoverage:
    @given(rates)
    def test_summarises_counts_rates_and_welsh(self, values: list[int]) -> None:
        counts = [
            RateCount(hourly_rate_pence=r, providers=n, welsh_full=n // 2)
            for r, n in Counter(values).items()
        ]
        row = summarise(ServiceType.respite, counts)
        assert row.provider_count == len(values)
        assert row.lowest_hourly_rate_pence == min(values)
        assert row.welsh_language_providers == sum(n // 2 for n in Counter(values).values())
        assert row.gap is False

    @given(st.dictionaries(st.sampled_from(list(ServiceType)), rates))
    def test_every_type_once_in_enum_order_and_a_gap_exactly_where_none_offer_it(
        self, offered: dict[ServiceType, list[int]]
    ) -> None:
        rows = coverage_by_type({t: histogram(v) for t, v in offered.items()})
        assert [r.service_type for r in rows] == list(ServiceType)
        for row in rows:
            assert row.gap == (row.service_type not in offered)
            if row.gap:
                assert row.provider_count == 0
                assert row.lowest_hourly_rate_pence is None
                assert row.median_hourly_rate_pence is None
                assert row.welsh_language_providers == 0
