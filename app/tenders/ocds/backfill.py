"""The one-time step of migration 0023: tenders published before releases were stored get
their releases rebuilt once from the rows, as their first stored releases.

Each past event of a published tender becomes the release it would have written then, with
the event's own date and the same id (so a later event recorded live finds it and is not
written twice): publication, answered clarifications, awards voted down, the close of
bidding, the award, the contract, the cancellation, and the payments of closed quarters. What
the rows no longer hold is taken as it is now: the demand at publication is today's (demand
cannot change after the deadline, so the close of bidding is exact), names are today's. The
releases are numbered in date order. No audit entry is written: a migration is nobody's act.

It reads the tables through explicit columns as they stand at revision 0023, never through
the models, so that it keeps working on a database at that revision whatever the models
become; whoever changes those columns later keeps this reading them as they were.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.core.db import UTCDateTime
from app.providers.models import ServiceType, WelshLanguage
from app.tenders.ocds import build, common, contract_releases, spend
from app.tenders.ocds.packages import render


def _table(name: str, *columns: sa.ColumnClause[Any]) -> sa.TableClause:
    return sa.table(name, *columns)


def _uuid(name: str) -> sa.ColumnClause[Any]:
    return sa.column(name, sa.Uuid())


def _time(name: str) -> sa.ColumnClause[Any]:
    return sa.column(name, UTCDateTime())


TENDER = _table(
    "tender",
    _uuid("id"),
    _uuid("coop_id"),
    *(sa.column(n) for n in ("title", "title_cy", "description", "description_cy")),
    *(sa.column(n) for n in ("service_type", "welsh_language_required", "status")),
    *(sa.column(n) for n in ("max_hourly_rate_pence", "price_weight", "quality_weight")),
    sa.column("cancellation_reason"),
    *(_time(n) for n in ("submission_deadline", "published_at", "bids_opened_at")),
    _time("cancelled_at"),
)
TENDER_AREA = _table("tender_area", _uuid("tender_id"), sa.column("area_code"))
COOP = _table("coop", _uuid("id"), sa.column("name"))
PROVIDER = _table("provider", _uuid("id"), sa.column("name"))
DEMAND = _table("tender_demand", _uuid("tender_id"), sa.column("hours_per_week"))
QUESTION = _table(
    "tender_question",
    _uuid("id"),
    _uuid("tender_id"),
    sa.column("question"),
    sa.column("answer"),
    _time("answered_at"),
)
BID = _table(
    "tender_bid",
    _uuid("id"),
    _uuid("tender_id"),
    _uuid("provider_id"),
    sa.column("status"),
    sa.column("hourly_rate_pence"),
    _time("submitted_at"),
)
AWARD = _table(
    "tender_award",
    _uuid("id"),
    _uuid("tender_id"),
    _uuid("bid_id"),
    sa.column("status"),
    _time("decided_at"),
    _time("awarded_at"),
)
CONTRACT = _table(
    "contract",
    _uuid("id"),
    _uuid("tender_id"),
    _uuid("bid_id"),
    _uuid("provider_id"),
    sa.column("hourly_rate_pence"),
    _time("created_at"),
)
CALL_OFF = _table("contract_call_off", _uuid("contract_id"), sa.column("hours_per_week"))
INVOICE = _table(
    "invoice", _uuid("id"), _uuid("contract_id"), sa.column("status"), _time("paid_at")
)
LINE = _table(
    "invoice_line",
    _uuid("invoice_id"),
    _uuid("member_id"),
    sa.column("amount_pence"),
    sa.column("status"),
)
RELEASE = _table(
    "ocds_release",
    sa.column("seq"),
    sa.column("release_id"),
    sa.column("ocid"),
    _uuid("tender_id"),
    sa.column("tag"),
    _time("date"),
    _time("recorded_at"),
    sa.column("body"),
)
HEAD = _table("ocds_feed_head", sa.column("id"), sa.column("last_seq"))


@dataclass(frozen=True, slots=True)
class Rebuilt:
    tender_id: uuid.UUID
    release: dict[str, Any]


def _grouped(rows: Iterable[Any], key: str) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def rebuild(connection: Connection, *, ocid_prefix: str) -> list[Rebuilt]:
    """Every release the published tenders' rows call for, oldest first."""
    tenders = connection.execute(
        sa.select(TENDER).where(TENDER.c.published_at.is_not(None)).order_by(TENDER.c.id)
    ).all()
    coops = {r.id: r.name for r in connection.execute(sa.select(COOP))}
    providers = {r.id: r.name for r in connection.execute(sa.select(PROVIDER))}
    areas = _grouped(connection.execute(sa.select(TENDER_AREA)), "tender_id")
    demand = _grouped(connection.execute(sa.select(DEMAND)), "tender_id")
    questions = _grouped(
        connection.execute(
            sa.select(QUESTION)
            .where(QUESTION.c.answered_at.is_not(None))
            .order_by(QUESTION.c.answered_at, QUESTION.c.id)
        ),
        "tender_id",
    )
    bids = _grouped(
        connection.execute(
            sa.select(BID).where(BID.c.status == "submitted").order_by(BID.c.submitted_at, BID.c.id)
        ),
        "tender_id",
    )
    awards = _grouped(connection.execute(sa.select(AWARD).order_by(AWARD.c.id)), "tender_id")
    contracts = {r.tender_id: r for r in connection.execute(sa.select(CONTRACT))}
    call_offs = _grouped(connection.execute(sa.select(CALL_OFF)), "contract_id")
    invoices = _grouped(
        connection.execute(
            sa.select(INVOICE)
            .where(INVOICE.c.status == "paid")
            .order_by(INVOICE.c.paid_at, INVOICE.c.id)
        ),
        "contract_id",
    )
    lines = _grouped(
        connection.execute(sa.select(LINE).where(LINE.c.status != "voided")), "invoice_id"
    )

    out: list[Rebuilt] = []
    for t in tenders:
        facts = common.TenderFacts(
            process=common.Process(
                ocid=common.ocid(ocid_prefix, t.id),
                buyer=common.party("coop", t.coop_id, coops[t.coop_id]),
            ),
            tender_id=t.id,
            title=t.title,
            title_cy=t.title_cy,
            description=t.description,
            description_cy=t.description_cy,
            service_type=ServiceType(t.service_type),
            area_codes=tuple(sorted(r.area_code for r in areas[t.id])),
            max_hourly_rate_pence=t.max_hourly_rate_pence,
            welsh_language_required=WelshLanguage(t.welsh_language_required),
            price_weight=t.price_weight,
            quality_weight=t.quality_weight,
            published_at=t.published_at,
            submission_deadline=t.submission_deadline,
        )
        hours = sum(r.hours_per_week for r in demand[t.id])
        people = len(demand[t.id])

        def add(release: dict[str, Any], tender_id: uuid.UUID = t.id) -> None:
            out.append(Rebuilt(tender_id, release))

        add(build.tender_release(facts, hours_per_week=hours))
        for q in questions[t.id]:
            add(
                build.clarification_release(
                    facts, question_id=q.id, question=q.question, answer=q.answer, at=q.answered_at
                )
            )
        made = next((a for a in awards[t.id] if a.status == "awarded"), None)
        for a in awards[t.id]:
            voted_down = a.status == "rejected" and a.decided_at is not None
            if voted_down and not (t.cancelled_at and t.cancelled_at <= a.decided_at):
                add(build.award_rejected_release(facts, award_id=a.id, at=a.decided_at))
        if t.bids_opened_at is not None:
            tenderers = [
                common.party("provider", b.provider_id, providers[b.provider_id])
                for b in bids[t.id]
            ]
            add(
                build.bids_opened_release(
                    facts, tenderers=tenderers, hours_per_week=hours, people=people
                )
            )
        bid_rates = {b.id: b.hourly_rate_pence for b in bids[t.id]}
        if made is not None and made.awarded_at is not None and made.bid_id in bid_rates:
            winner = next(b for b in bids[t.id] if b.id == made.bid_id)
            supplier = common.party("provider", winner.provider_id, providers[winner.provider_id])
            add(
                build.award_release(
                    facts,
                    award=common.AwardFacts(
                        award_id=made.id,
                        supplier=supplier,
                        hourly_rate_pence=bid_rates[made.bid_id],
                        hours_per_week=hours,
                        awarded_at=made.awarded_at,
                    ),
                )
            )
            contract = contracts.get(t.id)
            if contract is not None:
                ref = common.ContractRef(contract_id=contract.id, award_id=made.id)
                add(
                    contract_releases.contract_release(
                        facts,
                        contract=ref,
                        supplier=supplier,
                        hourly_rate_pence=contract.hourly_rate_pence,
                        hours_per_week=sum(c.hours_per_week for c in call_offs[contract.id]),
                        signed_at=contract.created_at,
                    )
                )
                for release in _payments(facts, ref, supplier, invoices[contract.id], lines):
                    add(release)
        if t.cancelled_at is not None:
            add(
                build.cancellation_release(
                    facts,
                    reason=t.cancellation_reason or "",
                    award_id=made.id if made is not None and made.awarded_at else None,
                    at=t.cancelled_at,
                )
            )
    return sorted(out, key=lambda r: str(r.release["date"]))


