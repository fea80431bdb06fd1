"""A person's rights over their data (UK GDPR): everything held about them, and closing.

Closing also ends their council appointments, drops a waiting change of address (it holds
an address) and voids waiting reset codes.

Closing an account pseudonymises the person's own fields, ends their memberships as leaving
does (their unspent balances are refunded) and redacts what they wrote about themselves:

* their support requests (subject and body) and every comment on them, whoever wrote it
  (a support thread is about the member who asked: a diagnosis, a phone number);
* any other support request they typed (as a representative) and any comment they wrote;
* the reasons they gave for disputing invoice lines and for querying visits.

The text becomes `[redacted]`; the rows stay, with their ids, times and statuses, so the
desk's and the invoices' history still adds up. Money records stay as they are, kept six
years for audit: that includes a ledger transaction's memo (a contribution's reference, a
refund's reason, which is its transaction's memo) on the append-only ledger, which the
database refuses to change. The audit chain, which holds ids only, stays intact and is never
updated. Text written in an office for the co-op or a provider (tender texts and answers,
proposals, bids, resolution notes) is the co-op's or provider's record and stays; it carries
the writer's id only, and the name behind that id is pseudonymised. Safeguarding concerns
they raised, or that are about them, stay as written: they are the co-op's safeguarding record.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from app.audit import service as audit
from app.audit.chain import format_at
from app.audit.models import AuditEntry
from app.auth.actor import Actor
from app.auth.models import AuthSession, EmailChange, PasswordReset, User
from app.compliance.models import ComplianceRecord, SubjectKind
from app.coops import service as coops
from app.coops.models import Member, MemberStatus
from app.councils.models import LaOfficer
from app.direct_payments.models import DirectPaymentAward
from app.employment.models import Worker
from app.evidence.models import CouncilAccessGrant
from app.governance.models import Vote
from app.ledger.models import LedgerAccount, LedgerPosting, LedgerTransaction, Refund
from app.notifications.models import Notification, NotificationPreference
from app.providers.models import ProviderChange, ProviderStaff
from app.representatives.models import LIVE_STATUSES, Approval, Mandate, MandateStatus
from app.representatives.safeguarding.models import SafeguardingConcern
from app.support.models import SubscriptionPeriod, SupportComment, SupportRequest
from app.tenders.models import CallOff, DemandLine, Invoice, InvoiceLine, TenderBid
from app.tenders.visits.models import Visit

CLOSED_NAME = "Closed account"
REDACTED = "[redacted]"
NOT_EXPORTED = {"password_hash", "secret_hash", "token_hash"}


def _value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return format_at(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: DeclarativeBase) -> dict[str, Any]:
    return {
        column.key: _value(getattr(obj, column.key))
        for column in obj.__mapper__.column_attrs
        if column.key not in NOT_EXPORTED
    }


async def _rows(session: AsyncSession, model: Any, *where: Any) -> list[dict[str, Any]]:
    return [_row(obj) for obj in (await session.scalars(select(model).where(*where))).all()]


async def export(session: AsyncSession, user: User) -> dict[str, Any]:
    """Everything held about `user`, section by section (a subject access request)."""
    member_ids = list(
        (await session.scalars(select(Member.id).where(Member.user_id == user.id))).all()
    )
    postings = await session.execute(
        select(LedgerTransaction, LedgerPosting, LedgerAccount.code)
        .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerAccount.member_id.in_(member_ids))
        .order_by(LedgerTransaction.seq, LedgerPosting.position)
    )
    return {
        "account": _row(user),
        "memberships": await _rows(session, Member, Member.user_id == user.id),
        "direct_payment_awards": await _rows(
            session, DirectPaymentAward, DirectPaymentAward.user_id == user.id
        ),
        "mandates_granted": [
            # Who an address belongs to is shown only once they have accepted.
            {**row, "representative_user_id": None} if row.get("accepted_at") is None else row
            for row in await _rows(session, Mandate, Mandate.holder_user_id == user.id)
        ],
        "mandates_held": await _rows(session, Mandate, Mandate.representative_user_id == user.id),
        "approvals": await _rows(
            session,
            Approval,
            or_(Approval.holder_user_id == user.id, Approval.requested_by_user_id == user.id),
        ),
        "ledger_postings": [
            {
                "transaction_id": str(transaction.id),
                "at": format_at(transaction.created_at),
                "kind": transaction.kind.value,
                "memo": transaction.memo,
                "account": code,
                "amount_pence": posting.amount_pence,
            }
            for transaction, posting, code in postings.all()
        ],
        "refunds": await _rows(session, Refund, Refund.member_id.in_(member_ids)),
        # Checks and papers a co-op keeps about them, as a member or as a worker.
        "compliance_records": await _rows(
            session,
            ComplianceRecord,
            or_(
                and_(
                    ComplianceRecord.subject_kind == SubjectKind.member,
                    ComplianceRecord.subject_id.in_(member_ids),
                ),
                and_(
                    ComplianceRecord.subject_kind == SubjectKind.worker,
                    ComplianceRecord.subject_id.in_(
                        select(Worker.id).where(Worker.user_id == user.id)
                    ),
                ),
            ),
        ),
        "subscriptions": await _rows(
            session, SubscriptionPeriod, SubscriptionPeriod.member_id.in_(member_ids)
        ),
        "support_requests": await _rows(
            session,
            SupportRequest,
            or_(
                SupportRequest.requester_member_id.in_(member_ids),
                SupportRequest.raised_by_user_id == user.id,
            ),
        ),
        # Concerns they raised, as they wrote them. Concerns about them are left out: telling
        # the person a concern is about could put them, or whoever raised it, at risk
        # (docs/security.md, the exemptions relied on).
        "safeguarding_concerns_raised": await _rows(
            session,
            SafeguardingConcern,
            SafeguardingConcern.raised_by_user_id == user.id,
        ),
        "support_comments": await _rows(
            session, SupportComment, SupportComment.written_by_user_id == user.id
        ),
        # Care bought together: the hours they asked for, bought and were invoiced for.
        "tender_demand": await _rows(session, DemandLine, DemandLine.member_id.in_(member_ids)),
        "call_offs": await _rows(session, CallOff, CallOff.member_id.in_(member_ids)),
        "invoice_lines": await _rows(session, InvoiceLine, InvoiceLine.member_id.in_(member_ids)),
        "visits": await _rows(session, Visit, Visit.member_id.in_(member_ids)),
        "votes": await _rows(
            session,
            Vote,
            or_(Vote.member_id.in_(member_ids), Vote.cast_by_user_id == user.id),
        ),
        "provider_staff": await _rows(session, ProviderStaff, ProviderStaff.user_id == user.id),
        # What they wrote for a provider: its bids and invoices carry their name as author.
        "bids_submitted": await _rows(
            session, TenderBid, TenderBid.submitted_by_user_id == user.id
        ),
        "invoices_submitted": await _rows(
            session, Invoice, Invoice.submitted_by_user_id == user.id
        ),
        "provider_changes_requested": await _rows(
            session, ProviderChange, ProviderChange.requested_by_user_id == user.id
        ),
        "council_roles": await _rows(session, LaOfficer, LaOfficer.user_id == user.id),
        "council_access": await _rows(
            session, CouncilAccessGrant, CouncilAccessGrant.holder_user_id == user.id
        ),
        "logins": await _rows(session, AuthSession, AuthSession.user_id == user.id),
        "email_changes": await _rows(session, EmailChange, EmailChange.user_id == user.id),
        "notifications": await _rows(session, Notification, Notification.user_id == user.id),
        "notification_preferences": await _rows(
            session, NotificationPreference, NotificationPreference.user_id == user.id
        ),
        "activity": [
            _row(entry)
            for entry in (
                await session.scalars(
                    select(AuditEntry).where(audit.about_person(user.id)).order_by(AuditEntry.seq)
                )
            ).all()
        ],
    }


async def hold_live_memberships(session: AsyncSession, user: User) -> list[Member]:
    """The memberships of `user` that have not ended, every one locked, in id order (the lock
    order of money: see `coops.lock_membership`), so no posting into any of them slips past
    a closure of the account."""
    live = (
        await session.scalars(
            select(Member)
            .where(Member.user_id == user.id, Member.status != MemberStatus.left)
            .order_by(Member.id)
        )
    ).all()
    for member in live:
        await coops.lock_membership(session, member)
    return list(live)


async def close_account(session: AsyncSession, actor: Actor, *, now: datetime) -> None:
    """Revoke the person's mandates, logins and council access and pseudonymise them; their
    memberships have ended first (`app.workflows.membership.close_account`)."""
    user = actor.user
    await session.execute(
        update(Mandate)
        .where(
            or_(Mandate.holder_user_id == user.id, Mandate.representative_user_id == user.id),
            Mandate.status.in_(LIVE_STATUSES),
        )
        .values(status=MandateStatus.revoked, revoked_at=now)
    )
    await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.execute(
        update(LaOfficer)
        .where(LaOfficer.user_id == user.id, LaOfficer.ended_at.is_(None))
        .values(ended_at=now)
    )
    # Consent ends with the account: no council reads the evidence of a closed one.
    await session.execute(
        update(CouncilAccessGrant)
        .where(CouncilAccessGrant.holder_user_id == user.id, CouncilAccessGrant.ended_at.is_(None))
        .values(ended_at=now, ended_by_user_id=user.id)
    )
    # A waiting change of address holds an address; a waiting reset code must not work.
    await session.execute(delete(EmailChange).where(EmailChange.user_id == user.id))
    await session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(voided_at=now)
    )
    await redact_what_they_wrote(session, user.id)
    user.email = f"closed-{user.id}@invalid.example"
    user.full_name = CLOSED_NAME
    user.password_hash = None
    user.closed_at = now
    await session.flush()
    audit.record(session, actor, "user.closed", "user", user.id, about=user.id)


async def redact_what_they_wrote(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Replace the free text `user_id` wrote about themselves with REDACTED (see the module)."""
    member_ids = select(Member.id).where(Member.user_id == user_id).scalar_subquery()
    their_requests = select(SupportRequest.id).where(
        or_(
            SupportRequest.requester_member_id.in_(member_ids),
            SupportRequest.raised_by_user_id == user_id,
        )
    )
    await session.execute(
        update(SupportComment)
        .where(
            or_(
                SupportComment.request_id.in_(their_requests),
                SupportComment.written_by_user_id == user_id,
                SupportComment.author_member_id.in_(member_ids),
            )
        )
        .values(body=REDACTED)
    )
    await session.execute(
        update(SupportRequest)
        .where(SupportRequest.id.in_(their_requests))
        .values(subject=REDACTED, body=REDACTED)
    )
    await session.execute(
        update(InvoiceLine)
        .where(InvoiceLine.disputed_by_user_id == user_id, InvoiceLine.dispute_reason.is_not(None))
        .values(dispute_reason=REDACTED)
    )
    await session.execute(
        update(Visit)
        .where(Visit.queried_by_user_id == user_id, Visit.query_reason.is_not(None))
        .values(query_reason=REDACTED)
    )
