"""Scoring bids: price and quality points, computed and ranked exactly.

price_points = price_weight x lowest_rate / rate; quality_points = quality_weight x score / 100.
The ranking compares exact fractions; only the published figures are rounded (half up, two
places). Ties go to the lower rate, then the earlier bid (then the bid id, so the order is
total and the same on every run).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from app.core.money import decimal_text

HUNDRED = 100
POINTS_PLACES = 2


@dataclass(frozen=True, slots=True)
class Bid:
    bid_id: uuid.UUID
    provider_id: uuid.UUID
    hourly_rate_pence: int
    quality_score: int | None
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class Ranked:
    """One bid's place; `rank` and the quality figures are None while it is unscored."""

    rank: int | None
    bid: Bid
    price_points: Fraction
    quality_points: Fraction | None
    total_points: Fraction | None


def price_points(*, price_weight: int, lowest_rate: int, rate: int) -> Fraction:
    return Fraction(price_weight * lowest_rate, rate)


def quality_points(*, quality_weight: int, score: int) -> Fraction:
    return Fraction(quality_weight * score, HUNDRED)


def rank(bids: Sequence[Bid], *, price_weight: int, quality_weight: int) -> list[Ranked]:
    """Scored bids best first with ranks 1, 2, ...; unscored bids after them, unranked.

    The price points of every bid are relative to the lowest rate among all the bids, scored
    or not: scoring quality does not change anyone's price points.
    """
    if not bids:
        return []
    lowest = min(b.hourly_rate_pence for b in bids)
    scored: list[Ranked] = []
    unscored: list[Ranked] = []
    for bid in bids:
        price = price_points(
            price_weight=price_weight, lowest_rate=lowest, rate=bid.hourly_rate_pence
        )
        if bid.quality_score is None:
            unscored.append(Ranked(None, bid, price, None, None))
            continue
        quality = quality_points(quality_weight=quality_weight, score=bid.quality_score)
        scored.append(Ranked(None, bid, price, quality, price + quality))

    def tie_break(item: Ranked) -> tuple[int, datetime, str]:
        return (item.bid.hourly_rate_pence, item.bid.submitted_at, str(item.bid.bid_id))

    scored.sort(key=lambda item: (-(item.total_points or 0), *tie_break(item)))
    unscored.sort(key=tie_break)
    ranked = [
        Ranked(position, r.bid, r.price_points, r.quality_points, r.total_points)
        for position, r in enumerate(scored, start=1)
    ]
    return ranked + unscored


def points_text(value: Fraction) -> str:
    """A figure as published: a decimal string with two places, rounded half up ("86.77")."""
    return decimal_text(value, POINTS_PLACES)
