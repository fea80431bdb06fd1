"""Coverage of an area by service type: lowest and median rates and gaps, from rate counts."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.providers.models import ServiceType


@dataclass(frozen=True, slots=True)
class RateCount:
    """How many verified providers offer a type at one hourly rate, and how many in Welsh."""

    hourly_rate_pence: int
    providers: int
    welsh_full: int = 0


@dataclass(frozen=True, slots=True)
class Coverage:
    service_type: ServiceType
    provider_count: int
    lowest_hourly_rate_pence: int | None
    median_hourly_rate_pence: int | None
    welsh_language_providers: int
    gap: bool


def lower_median(counts: Iterable[RateCount]) -> int | None:
    """The median rate; of an even count, the lower middle value (so always a real rate)."""
    ordered = sorted((c for c in counts if c.providers > 0), key=lambda c: c.hourly_rate_pence)
    total = sum(c.providers for c in ordered)
    if total == 0:
        return None
    # 1-based position of the lower middle: 1 of 1, 1 of 2, 2 of 3, 2 of 4.
    wanted = (total + 1) // 2
    seen = 0
    for count in ordered:
        seen += count.providers
        if seen >= wanted:
            return count.hourly_rate_pence
    raise AssertionError("unreachable: wanted <= total")


def summarise(service_type: ServiceType, counts: Iterable[RateCount]) -> Coverage:
    present = [c for c in counts if c.providers > 0]
    provider_count = sum(c.providers for c in present)
    return Coverage(
        service_type=service_type,
        provider_count=provider_count,
        lowest_hourly_rate_pence=min((c.hourly_rate_pence for c in present), default=None),
        median_hourly_rate_pence=lower_median(present),
        welsh_language_providers=sum(c.welsh_full for c in present),
        gap=provider_count == 0,
    )


def coverage_by_type(counts: Mapping[ServiceType, Iterable[RateCount]]) -> list[Coverage]:
    """One row per service type, in the enum's order; a type nobody offers is a gap."""
    return [summarise(t, counts.get(t, ())) for t in ServiceType]
