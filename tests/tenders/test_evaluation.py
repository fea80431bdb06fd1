import itertools
import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from app.tenders.evaluation.service import Bid, Ranked, points_text, rank

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def bid(name: str, rate: int, score: int | None, minutes: int = 0) -> Bid:
    return Bid(
        bid_id=uuid.uuid5(uuid.NAMESPACE_URL, name),
        provider_id=uuid.uuid5(uuid.NAMESPACE_DNS, name),
        hourly_rate_pence=rate,
        quality_score=score,
        submitted_at=T0 + timedelta(minutes=minutes),
    )


def published(ranked: list[Ranked]) -> list[tuple[object, ...]]:
    return [
        (
            r.rank,
            r.bid.hourly_rate_pence,
            points_text(r.price_points),
            None if r.quality_points is None else points_text(r.quality_points),
            None if r.total_points is None else points_text(r.total_points),
        )
        for r in ranked
    ]


class TestHandComputed:
    def test_sixty_forty_with_a_tie_going_to_the_lower_rate(self) -> None:
        # lowest rate 2000. A: 60 + 28 = 88. B: 60 x 2000/2200 = 54.5454.. + 36 = 90.5454..
        # C: 60 x 2000/2500 = 48 + 40 = 88, level with A: the lower rate (A) goes first.
        bids = [bid("C", 2500, 100), bid("A", 2000, 70), bid("B", 2200, 90)]
        assert published(rank(bids, price_weight=60, quality_weight=40)) == [
            (1, 2200, "54.55", "36.00", "90.55"),
            (2, 2000, "60.00", "28.00", "88.00"),
            (3, 2500, "48.00", "40.00", "88.00"),
        ]

    def test_a_full_tie_goes_to_the_earlier_bid(self) -> None:
        later = bid("later", 2100, 80, minutes=5)
        earlier = bid("earlier", 2100, 80, minutes=1)
        ranked = rank([later, earlier], price_weight=50, quality_weight=50)
        assert [r.bid for r in ranked] == [earlier, later]
        assert [r.rank for r in ranked] == [1, 2]

    def test_halves_round_up(self) -> None:
        # 45 x 1000 / 1600 = 28.125 exactly: half up gives 28.13 (half even would give 28.12).
        ranked = rank(
            [bid("cheap", 1000, 50), bid("dear", 1600, 50)], price_weight=45, quality_weight=55
        )
        assert published(ranked)[1] == (2, 1600, "28.13", "27.50", "55.63")

    def test_the_ranking_uses_exact_values_not_the_rounded_ones(self) -> None:
        # X: 60 x 1000/1022 + 0 = 58.7084..; Y: 60 x 1000/1029 + 0.40 = 58.7090..; both
        # publish as 58.71. Were the rounded figures compared, X (the lower rate) would win
        # the tie; exactly, Y is ahead.
        x, y = bid("X", 1022, 0), bid("Y", 1029, 1)
        ranked = rank([bid("lowest", 1000, 0), x, y], price_weight=60, quality_weight=40)
        assert [r.bid for r in ranked[1:]] == [y, x]
        assert [points_text(r.total_points or Fraction(0)) for r in ranked[1:]] == ["58.71"] * 2

    def test_unscored_bids_come_last_without_rank_or_points(self) -> None:
        ranked = rank(
            [bid("unscored", 1800, None), bid("scored", 2400, 10)],
            price_weight=70,
            quality_weight=30,
        )
        assert published(ranked) == [
            (1, 2400, "52.50", "3.00", "55.50"),
            (None, 1800, "70.00", None, None),
        ]

    def test_no_bids_no_ranking(self) -> None:
        assert rank([], price_weight=60, quality_weight=40) == []

    def test_price_only_and_quality_only(self) -> None:
        bids = [bid("a", 2000, 10), bid("b", 1000, 90)]
        assert [r.bid.bid_id for r in rank(bids, price_weight=100, quality_weight=0)] == [
            bids[1].bid_id,
            bids[0].bid_id,
        ]
        quality = rank(bids, price_weight=0, quality_weight=100)
        assert published(quality)[0] == (1, 1000, "0.00", "90.00", "90.00")


weights = st.integers(min_value=0, max_value=100)
bids_strategy = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=1_000_000),
        st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
        st.integers(min_value=0, max_value=10_000),
    ),
    max_size=12,
)


def make(rows: list[tuple[int, int | None, int]]) -> list[Bid]:
    return [bid(f"bid-{i}", rate, score, minutes) for i, (rate, score, minutes) in enumerate(rows)]


class TestProperties:
    @given(bids_strategy, weights)
    def test_scored_bids_are_ranked_one_to_n_best_first(
        self, rows: list[tuple[int, int | None, int]], price_weight: int
    ) -> None:
        ranked = rank(make(rows), price_weight=price_weight, quality_weight=100 - price_weight)
        scored = [r for r in ranked if r.rank is not None]
        assert [r.rank for r in scored] == list(range(1, len(scored) + 1))
        assert all(r.rank is None for r in ranked[len(scored) :])
        totals = [r.total_points for r in scored]
        assert all(
            a is not None and b is not None and a >= b for a, b in itertools.pairwise(totals)
        )

    @given(bids_strategy, weights)
    def test_points_stay_within_their_weights(
        self, rows: list[tuple[int, int | None, int]], price_weight: int
    ) -> None:
        quality_weight = 100 - price_weight
        ranked = rank(make(rows), price_weight=price_weight, quality_weight=quality_weight)
        for r in ranked:
            assert 0 <= r.price_points <= price_weight
            assert r.quality_points is None or 0 <= r.quality_points <= quality_weight
            assert r.total_points is None or r.total_points <= 100
        if ranked:
            lowest = min(r.bid.hourly_rate_pence for r in ranked)
            for r in ranked:
                if r.bid.hourly_rate_pence == lowest:
                    assert r.price_points == price_weight

    @given(bids_strategy, weights, st.randoms(use_true_random=False))
    def test_the_order_bids_arrive_in_does_not_matter(
        self, rows: list[tuple[int, int | None, int]], price_weight: int, shuffler: random.Random
    ) -> None:
        bids = make(rows)
        shuffled = list(bids)
        shuffler.shuffle(shuffled)
        first = rank(bids, price_weight=price_weight, quality_weight=100 - price_weight)
        second = rank(shuffled, price_weight=price_weight, quality_weight=100 - price_weight)
        assert first == second

    @given(
        st.fractions(min_value=0, max_value=100, max_denominator=10**6),
    )
    def test_published_points_are_the_exact_value_rounded_half_up(self, value: Fraction) -> None:
        with localcontext() as context:
            context.prec = 60
            exact = Decimal(value.numerator) / Decimal(value.denominator)
            expected = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert points_text(value) == str(expected)
