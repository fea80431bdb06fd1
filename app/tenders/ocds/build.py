"""OCDS 1.1 releases made from plain facts, one builder for each kind of event (no database).

A release says what its event made known and no more: the tender at its publication, an
answered clarification, the bids opened at the deadline, the award or its rejection by the
members, the cancellation (`contract_releases` has the contract's own). OCDS merges them, in
date order, into the compiled release of a record (`merge`). The facts are gathered when the
event happens (`service`) or, once, from the rows that existed before releases were stored
(migration 0023); either way the builder is the same.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.core.money import pounds_text
from app.tenders.ocds.common import (
    SUPPLIER_ROLES,
    AwardFacts,
    Party,
    TenderFacts,
    entry,
    item,
    label,
    ref,
    release,
    when,
)


def tender_release(t: TenderFacts, *, hours_per_week: int) -> dict[str, Any]:
    """`tender`: the notice as published, with the demand declared by then."""
    rate = pounds_text(t.max_hourly_rate_pence)
    welsh = label("welsh_language", t.welsh_language_required.value)
    areas = ", ".join(t.area_codes)
    section: dict[str, Any] = {"id": str(t.tender_id), "title": t.title}
    if t.title_cy:
        section["title_cy"] = t.title_cy
    section["description"] = t.description
    if t.description_cy:
        section["description_cy"] = t.description_cy
    section |= {
        "status": "active",
        "procuringEntity": ref(t.process.buyer),
        "items": [item(t, hours_per_week=hours_per_week, rate_pence=t.max_hourly_rate_pence)],
        "procurementMethod": "open",
        "procurementMethodDetails": "Collective tender of a Direct Payments co-operative",
        "procurementMethodDetails_cy": "Tendr ar y cyd gan gwmni cydweithredol Taliadau Uniongyrchol",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": (
            f"Price {t.price_weight}%, quality {t.quality_weight}%; at most {rate} an hour"
        ),
        "awardCriteriaDetails_cy": (
            f"Pris {t.price_weight}%, ansawdd {t.quality_weight}%; dim mwy na {rate} yr awr"
        ),
        "submissionMethod": ["electronicSubmission"],
        "eligibilityCriteria": (
            f"Verified providers offering the service type in every area: {areas}; Welsh "
            f"language offer at least: {welsh['en']}"
        ),
        "eligibilityCriteria_cy": (
            f"Darparwyr wedi'u dilysu sy'n cynnig y math o wasanaeth ym mhob ardal: {areas}; "
            f"cynnig iaith Gymraeg o leiaf: {welsh['cy']}"
        ),
        "tenderPeriod": {"startDate": when(t.published_at), "endDate": when(t.submission_deadline)},
    }
    return release(t.process, release_id="tender", at=t.published_at, tag="tender", tender=section)


def _amendment(
    t: TenderFacts, *, release_id: str, at: datetime, amendment: dict[str, Any]
) -> dict[str, Any]:
    return release(
        t.process,
        release_id=release_id,
        at=at,
        tag="tenderAmendment",
        tender={
            "id": str(t.tender_id),
            "amendments": [{"id": release_id, "date": when(at), **amendment}],
        },
    )


def clarification_release(
    t: TenderFacts, *, question_id: uuid.UUID, question: str, answer: str, at: datetime
) -> dict[str, Any]:
    """`tenderAmendment`: a clarification answered, for every bidder alike (never the asker)."""
    return _amendment(
        t,
        release_id=f"clarification-{question_id}",
        at=at,
        amendment={
            "rationale": "A clarification question was answered.",
            "rationale_cy": "Atebwyd cwestiwn eglurhad.",
            "description": f"Question: {question}\n\nAnswer: {answer}",
        },
    )


def award_rejected_release(t: TenderFacts, *, award_id: uuid.UUID, at: datetime) -> dict[str, Any]:
    """`tenderAmendment`: the members did not approve a proposed award (back to evaluation)."""
    return _amendment(
        t,
        release_id=f"award-vote-{award_id}",
        at=at,
        amendment={
            "rationale": (
                "The members did not approve the proposed award; the tender is back in evaluation."
            ),
            "rationale_cy": (
                "Ni chymeradwyodd yr aelodau'r dyfarniad arfaethedig; mae'r tendr yn ôl yn "
                "cael ei werthuso."
            ),
        },
    )


def bids_opened_release(
    t: TenderFacts, *, tenderers: Sequence[Party], hours_per_week: int, people: int
) -> dict[str, Any]:
    """`tenderUpdate` at the deadline: who bid (never at what rate) and the demand then, the
    number of people under the disclosure rule. Without a valid bid, `unsuccessful`."""
    return release(
        t.process,
        release_id="bids-opened",
        at=t.submission_deadline,
        tag="tenderUpdate",
        others=[entry(p, ["tenderer"]) for p in tenderers],
        tender={
            "id": str(t.tender_id),
            "status": "active" if tenderers else "unsuccessful",
            "items": [
                item(
                    t,
                    hours_per_week=hours_per_week,
                    rate_pence=t.max_hourly_rate_pence,
                    people=people,
                )
            ],
            "numberOfTenderers": len(tenderers),
            "tenderers": [ref(p) for p in tenderers],
        },
    )


def cancellation_release(
    t: TenderFacts, *, reason: str, award_id: uuid.UUID | None, at: datetime
) -> dict[str, Any]:
    """`tenderCancellation`, with its published reason; an award made lapses with it."""
    sections: dict[str, Any] = {
        "tender": {
            "id": str(t.tender_id),
            "status": "cancelled",
            "documents": [
                {
                    "id": "cancellation",
                    "documentType": "cancellationDetails",
                    "title": "Why the tender was cancelled",
                    "title_cy": "Pam y canslwyd y tendr",
                    "description": reason,
                    "datePublished": when(at),
                }
            ],
        }
    }
    if award_id is not None:
        sections["awards"] = [{"id": str(award_id), "status": "cancelled"}]
    return release(
        t.process, release_id="cancellation", at=at, tag="tenderCancellation", **sections
    )


def award_release(t: TenderFacts, *, award: AwardFacts) -> dict[str, Any]:
    """`award`: the supplier and the awarded rate (no other bid's rate, ever)."""
    return release(
        t.process,
        release_id="award",
        at=award.awarded_at,
        tag="award",
        others=[entry(award.supplier, SUPPLIER_ROLES)],
        tender={"id": str(t.tender_id), "status": "complete"},
        awards=[
            {
                "id": str(award.award_id),
                "status": "active",
                "date": when(award.awarded_at),
                "suppliers": [ref(award.supplier)],
                "items": [
                    item(
                        t,
                        hours_per_week=award.hours_per_week,
                        rate_pence=award.hourly_rate_pence,
                    )
                ],
            }
        ],
    )
