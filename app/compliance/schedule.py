"""What time does to compliance records, for the worker: `compliance.expiring` 30 and 7 days
before a record in force runs out, to the co-op's administrators and the record's subject.

Each reminder is once-only (the event's key names the record and the threshold), so two
workers, or a pass repeated, write it once. Only the record in force is reminded of: a renewal
filed before a threshold means the old record is never reminded of again.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.compliance import repository, rules
from app.compliance.models import ComplianceRecord, SubjectKind
from app.compliance.service import worker_user_id
from app.core.clock import local_date
from app.notifications.events import CoopAdmins, Event, EventType, Members, ProviderStaff, Recipient
from app.notifications.service import notify, sent_keys


def reminder_key(record: ComplianceRecord, days: int) -> str:
    return f"{EventType.compliance_expiring.value}:{record.id}:{days}"


async def _subject(session: AsyncSession, record: ComplianceRecord) -> list[Recipient]:
    match record.subject_kind:
        case SubjectKind.member:
            # The member themselves: paperwork is not something a representative is told of.
            return [Members([record.subject_id], viewers=False)]
        case SubjectKind.worker:
            user_id: uuid.UUID | None = await worker_user_id(session, record.subject_id)
            return [user_id] if user_id is not None else []
        case SubjectKind.provider:
            return [ProviderStaff([record.subject_id])]
    return []  # pragma: no cover - every subject kind is matched above


async def announce_expiring(session: AsyncSession, *, now: datetime) -> int:
    """Write every reminder due today (a day in Wales) not written before; how many."""
    today = local_date(now)
    horizon = today + timedelta(days=max(rules.REMINDER_DAYS))
    due = [
        (record, days)
        for record in await repository.in_force_expiring_between(session, today, horizon)
        if (days := rules.reminder_due(record.expires_on, today)) is not None
    ]
    done = await sent_keys(session, [reminder_key(record, days) for record, days in due])
    told = 0
    for record, days in due:
        key = reminder_key(record, days)
        if key in done or record.expires_on is None:
            continue
        event = Event(
            type=EventType.compliance_expiring,
            subject_type="compliance_record",
            subject_id=record.id,
            at=now,
            coop_id=record.coop_id,
            recipients=[CoopAdmins(), *await _subject(session, record)],
            params={
                "compliance_kind": record.kind.value,
                "expires_on": record.expires_on.isoformat(),
                "days_before": days,
            },
            key=key,
        )
        if await notify(session, event) is not None:
            told += 1
    return told
