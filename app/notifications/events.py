"""What can happen that someone is told about: the event types, and an event as domains raise it.

A domain (or workflow) that makes a change calls `notify(session, Event(...))` in the same
transaction; `recipients` names the people by the rules of SPEC 25 "Who receives what", either
as user ids or as audiences the notifications domain resolves (a holder and their
representatives with `view`, a co-op's administrators, the staff of some providers).
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class EventType(StrEnum):
    membership_applied = "membership.applied"
    membership_approved = "membership.approved"
    proposal_opened = "proposal.opened"
    proposal_closing_soon = "proposal.closing_soon"
    proposal_closed = "proposal.closed"
    approval_waiting = "approval.waiting"
    refund_waiting_second_approval = "refund.waiting_second_approval"
    refund_posted = "refund.posted"
    contribution_posted = "contribution.posted"
    invoice_submitted = "invoice.submitted"
    invoice_approved = "invoice.approved"
    visit_to_confirm = "visit.to_confirm"
    tender_published = "tender.published"
    tender_awarded = "tender.awarded"
    support_request_updated = "support.request_updated"
    support_comment_added = "support.comment_added"
    compliance_expiring = "compliance.expiring"
    surplus_warning = "surplus.warning"
    account_password_changed = "account.password_changed"  # noqa: S105  (a name, no secret)
    account_email_changed = "account.email_changed"
    account_new_login = "account.new_login"
    mandate_conflict_of_interest = "mandate.conflict_of_interest"


# Sent to the person only, never to a webhook.
ACCOUNT_TYPES = frozenset(t for t in EventType if t.value.startswith("account."))
# E-mails nobody may turn off: warnings about their own account, and what waits for them.
REQUIRED_EMAIL = ACCOUNT_TYPES | {EventType.approval_waiting}
WEBHOOK_TYPES = tuple(t for t in EventType if t not in ACCOUNT_TYPES)


@dataclass(frozen=True, slots=True)
class Holders:
    """These people, and each one's representatives whose live mandate has `view`."""

    user_ids: Sequence[uuid.UUID]


@dataclass(frozen=True, slots=True)
class Members:
    """The people holding these memberships; with `viewers`, their representatives with
    `view` too."""

    member_ids: Sequence[uuid.UUID | None]
    viewers: bool = True


@dataclass(frozen=True, slots=True)
class CoopAdmins:
    """The active administrators of the event's co-op."""


@dataclass(frozen=True, slots=True)
class CoopMembers:
    """Every active member of the event's co-op."""


@dataclass(frozen=True, slots=True)
class ProviderStaff:
    """The staff of these providers."""

    provider_ids: Sequence[uuid.UUID]


@dataclass(frozen=True, slots=True)
class ProvidersServing:
    """The staff of every verified provider offering `service_type` in any of `area_codes`."""

    area_codes: Sequence[str]
    service_type: str


@dataclass(frozen=True, slots=True)
class ApprovalDeciders:
    """Whoever must decide this approval (`app.representatives.approvals.who_decides`): the
    holder and their representatives with `view`; or the approver a holder who lacks
    capacity named; or the co-op's administrators other than the holder."""

    approval_id: uuid.UUID


Audience = (
    Holders
    | Members
    | CoopAdmins
    | CoopMembers
    | ProviderStaff
    | ProvidersServing
    | ApprovalDeciders
)
Recipient = uuid.UUID | Audience
ParamValue = str | int | None


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened. `params` fill the texts of the catalogue (ids, amounts in
    pence, times, titles of co-op business) and never hold personal data: names are read
    when a text is shown, so an erased person is never named again. `key` makes the event
    once-only (a proposal's `closing_soon`): a second event with the same key is not written.
    """

    type: EventType
    subject_type: str
    subject_id: uuid.UUID
    at: datetime
    coop_id: uuid.UUID | None = None
    recipients: Sequence[Recipient] = ()
    exclude: Sequence[uuid.UUID | None] = ()
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    key: str | None = None


def account_event(type_: EventType, *, user_id: uuid.UUID, at: datetime) -> Event:
    """`account.password_changed` or `account.email_changed`, for the person only (never a
    webhook): `await notify(session, account_event(EventType.account_password_changed,
    user_id=user.id, at=now))` in the transaction that makes the change."""
    if type_ not in ACCOUNT_TYPES:
        raise ValueError(f"{type_} is not an account event")
    return Event(
        type=type_,
        subject_type="user",
        subject_id=user_id,
        at=at,
        recipients=[user_id],
        params={"changed_at": at.isoformat()},
    )
