"""Notifications, preferences and webhooks on the wire."""

import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StringConstraints, field_validator

from app.core.schemas import Input, Output
from app.notifications.events import ACCOUNT_TYPES, WEBHOOK_TYPES, EventType


class NotificationRead(Output):
    id: uuid.UUID
    type: EventType
    at: datetime
    title: str = Field(description="In the reader's language (Accept-Language, else theirs).")
    body: str
    subject_type: str = Field(description="What it is about: `proposal`, `refund`, `invoice`...")
    subject_id: uuid.UUID
    read_at: datetime | None


class NotificationsRead(Output):
    read: int = Field(description="How many notifications were marked read now.")


class NotificationPreferencesRead(Output):
    email: dict[EventType, bool] = Field(
        description="Every notification type, with whether it is e-mailed. `account.*` and "
        "`approval.waiting` are always e-mailed."
    )


class NotificationPreferencesUpdate(Input):
    email: dict[EventType, Annotated[bool, Field(strict=True)]] = Field(
        description="Types to turn on (true) or off (false); types not named keep their "
        "setting. Turning off `account.*` or `approval.waiting` answers 422 "
        "`notification_required`."
    )


def _webhook_url(url: str) -> str:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018  (reading it checks it)
    except ValueError as exc:
        raise ValueError("the port is not a number from 0 to 65535") from exc
    if parts.username is not None or parts.password is not None:
        raise ValueError("the address may not hold credentials")
    if not parts.hostname:
        raise ValueError("the address needs a host")
    return url


WebhookUrl = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        max_length=2000,
        pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?][^\s\x00]*)?$",
    ),
    AfterValidator(_webhook_url),
    Field(examples=["https://hooks.example.org/dpc"]),
]


class WebhookCreate(Input):
    url: WebhookUrl = Field(
        description="Where events are POSTed. In production: https, to a public address "
        "(else 422 `webhook_url_refused`)."
    )
    event_types: list[EventType] = Field(
        min_length=1,
        max_length=len(EventType),
        description="The events to send; `account.*` never go to a webhook. Repeats are "
        f"ignored. Any of: {', '.join(f'`{t.value}`' for t in WEBHOOK_TYPES)}.",
    )
    description: str = Field(default="", max_length=500, pattern=r"^[^\x00]*$")

    @field_validator("event_types")
    @classmethod
    def _no_account_events(cls, value: list[EventType]) -> list[EventType]:
        if any(t in ACCOUNT_TYPES for t in value):
            raise ValueError("account.* events are sent to the person only, never to a webhook")
        return value


class WebhookRead(Output):
    id: uuid.UUID
    coop_id: uuid.UUID | None = Field(description="None: every co-op's events.")
    url: str
    event_types: list[EventType]
    description: str
    created_at: datetime


class WebhookCreated(WebhookRead):
    secret: str = Field(
        description="The signing secret (`whsec_` and base64 of 32 bytes), shown this once: "
        "verify each delivery's `webhook-signature` with it, as Standard Webhooks says."
    )


class WebhookAttemptRead(Output):
    id: uuid.UUID
    event_id: uuid.UUID
    at: datetime
    status_code: int | None = Field(description="The receiver's answer; None: none came.")
    ok: bool
