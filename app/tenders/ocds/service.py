"""Open Contracting Data Standard 1.1 release packages for published tenders.

A tender's releases follow it through planning, tender, the close of bidding, award,
contract or cancellation, each tagged for its stage and dated when it happened. Nothing about
bids appears before the deadline; afterwards the tenderers are named, and the award carries
the awarded rate alone. Amounts are pounds (pence / 100 as Decimal, two places) and are
written as JSON numbers without ever passing through a float.
"""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.coops.models import Coop
from app.core.errors import must_exist
from app.core.money import pounds, pounds_text
from app.providers.models import Provider, ServiceType
from app.reference.labels import LABELS
from app.tenders import repository
from app.tenders.models import AwardStatus, Contract, Tender, TenderArea, TenderAward, TenderBid
from app.tenders.states import TenderStatus

OCDS_VERSION = "1.1"
CURRENCY = "GBP"
HOUR = {"scheme": "UNCEFACT", "id": "HUR", "name": "hour"}
WITH_ACCOMMODATION = {
    ServiceType.care_home_adults,
    ServiceType.supported_living,
    ServiceType.adult_placement,
}


@dataclass(frozen=True, slots=True)
class Process:
    """Everything the releases of one tender are made from."""

    tender: Tender
    coop: Coop
    total_hours_per_week: int
    tenderers: Sequence[Provider]
    award: TenderAward | None
    contract: Contract | None


def money(pence: int) -> dict[str, Any]:
    return {"amount": pounds(pence), "currency": CURRENCY}


def when(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def ocid(prefix: str, tender_id: uuid.UUID) -> str:
    return f"{prefix}-{tender_id}"


def _party_id(kind: str, id_: uuid.UUID) -> str:
    return f"dpc-{kind}-{id_}"


def _ref(party: dict[str, Any]) -> dict[str, Any]:
    return {"id": party["id"], "name": party["name"]}


def _item(tender: Tender, hours_per_week: int, rate_pence: int | None) -> dict[str, Any]:
    label = LABELS["service_type"][tender.service_type.value]["en"]
    with_accommodation = tender.service_type in WITH_ACCOMMODATION
    unit: dict[str, Any] = dict(HOUR)
    if rate_pence is not None:
        unit["value"] = money(rate_pence)
    return {
        "id": "1",
        "description": f"{label}: hours of care a week",
        "classification": {
            "scheme": "CPV",
            "id": "85311000" if with_accommodation else "85312000",
            "description": "Social work services with accommodation"
            if with_accommodation
            else "Social work services without accommodation",
        },
        "quantity": hours_per_week,
        "unit": unit,
    }


def releases(process: Process, *, prefix: str) -> list[dict[str, Any]]:
    """The tender's releases in the order they happened (a draft has none)."""
    tender = process.tender
    if tender.published_at is None:
        return []
    the_ocid = ocid(prefix, tender.id)
    buyer = {
        "id": _party_id("coop", process.coop.id),
        "name": process.coop.name,
        "roles": ["buyer", "procuringEntity"],
    }
    award = process.award if process.award and process.award.status == AwardStatus.awarded else None
    supplier_id = _party_id("provider", award.bid.provider_id) if award else None
    tenderers = [
        {"id": _party_id("provider", p.id), "name": p.name, "roles": ["tenderer"]}
        for p in process.tenderers
    ]

    def parties(sections: dict[str, Any]) -> list[dict[str, Any]]:
        """The buyer; the tenderers once named; the supplier as such once awarded."""
        if "tenderers" not in sections.get("tender", {}):
            return [buyer]
        awarding = "awards" in sections
        return [
            buyer,
            *(
                {**t, "roles": ["tenderer", "supplier"]}
                if awarding and t["id"] == supplier_id
                else t
                for t in tenderers
            ),
        ]

    def release(stage: str, at: datetime, tags: list[str], **sections: Any) -> dict[str, Any]:
        return {
            "ocid": the_ocid,
            "id": f"{the_ocid}-{stage}",
            "date": when(at),
            "tag": tags,
            "initiationType": "tender",
            "language": "en",
            "parties": parties(sections),
            "buyer": _ref(buyer),
            **sections,
        }

    def tender_section(status: str, *, bids_opened: bool) -> dict[str, Any]:
        section: dict[str, Any] = {
            "id": str(tender.id),
            "title": tender.title,
            "description": tender.description,
            "status": status,
            "procuringEntity": _ref(buyer),
            "items": [_item(tender, process.total_hours_per_week, tender.max_hourly_rate_pence)],
            "procurementMethod": "open",
            "procurementMethodDetails": "Collective tender of a Direct Payments co-operative",
            "mainProcurementCategory": "services",
            "awardCriteria": "ratedCriteria",
            "awardCriteriaDetails": (
                f"Price {tender.price_weight}%, quality {tender.quality_weight}%; at most "
                f"{pounds_text(tender.max_hourly_rate_pence)} an hour"
            ),
            "submissionMethod": ["electronicSubmission"],
            "eligibilityCriteria": (
                "Verified providers offering the service type in every area: "
                f"{', '.join(tender.area_codes)}; Welsh language offer at least "
                f"'{tender.welsh_language_required.value}'"
            ),
            "tenderPeriod": {
                "startDate": when(tender.published_at or tender.created_at),
                "endDate": when(tender.submission_deadline),
            },
        }
        if bids_opened:
            section["numberOfTenderers"] = len(tenderers)
            section["tenderers"] = [_ref(t) for t in tenderers]
        return section

    out = [
        release(
            "planning",
            tender.created_at,
            ["planning"],
            planning={"rationale": tender.description},
            tender={"id": str(tender.id), "title": tender.title, "status": "planned"},
        ),
        release(
            "tender",
            tender.published_at,
            ["tender"],
            tender=tender_section("active", bids_opened=False),
        ),
    ]
    opened = tender.bids_opened_at
    if opened is not None and (tender.cancelled_at is None or opened <= tender.cancelled_at):
        status = "unsuccessful" if tender.status == TenderStatus.unsuccessful else "active"
        out.append(
            release(
                "bids-opened",
                opened,
                ["tenderUpdate"],
                tender=tender_section(status, bids_opened=True),
            )
        )
    awarded_at = award.awarded_at if award else None
    if award is not None and awarded_at is not None:
        out.append(
            release(
                "award",
                awarded_at,
                ["award"],
                tender=tender_section("complete", bids_opened=True),
                awards=[_award(tender, award, tenderers, process.total_hours_per_week, "active")],
            )
        )
    if process.contract is not None and award is not None:
        out.append(
            release(
                "contract",
                process.contract.created_at,
                ["contract"],
                tender=tender_section("complete", bids_opened=True),
                awards=[_award(tender, award, tenderers, process.total_hours_per_week, "active")],
                contracts=[_contract(tender, process.contract, award)],
            )
        )
    if tender.cancelled_at is not None:
        sections: dict[str, Any] = {
            "tender": tender_section(
                "cancelled", bids_opened=opened is not None and opened <= tender.cancelled_at
            )
        }
        if award is not None and awarded_at is not None:
            sections["awards"] = [
                _award(tender, award, tenderers, process.total_hours_per_week, "cancelled")
            ]
        out.append(release("cancellation", tender.cancelled_at, ["tenderCancellation"], **sections))
    return sorted(out, key=lambda r: r["date"])


def _award(
    tender: Tender,
    award: TenderAward,
    tenderers: Sequence[dict[str, Any]],
    hours_per_week: int,
    status: str,
) -> dict[str, Any]:
    supplier = next(t for t in tenderers if t["id"] == _party_id("provider", award.bid.provider_id))
    awarded_at = must_exist(award.awarded_at, "only made awards are published")
    return {
        "id": str(award.id),
        "status": status,
        "date": when(awarded_at),
        "suppliers": [_ref(supplier)],
        "items": [_item(tender, hours_per_week, award.bid.hourly_rate_pence)],
    }


def _contract(tender: Tender, contract: Contract, award: TenderAward) -> dict[str, Any]:
    hours = sum(c.hours_per_week for c in contract.call_offs)
    return {
        "id": str(contract.id),
        "awardID": str(award.id),
        "status": "active",
        "dateSigned": when(contract.created_at),
        "period": {"startDate": when(contract.created_at)},
        "items": [_item(tender, hours, contract.hourly_rate_pence)],
    }


def package(items: Sequence[dict[str, Any]], *, uri: str, publisher: str) -> dict[str, Any]:
    """A release package; generated on demand, it is dated by its latest release."""
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": max(r["date"] for r in items),
        "publisher": {"name": publisher},
        "releases": list(items),
    }


