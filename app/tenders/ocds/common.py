"""The parts every OCDS release of the service is made of: facts, parties, money, times.

Pure (no database). Every release names the buyer (the co-op) among its `parties` beside
anyone it refers to, so each one is whole on its own. Texts the service writes carry Welsh
language variants (`_cy`). Amounts are pounds as `Decimal`, two places, never a float.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from app.core.clock import WALES
from app.core.disclosure import people_count
from app.core.money import pounds
from app.providers.models import ServiceType, WelshLanguage
from app.reference.labels import LABELS

CURRENCY = "GBP"
WITH_ACCOMMODATION = {
    ServiceType.care_home_adults,
    ServiceType.supported_living,
    ServiceType.adult_placement,
}
BUYER_ROLES = ["buyer", "procuringEntity"]
SUPPLIER_ROLES = ["tenderer", "supplier"]


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Process:
    """Whose contracting process: its ocid and the buyer."""

    ocid: str
    buyer: Party


@dataclass(frozen=True, slots=True)
class TenderFacts:
    process: Process
    tender_id: uuid.UUID
    title: str
    title_cy: str | None
    description: str
    description_cy: str | None
    service_type: ServiceType
    area_codes: Sequence[str]
    max_hourly_rate_pence: int
    welsh_language_required: WelshLanguage
    price_weight: int
    quality_weight: int
    published_at: datetime
    submission_deadline: datetime


@dataclass(frozen=True, slots=True)
class AwardFacts:
    award_id: uuid.UUID
    supplier: Party
    hourly_rate_pence: int
    hours_per_week: int
    awarded_at: datetime


@dataclass(frozen=True, slots=True)
class ContractRef:
    """A contract as a later release refers to it."""

    contract_id: uuid.UUID
    award_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class QuarterTotal:
    """What the co-op paid under a contract in one calendar quarter (days in Wales)."""

    year: int
    quarter: int
    amount_pence: int

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def last_day(self) -> date:
        first_of_next = date(self.year + self.quarter // 4, 3 * self.quarter % 12 + 1, 1)
        return first_of_next - timedelta(days=1)


def ocid(prefix: str, tender_id: uuid.UUID) -> str:
    return f"{prefix}-{tender_id}"


def party(kind: str, id_: uuid.UUID, name: str) -> Party:
    return Party(id=f"dpc-{kind}-{id_}", name=name)


def money(pence: int) -> dict[str, Any]:
    amount: Decimal = pounds(pence)
    return {"amount": amount, "currency": CURRENCY}


def when(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def end_of_day(day: date) -> str:
    """The last second of a day in Wales, with its offset (+01:00 in summer)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=WALES).isoformat()


def ref(p: Party) -> dict[str, Any]:
    return {"id": p.id, "name": p.name}


def entry(p: Party, roles: list[str]) -> dict[str, Any]:
    return {**ref(p), "roles": roles}


def label(kind: str, value: str) -> dict[str, str]:
    return LABELS[kind][value]


def unit(rate_pence: int) -> dict[str, Any]:
    return {
        "scheme": "UNCEFACT",
        "id": "HUR",
        "name": "hour",
        "name_cy": "awr",
        "value": money(rate_pence),
    }


def item(
    t: TenderFacts, *, hours_per_week: int, rate_pence: int, people: int | None = None
) -> dict[str, Any]:
    """The one item bought: hours of care a week, at a rate. `people` (at the deadline) is
    said under the disclosure rule: about N for 8 or more, "fewer than 8" below."""
    kind = label("service_type", t.service_type.value)
    en, cy = f"{kind['en']}: hours of care a week", f"{kind['cy']}: oriau o ofal yr wythnos"
    if people is not None:
        figure = people_count(people)
        if figure.value == 0:
            en, cy = f"{en}, with no demand declared", f"{cy}, heb alw wedi'i ddatgan"
        elif figure.value is None:
            en, cy = f"{en}, for fewer than 8 people", f"{cy}, ar gyfer llai nag 8 o bobl"
        else:
            en, cy = (
                f"{en}, for about {figure.value} people",
                f"{cy}, ar gyfer tua {figure.value} o bobl",
            )
    with_accommodation = t.service_type in WITH_ACCOMMODATION
    return {
        "id": "1",
        "description": en,
        "description_cy": cy,
        "classification": {
            "scheme": "CPV",
            "id": "85311000" if with_accommodation else "85312000",
            "description": "Social work services with accommodation"
            if with_accommodation
            else "Social work services without accommodation",
            "description_cy": "Gwasanaethau gwaith cymdeithasol gyda llety"
            if with_accommodation
            else "Gwasanaethau gwaith cymdeithasol heb lety",
        },
        "quantity": hours_per_week,
        "unit": unit(rate_pence),
    }


def release(
    process: Process,
    *,
    release_id: str,
    at: datetime,
    tag: str,
    others: Sequence[dict[str, Any]] = (),
    **sections: Any,
) -> dict[str, Any]:
    return {
        "ocid": process.ocid,
        "id": f"{process.ocid}-{release_id}",
        "date": when(at),
        "tag": [tag],
        "initiationType": "tender",
        "language": "en",
        "parties": [entry(process.buyer, BUYER_ROLES), *others],
        "buyer": ref(process.buyer),
        **sections,
    }
