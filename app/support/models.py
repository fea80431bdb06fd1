"""Shared administrative support: the services a co-op offers, who subscribed when, and
the support desk's requests and comments."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, enum_column


class SupportCategory(StrEnum):
    payroll = "payroll"
    dbs_checks = "dbs_checks"
    insurance = "insurance"
    dp_returns = "dp_returns"
    recruitment = "recruitment"
    training = "training"
    other = "other"


class SupportStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    resolved = "resolved"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    urgent = "urgent"


class SupportService(UUIDPrimaryKey, Base):
    """A shared service a co-op offers its members for a monthly fee (payroll, DBS checks...)."""

    __tablename__ = "support_service"
    __table_args__ = (
        CheckConstraint("monthly_fee_pence >= 0", name="monthly_fee_pence_non_negative"),
        Index("ix_support_service_coop_id_created_at", "coop_id", "created_at"),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[SupportCategory] = mapped_column(enum_column(SupportCategory))
    description: Mapped[str] = mapped_column(Text)
    monthly_fee_pence: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class SubscriptionPeriod(UUIDPrimaryKey, Base):
    """One stretch of days on which a member subscribed to a service.

    Both dates are inclusive: a subscription is active on every day from `started_on` to
    `ended_on` (to today while `ended_on` is null), the day of opting in and the day of opting
    out included. Periods are kept after they end, so a charge for a past month is split among
    that month's subscribers, not today's. A member has at most one open period per service
    (the partial unique index), and one member's periods of one service never overlap.
    """

    __tablename__ = "subscription_period"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
        Index(
            "uq_subscription_period_open",
            "service_id",
            "member_id",
            unique=True,
            postgresql_where=text("ended_on IS NULL"),
            sqlite_where=text("ended_on IS NULL"),
        ),
        Index("ix_subscription_period_service_id_started_on", "service_id", "started_on"),
    )

    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_service.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]


class SupportRequest(UUIDPrimaryKey, Base):
    """A member's request for help from the co-op's support desk."""

    __tablename__ = "support_request"
    __table_args__ = (
        Index("ix_support_request_coop_id_created_at", "coop_id", "created_at"),
        Index("ix_support_request_requester_member_id", "requester_member_id"),
        Index("ix_support_request_assignee_member_id", "assignee_member_id"),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    # The member the request is for; raised_by is who typed it (the member, or their
    # representative acting for them).
    requester_member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"))
    raised_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    category: Mapped[SupportCategory] = mapped_column(enum_column(SupportCategory))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    status: Mapped[SupportStatus] = mapped_column(enum_column(SupportStatus))
    assignee_member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coop_member.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]


class SupportComment(UUIDPrimaryKey, Base):
    """A comment on a support request; `number` counts them 1, 2, 3... in the order written."""

    __tablename__ = "support_comment"
    __table_args__ = (
        UniqueConstraint("request_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_request.id"))
    number: Mapped[int] = mapped_column(Integer)
    # The membership the comment speaks for, and who typed it (the member or a representative).
    author_member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"))
    written_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class SupportCharge(UUIDPrimaryKey, Base):
    """A month's charge for a shared service, posted once: the unique (service, period) pair
    makes a second charge for the same month impossible, whatever races to post it."""

    __tablename__ = "support_charge"
    __table_args__ = (
        UniqueConstraint("service_id", "period"),
        CheckConstraint("amount_pence >= 1", name="amount_positive"),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"), index=True)
    service_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_service.id"))
    # The calendar month charged, "YYYY-MM".
    period: Mapped[str] = mapped_column(String(7))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_transaction.id"), unique=True
    )
    charged_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime]