def render(value: Any) -> str:
    """JSON with Decimals as exact numbers and Welsh letters as they are (not \\u escapes)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return "{" + ",".join(f"{render(str(k))}:{render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(render(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


async def processes(session: AsyncSession, items: Sequence[Tender]) -> list[Process]:
    """What the releases of these tenders are made from, read in a few queries."""
    ids = [t.id for t in items]
    coops = {
        c.id: c
        for c in await session.scalars(select(Coop).where(Coop.id.in_({t.coop_id for t in items})))
    }
    demand = await repository.demand_totals(session, ids)
    awards = await repository.live_awards(session, ids)
    bidders = await session.execute(
        select(TenderBid.tender_id, Provider)
        .join(Provider, Provider.id == TenderBid.provider_id)
        .where(TenderBid.tender_id.in_(ids), repository.live_bid())
        .order_by(TenderBid.submitted_at, TenderBid.id)
    )
    tenderers: dict[uuid.UUID, list[Provider]] = {}
    for tender_id, provider in bidders.all():
        tenderers.setdefault(tender_id, []).append(provider)
    contracts = {
        c.tender_id: c
        for c in await session.scalars(
            select(Contract)
            .where(Contract.tender_id.in_(ids))
            .options(selectinload(Contract.call_offs))
        )
    }
    return [
        Process(
            tender=t,
            coop=coops[t.coop_id],
            total_hours_per_week=demand.get(t.id, repository.Demand()).total_hours_per_week,
            tenderers=tenderers.get(t.id, []) if t.bids_opened_at is not None else [],
            award=awards.get(t.id),
            contract=contracts.get(t.id),
        )
        for t in items
    ]


def in_area(area_code: str) -> Any:
    return (
        repository.tenders()
        .where(
            Tender.status != TenderStatus.draft,
            Tender.id.in_(select(TenderArea.tender_id).where(TenderArea.area_code == area_code)),
        )
        .order_by(Tender.created_at, Tender.id)
    )
