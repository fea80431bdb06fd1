"""Workers (personal assistants) known to a co-op, their employments, timesheets and payroll.

A worker may have no account: the employer keeps their timesheets. When the worker's e-mail
belongs to an account, that person may keep their own.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UUIDPrimaryKey, enum_column
from app.employment.periods import PayFrequency


class Worker(UUIDPrimaryKey, Base):
    __tablename__ = "worker"
    __table_args__ = (Index("ix_worker_coop_id_full_name", "coop_id", "full_name"),)

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))


class EmployerKind(StrEnum):
    """Who employs: a holder (member) for themselves, or the co-op for several holders."""

    member = "member"
    coop = "coop"


class TimesheetStatus(StrEnum):
    submitted = "submitted"
    confirmed = "confirmed"


class Employment(UUIDPrimaryKey, Base):
    """A worker's contract with one employer: a holder, or the co-op (whose holders then pay
    for the hours worked for each of them). Its terms do not change: new terms are a new
    employment."""

    __tablename__ = "employment"
    __table_args__ = (
        CheckConstraint(
            "(employer_kind = 'member') = (employer_member_id IS NOT NULL)",
            name="member_employer_named",
        ),
        CheckConstraint("hourly_rate_pence > 0", name="rate_positive"),
        CheckConstraint(
            "contracted_hours_per_week BETWEEN 0 AND 168", name="contracted_hours_range"
        ),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"), index=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("worker.id"), index=True)
    employer_kind: Mapped[EmployerKind] = mapped_column(enum_column(EmployerKind))
    employer_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("coop_member.id"), index=True
    )
    hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    contracted_hours_per_week: Mapped[int] = mapped_column(Integer)
    pay_frequency: Mapped[PayFrequency] = mapped_column(enum_column(PayFrequency))
    first_period_start: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))

    worker: Mapped[Worker] = relationship(lazy="raise")


class Timesheet(UUIDPrimaryKey, Base):
    """The hours of one pay period of one employment. Each `PUT` writes a new revision of the
    entries (earlier revisions stay) and makes it `submitted` again; confirming approves the
    current revision."""

    __tablename__ = "timesheet"
    __table_args__ = (
        Index(
            "uq_timesheet_employment_id_period_start", "employment_id", "period_start", unique=True
        ),
        Index("ix_timesheet_coop_id_period_start", "coop_id", "period_start"),
        CheckConstraint(
            "(status = 'confirmed') = (confirmed_at IS NOT NULL)", name="confirmed_has_time"
        ),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    employment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employment.id"))
    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[TimesheetStatus] = mapped_column(enum_column(TimesheetStatus))
    submitted_at: Mapped[datetime]
    submitted_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None]
    confirmed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))


class TimesheetEntry(UUIDPrimaryKey, Base):
    """Minutes worked on one day, in one revision of a timesheet; for the co-op's employees,
    for the member they were worked for."""

    __tablename__ = "timesheet_entry"
    __table_args__ = (
        Index("ix_timesheet_entry_timesheet_id_revision", "timesheet_id", "revision"),
        CheckConstraint("minutes BETWEEN 1 AND 1440", name="minutes_in_a_day"),
    )

    timesheet_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("timesheet.id"))
    revision: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    work_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coop_member.id"), index=True)


class PayrollExport(UUIDPrimaryKey, Base):
    """A co-op's payroll for the pay periods starting on one day, as sent to the bureau: the
    CSV is kept exactly as first answered, and its period's timesheets no longer change."""

    __tablename__ = "payroll_export"
    __table_args__ = (
        Index("uq_payroll_export_coop_id_period_start", "coop_id", "period_start", unique=True),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    period_start: Mapped[date] = mapped_column(Date)
    csv_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))


class PayrollExportLine(UUIDPrimaryKey, Base):
    """One employment's row of an export, with the timesheet revision it was read from."""

    __tablename__ = "payroll_export_line"
    __table_args__ = (
        Index(
            "uq_payroll_export_line_export_id_employment_id",
            "export_id",
            "employment_id",
            unique=True,
        ),
        CheckConstraint("minutes >= 0 AND gross_pence >= 0", name="figures_not_negative"),
    )

    export_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payroll_export.id"))
    employment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employment.id"), index=True)
    timesheet_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("timesheet.id"))
    timesheet_revision: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    hourly_rate_pence: Mapped[int] = mapped_column(Integer)
    gross_pence: Mapped[int] = mapped_column(BigInteger)


class PayrollResult(UUIDPrimaryKey, Base):
    """The bureau's figures for an export, posted once (the unique export is the guard)."""

    __tablename__ = "payroll_result"

    export_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payroll_export.id"), unique=True)
    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"), index=True)
    posted_at: Mapped[datetime]
    posted_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))


class PayrollResultLine(UUIDPrimaryKey, Base):
    """One employment's figures from the bureau and the ledger transaction its employer's
    cost (gross + employer NI + employer pension) was posted in (none for a cost of 0)."""

    __tablename__ = "payroll_result_line"
    __table_args__ = (
        Index(
            "uq_payroll_result_line_result_id_employment_id",
            "result_id",
            "employment_id",
            unique=True,
        ),
        CheckConstraint(
            "gross_pence >= 0 AND employer_ni_pence >= 0 AND employer_pension_pence >= 0 "
            "AND net_pence >= 0",
            name="figures_not_negative",
        ),
        CheckConstraint(
            "cost_pence = gross_pence + employer_ni_pence + employer_pension_pence",
            name="cost_is_the_sum",
        ),
    )

    result_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payroll_result.id"))
    employment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employment.id"))
    position: Mapped[int] = mapped_column(Integer)
    gross_pence: Mapped[int] = mapped_column(BigInteger)
    employer_ni_pence: Mapped[int] = mapped_column(BigInteger)
    employer_pension_pence: Mapped[int] = mapped_column(BigInteger)
    net_pence: Mapped[int] = mapped_column(BigInteger)
    cost_pence: Mapped[int] = mapped_column(BigInteger)
    transaction_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_transaction.id"), index=True
    )


class PayrollShare(UUIDPrimaryKey, Base):
    """What one member paid of one line's cost: all of it for their own employee; for the
    co-op's, their share by the minutes worked for them."""

    __tablename__ = "payroll_share"
    __table_args__ = (
        Index("uq_payroll_share_line_id_member_id", "line_id", "member_id", unique=True),
        CheckConstraint("minutes >= 0 AND amount_pence >= 0", name="figures_not_negative"),
    )

    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("payroll_result_line.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
