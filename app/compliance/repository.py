"""Queries for compliance records: which a caller may see, and which are in force."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import ScalarSelect

from app.compliance.models import ComplianceKind, ComplianceRecord, SubjectKind


def latest_seq() -> ScalarSelect[int]:
    """The seq of the record in force of each row's subject and kind (a correlated subquery)."""
    later = aliased(ComplianceRecord)
    return (
        select(func.max(later.seq))
        .where(
            later.coop_id == ComplianceRecord.coop_id,
            later.subject_kind == ComplianceRecord.subject_kind,
            later.subject_id == ComplianceRecord.subject_id,
            later.kind == ComplianceRecord.kind,
        )
        .scalar_subquery()
    )


def in_force() -> ColumnElement[bool]:
    return ComplianceRecord.seq == latest_seq()


def records_of(
    coop_id: uuid.UUID,
    *,
    own_member_id: uuid.UUID | None,
    subject_kind: SubjectKind | None,
    subject_id: uuid.UUID | None,
    kind: ComplianceKind | None,
    only_in_force: bool | None,
    expires_by: date | None,
) -> Select[Any]:
    """The co-op's records as rows of (record, seq in force for its group); `own_member_id`:
    only the records about that membership (a member who is not an administrator).
    `expires_by`: records in force expiring on or before that day (lapsed ones included)."""
    latest = latest_seq()
    stmt = select(ComplianceRecord, latest.label("latest_seq")).where(
        ComplianceRecord.coop_id == coop_id
    )
    if own_member_id is not None:
        stmt = stmt.where(
            ComplianceRecord.subject_kind == SubjectKind.member,
            ComplianceRecord.subject_id == own_member_id,
        )
    if subject_kind is not None:
        stmt = stmt.where(ComplianceRecord.subject_kind == subject_kind)
    if subject_id is not None:
        stmt = stmt.where(ComplianceRecord.subject_id == subject_id)
    if kind is not None:
        stmt = stmt.where(ComplianceRecord.kind == kind)
    if expires_by is not None:
        stmt = stmt.where(
            ComplianceRecord.expires_on.is_not(None),
            ComplianceRecord.expires_on <= expires_by,
        )
        only_in_force = True
    if only_in_force is True:
        stmt = stmt.where(ComplianceRecord.seq == latest)
    elif only_in_force is False:
        stmt = stmt.where(ComplianceRecord.seq != latest)
    return cast("Select[Any]", stmt)


async def records_in_force(
    session: AsyncSession,
    *,
    coop_id: uuid.UUID,
    subject_kind: SubjectKind,
    subject_id: uuid.UUID,
    kinds: Sequence[ComplianceKind],
) -> list[ComplianceRecord]:
    """The records in force of one subject in one co-op, for these kinds."""
    rows = await session.scalars(
        select(ComplianceRecord).where(
            ComplianceRecord.coop_id == coop_id,
            ComplianceRecord.subject_kind == subject_kind,
            ComplianceRecord.subject_id == subject_id,
            ComplianceRecord.kind.in_(list(kinds)),
            in_force(),
        )
    )
    return list(rows.all())


async def in_force_expiring_between(
    session: AsyncSession, first_day: date, last_day: date
) -> list[ComplianceRecord]:
    """Records in force, of every co-op, whose last day falls in [first_day, last_day]."""
    rows = await session.scalars(
        select(ComplianceRecord)
        .where(
            ComplianceRecord.expires_on >= first_day,
            ComplianceRecord.expires_on <= last_day,
            in_force(),
        )
        .order_by(ComplianceRecord.expires_on, ComplianceRecord.seq)
    )
    return list(rows.all())