def _payments(
    facts: common.TenderFacts,
    ref: common.ContractRef,
    supplier: common.Party,
    paid: list[Any],
    lines: dict[Any, list[Any]],
) -> list[dict[str, Any]]:
    """The implementation releases the payments would have written, one after another."""
    out: list[dict[str, Any]] = []
    payments: list[spend.Payment] = []
    shown: set[str] = set()
    for invoice in paid:
        payments.append(
            spend.Payment(
                paid_at=invoice.paid_at,
                amount_pence=sum(line.amount_pence for line in lines[invoice.id]),
                member_ids=frozenset(line.member_id for line in lines[invoice.id]),
            )
        )
        quarters = spend.publishable_quarters(payments, now=invoice.paid_at)
        keys = {q.key for q in quarters}
        if keys - shown:
            shown |= keys
            out.append(
                contract_releases.implementation_release(
                    facts.process,
                    contract=ref,
                    supplier=supplier,
                    invoice_id=invoice.id,
                    quarters=quarters,
                    at=invoice.paid_at,
                )
            )
    return out


def store(connection: Connection, *, ocid_prefix: str) -> int:
    """Write the rebuilt releases as the first stored ones; how many were written."""
    rebuilt = rebuild(connection, ocid_prefix=ocid_prefix)
    now = datetime.now(UTC)
    for seq, item in enumerate(rebuilt, start=1):
        [tag] = item.release["tag"]
        connection.execute(
            RELEASE.insert().values(
                seq=seq,
                release_id=str(item.release["id"]),
                ocid=str(item.release["ocid"]),
                tender_id=item.tender_id,
                tag=tag,
                date=datetime.fromisoformat(str(item.release["date"])),
                recorded_at=now,
                body=render(item.release),
            )
        )
    connection.execute(HEAD.insert().values(id=1, last_seq=len(rebuilt)))
    return len(rebuilt)
