"""The outbox: events, each person's notifications of them, webhooks and their deliveries."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, enum_column
from app.notifications.events import EventType


class SendStatus(StrEnum):
    pending = "pending"  # due at next_at
    sent = "sent"  # the e-mail was handed to the mail server, or the receiver answered 2xx
    off = "off"  # the person turned these e-mails off
    skipped = "skipped"  # nobody to send to any more (an account closed)
    failed = "failed"  # still failing 24 hours after the event: given up


class NotificationEvent(UUIDPrimaryKey, Base):
    """Something that happened, written in the transaction that made it happen."""

    __tablename__ = "notification_event"
    __table_args__ = (Index("ix_notification_event_coop_id_at", "coop_id", "at"),)

    type: Mapped[EventType] = mapped_column(enum_column(EventType))
    at: Mapped[datetime]
    coop_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coop.id"))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID]
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Once-only events carry a key: a second event with the same key is never written.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)


class Notification(UUIDPrimaryKey, Base):
    """One person's copy of an event: their feed entry and their e-mail."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_notification_user_id_at", "user_id", "at", "id"),
        Index("ix_notification_email_status_next_at", "email_status", "email_next_at"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notification_event.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # The holder this reaches the person as a representative of (None: their own).
    for_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    email_status: Mapped[SendStatus] = mapped_column(enum_column(SendStatus))
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_next_at: Mapped[datetime | None]
    # A worker holds the e-mail until then while it sends it.
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class NotificationPreference(Base):
    """The e-mails a person turned off or on; a type not named here is e-mailed."""

    __tablename__ = "notification_preference"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    email: Mapped[dict[str, bool]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class NotificationFlag(Base):
    """A condition whose turning true is announced once (a member's surplus)."""

    __tablename__ = "notification_flag"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    raised: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime]


class Webhook(UUIDPrimaryKey, Base):
    """An address told of a co-op's events (`coop_id`), or of every co-op's (None: a
    platform administrator's)."""

    __tablename__ = "webhook"
    __table_args__ = (Index("ix_webhook_coop_id", "coop_id"),)

    coop_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coop.id"))
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(String(500))
    # The signing key: kept as given, since every delivery is signed with it.
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    deleted_at: Mapped[datetime | None]


class WebhookDelivery(UUIDPrimaryKey, Base):
    """One event for one webhook, tried until the receiver answers 2xx or 24 hours pass."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        Index("ix_webhook_delivery_status_next_at", "status", "next_at"),
    )

    webhook_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook.id"))
    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notification_event.id", ondelete="CASCADE")
    )
    status: Mapped[SendStatus] = mapped_column(enum_column(SendStatus))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]


class WebhookAttempt(UUIDPrimaryKey, Base):
    """One try of a delivery, as the webhook's owner reads it."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (Index("ix_webhook_attempt_webhook_id_at", "webhook_id", "at", "id"),)

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE")
    )
    webhook_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook.id"))
    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notification_event.id", ondelete="CASCADE")
    )
    at: Mapped[datetime]
    status_code: Mapped[int | None] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    # Why a try failed without an answer (timeout, refused address); never the answer's body.
    error: Mapped[str | None] = mapped_column(String(200))
