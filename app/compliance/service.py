"""Compliance records: filing them (never changing them), who sees them, and whether a
provider's paperwork lets it bid.

A co-op's administrators file records about its members, its workers and the providers it
buys from; a member who is not an administrator files records about themselves only. Each
record is checked against its subject: a membership of this co-op that has not ended, a
worker of this co-op, or a verified provider serving at least one of the co-op's areas (the
providers it can tender to). Records are never edited: a renewal or a correction is a new
record, and the last one filed for a subject and kind is the one in force.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.compliance import repository, rules
from app.compliance.errors import NotYourRecord
from app.compliance.models import ComplianceKind, ComplianceRecord, ComplianceState, SubjectKind
from app.coops import service as coops
from app.coops.models import Member, MemberStatus
from app.core.clock import local_date
from app.core.errors import ValidationFailed
from app.core.field_errors import FieldError, field_error
from app.employment.models import Worker
from app.providers import service as providers
from app.providers.models import ProviderStatus


@dataclass(frozen=True, slots=True)
class Filing:
    subject_kind: SubjectKind
    subject_id: uuid.UUID
    kind: ComplianceKind
    reference: str
    issued_on: date
    expires_on: date | None
    document_sha256: str | None


def sees_all(actor: Actor, member: Member) -> bool:
    """Administrators acting in person see every record of the co-op; anyone else their own."""
    return member.is_admin and not actor.is_representing


async def worker_user_id(session: AsyncSession, worker_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(select(Worker.user_id).where(Worker.id == worker_id))


async def _subject_person(
    session: AsyncSession, coop_id: uuid.UUID, filing: Filing
) -> tuple[bool, uuid.UUID | None]:
    """Whether the subject belongs with the co-op, and the person it is (None for a provider
    or a worker without an account)."""
    match filing.subject_kind:
        case SubjectKind.member:
            found = await coops.find_member(session, coop_id=coop_id, member_id=filing.subject_id)
            if found is None or found.status == MemberStatus.left:
                return False, None
            return True, found.user_id
        case SubjectKind.worker:
            row = (
                await session.execute(
                    select(Worker.id, Worker.user_id).where(
                        Worker.id == filing.subject_id, Worker.coop_id == coop_id
                    )
                )
            ).one_or_none()
            return (row is not None), (row.user_id if row is not None else None)
        case SubjectKind.provider:
            provider = await providers.provider_with_offer(session, filing.subject_id)
            if provider is None or provider.status != ProviderStatus.verified:
                return False, None
            coop = await coops.get_coop(session, coop_id)
            return bool(set(provider.area_codes) & set(coop.area_codes)), None
    return False, None  # pragma: no cover - every subject kind is matched above


SUBJECT_MISSING = {
    SubjectKind.member: (
        "No membership of this co-op with this id (or it has ended).",
        "Nid oes aelodaeth o'r gydweithfa hon gyda'r id hwn (neu mae wedi dod i ben).",
    ),
    SubjectKind.worker: (
        "No worker of this co-op with this id.",
        "Nid oes gweithiwr o'r gydweithfa hon gyda'r id hwn.",
    ),
    SubjectKind.provider: (
        "No verified provider serving any of this co-op's areas with this id.",
        "Nid oes darparwr wedi'i ddilysu sy'n gwasanaethu unrhyw un o ardaloedd y gydweithfa "
        "hon gyda'r id hwn.",
    ),
}


def _field_errors(filing: Filing, *, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    if not rules.fits(filing.subject_kind, filing.kind):
        allowed = ", ".join(sorted(k.value for k in rules.KINDS_FOR[filing.subject_kind]))
        errors.append(
            field_error(
                ["body", "kind"],
                f"Not a kind of record kept about a {filing.subject_kind.value}: one of {allowed}.",
                msg_cy=f"Nid yw'n fath o gofnod a gedwir am {filing.subject_kind.value}: un o "
                f"{allowed}.",
                ctx={"expected": allowed},
            )
        )
    if filing.issued_on > today:
        errors.append(
            field_error(
                ["body", "issued_on"],
                "The day of issue may not be after today.",
                msg_cy="Ni all y dyddiad cyhoeddi fod ar ôl heddiw.",
                ctx={"today": today.isoformat()},
            )
        )
    if filing.expires_on is not None and filing.expires_on <= filing.issued_on:
        errors.append(
            field_error(
                ["body", "expires_on"],
                "The last day must be after the day of issue.",
                msg_cy="Rhaid i'r diwrnod olaf fod ar ôl y dyddiad cyhoeddi.",
            )
        )
    return errors


async def file_record(
    session: AsyncSession, actor: Actor, member: Member, filing: Filing, *, now: datetime
) -> ComplianceRecord:
    """File a record in `member`'s co-op: an administrator about any subject, anyone else
    about their own membership only (403 before anything about the subject is checked, so
    nothing is learnt of others). Every field in error is named at once."""
    own = filing.subject_kind == SubjectKind.member and filing.subject_id == member.id
    if not member.is_admin and not own:
        raise NotYourRecord
    errors = _field_errors(filing, today=local_date(now))
    belongs, person = await _subject_person(session, member.coop_id, filing)
    if not belongs:
        en, cy = SUBJECT_MISSING[filing.subject_kind]
        errors.insert(0, field_error(["body", "subject_id"], en, msg_cy=cy))
    if errors:
        raise ValidationFailed(errors)
    record = ComplianceRecord(
        coop_id=member.coop_id,
        subject_kind=filing.subject_kind,
        subject_id=filing.subject_id,
        kind=filing.kind,
        reference=filing.reference,
        issued_on=filing.issued_on,
        expires_on=filing.expires_on,
        document_sha256=filing.document_sha256,
        recorded_at=now,
        recorded_by_user_id=actor.user.id,
    )
    session.add(record)
    await session.flush()
    # Ids, the kind and the days only: the reference (a certificate number) stays out of the
    # audit chain.
    audit.record(
        session,
        actor,
        "compliance.recorded",
        "compliance_record",
        record.id,
        coop_id=member.coop_id,
        data={
            "subject_kind": filing.subject_kind.value,
            "subject_id": filing.subject_id,
            "kind": filing.kind.value,
            "issued_on": filing.issued_on.isoformat(),
            "expires_on": filing.expires_on.isoformat() if filing.expires_on else None,
        },
        about=person,
    )
    return record


@dataclass(frozen=True, slots=True)
class Filters:
    subject_kind: SubjectKind | None = None
    subject_id: uuid.UUID | None = None
    kind: ComplianceKind | None = None
    in_force: bool | None = None
    due_within_days: int | None = None


def visible_records(actor: Actor, member: Member, filters: Filters, *, today: date) -> Select[Any]:
    """Rows (record, seq in force) the caller may see, filtered."""
    expires_by = None
    if filters.due_within_days is not None:
        expires_by = today + timedelta(days=filters.due_within_days)
    return repository.records_of(
        member.coop_id,
        own_member_id=None if sees_all(actor, member) else member.id,
        subject_kind=filters.subject_kind,
        subject_id=filters.subject_id,
        kind=filters.kind,
        only_in_force=filters.in_force,
        expires_by=expires_by,
    )


def state_of(record: ComplianceRecord, *, today: date) -> ComplianceState:
    return rules.state_on(record.expires_on, today)


async def lapsed_for_bidding(
    session: AsyncSession, *, coop_id: uuid.UUID, provider_id: uuid.UUID, today: date
) -> list[ComplianceKind]:
    """The kinds among public liability and CIW registration whose record in force, filed
    with this co-op, has lapsed. A provider with no such record has nothing lapsed: only a
    record can lapse."""
    records = await repository.records_in_force(
        session,
        coop_id=coop_id,
        subject_kind=SubjectKind.provider,
        subject_id=provider_id,
        kinds=rules.BIDDING_KINDS,
    )
    lapsed = {
        r.kind for r in records if rules.state_on(r.expires_on, today) == ComplianceState.lapsed
    }
    return [kind for kind in rules.BIDDING_KINDS if kind in lapsed]
