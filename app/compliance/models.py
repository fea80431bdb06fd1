"""Compliance records: one document about a member, a worker or a provider, filed with a co-op.

A record is never changed once written: a renewal or a correction is a new record, and of the
records of one subject and kind the last recorded (highest `seq`) is the one in force.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, enum_column


class SubjectKind(StrEnum):
    member = "member"
    worker = "worker"
    provider = "provider"


class ComplianceKind(StrEnum):
    dbs_enhanced = "dbs_enhanced"
    dbs_basic = "dbs_basic"
    right_to_work = "right_to_work"
    employers_liability = "employers_liability"
    public_liability = "public_liability"
    ciw_registration = "ciw_registration"
    training = "training"
    employment_contract = "employment_contract"


class ComplianceState(StrEnum):
    current = "current"
    expiring = "expiring"
    lapsed = "lapsed"


class ComplianceRecord(Base):
    __tablename__ = "compliance_record"
    __table_args__ = (
        CheckConstraint("expires_on IS NULL OR expires_on > issued_on", name="expires_after_issue"),
        # The record in force of a subject and kind: the highest seq of its group.
        Index(
            "ix_compliance_record_subject",
            "coop_id",
            "subject_kind",
            "subject_id",
            "kind",
            "seq",
        ),
        # The worker's reminders look across every co-op by expiry day.
        Index("ix_compliance_record_expires_on", "expires_on"),
    )

    # The database numbers records as they are written, so "the last recorded" is exact even
    # when two share a timestamp. The public id is the UUID.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    subject_kind: Mapped[SubjectKind] = mapped_column(enum_column(SubjectKind))
    # A membership, a worker or a provider, by `subject_kind` (checked when filed).
    subject_id: Mapped[uuid.UUID]
    kind: Mapped[ComplianceKind] = mapped_column(enum_column(ComplianceKind))
    reference: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    # The last day the document is good for; None: it does not expire.
    expires_on: Mapped[date | None]
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime]
    recorded_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
