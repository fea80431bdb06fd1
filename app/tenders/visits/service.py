"""Visits recorded under a contract by the provider's staff, listed, and confirmed
automatically once the co-op's `visit_confirm_hours` have passed.

The automatic confirmation needs no scheduler to be true: every read and every act on visits
first settles the visits that are due (`settle_due`), writing the confirmation in that
request's transaction, and the worker does the same for everyone else's. The confirmation is
dated when the hours ran out (`recorded_at + visit_confirm_hours`), so whoever writes it, it
reads the same. The hours are the co-op's rule in force when the visit is settled.

Rows are locked in id order wherever visits are changed (here, in `decisions` and when an
invoice takes them), so two writers never wait on each other in a circle.
"""

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.models import Coop
from app.core.clock import local_date
from app.core.errors import ValidationFailed
from app.core.field_errors import field_error
from app.notifications.events import Event, EventType, Members
from app.notifications.service import notify
from app.tenders.contracts import service as contracts
from app.tenders.models import Contract, InvoiceLine
from app.tenders.visits import times
from app.tenders.visits.errors import VisitNoCallOff, VisitOverlaps
from app.tenders.visits.models import ConfirmedBy, Visit, VisitStatus
from app.tenders.visits.schemas import VisitRead


def _not_after_now(day: date, interval: times.Interval, *, now: datetime) -> None:
    """Care is recorded once given: a day after today, or an end still to come, is 422."""
    if day > local_date(now):
        raise ValidationFailed(
            [
                field_error(
                    ["body", "date"],
                    "The visit's day is after today: record care once it has been given.",
                    msg_cy="Mae diwrnod yr ymweliad ar ôl heddiw: cofnodwch ofal ar ôl ei roi.",
                )
            ]
        )
    if interval.ends_at > now:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "end_time"],
                    "The visit ends after now: record it once it has ended.",
                    msg_cy="Mae'r ymweliad yn dod i ben ar ôl nawr: cofnodwch ef ar ôl iddo orffen.",
                )
            ]
        )


def running_call_off(contract: Contract, member_id: uuid.UUID, day: date) -> bool:
    """Whether the member's call-off covers that day: the contract had begun and the call-off
    had not yet ended."""
    return day >= contract.start_date and any(
        c.member_id == member_id and contracts.running_on(c, day) for c in contract.call_offs
    )


def _overlapping(
    contract_id: uuid.UUID, member_id: uuid.UUID, span: times.Interval
) -> Select[uuid.UUID]:
    return (
        select(Visit.id)
        .where(
            Visit.contract_id == contract_id,
            Visit.member_id == member_id,
            Visit.status != VisitStatus.rejected,
            Visit.starts_at < span.ends_at,
            Visit.ends_at > span.starts_at,
        )
        .order_by(Visit.starts_at, Visit.id)
    )


async def record(
    session: AsyncSession,
    actor: Actor,
    contract: Contract,
    *,
    member_id: uuid.UUID,
    day: date,
    start_time: time,
    end_time: time,
    worker_name: str,
    notes: str | None,
    now: datetime,
) -> Visit:
    """Record a visit the provider made (the route checks the caller is its staff).

    Under the contract's row lock, so two visits recorded at once for one member are checked
    against each other: the overlap is found by whichever comes second. The member and their
    representatives with `view` are told there is a visit to confirm.
    """
    span = times.interval(day, start_time, end_time)
    _not_after_now(day, span, now=now)
    contract = await contracts.lock(session, contract)
    if not running_call_off(contract, member_id, day):
        raise VisitNoCallOff(date=day.isoformat())
    clashes = (await session.scalars(_overlapping(contract.id, member_id, span))).all()
    if clashes:
        raise VisitOverlaps(extra={"visit_ids": [str(v) for v in clashes]})
    visit = Visit(
        contract_id=contract.id,
        member_id=member_id,
        date=day,
        start_time=start_time,
        end_time=end_time,
        starts_at=span.starts_at,
        ends_at=span.ends_at,
        minutes=span.minutes,
        worker_name=worker_name,
        notes=notes,
        status=VisitStatus.to_confirm,
        recorded_at=now,
        recorded_by_user_id=actor.user.id,
    )
    session.add(visit)
    await session.flush()
    audit.record(
        session,
        actor,
        "visit.recorded",
        "visit",
        visit.id,
        coop_id=contract.coop_id,
        data={"contract_id": contract.id, "member_id": member_id, "minutes": visit.minutes},
    )
    await notify(
        session,
        Event(
            type=EventType.visit_to_confirm,
            subject_type="visit",
            subject_id=visit.id,
            at=now,
            coop_id=contract.coop_id,
            recipients=[Members([member_id])],
            params={"visit_on": day.isoformat()},
        ),
    )
    return visit


def is_due(visit: Visit, hours: int, now: datetime) -> bool:
    return (
        visit.status == VisitStatus.to_confirm and visit.recorded_at + timedelta(hours=hours) <= now
    )


def confirm_automatically(
    session: AsyncSession, visit: Visit, *, hours: int, coop_id: uuid.UUID
) -> None:
    """The hours have run out on a visit nobody confirmed or queried (the caller holds its
    row lock): confirmed, as of the moment they ran out. The day's doing, not a reader's:
    audited without an actor."""
    visit.status = VisitStatus.confirmed
    visit.confirmed_by = ConfirmedBy.auto
    visit.confirmed_at = visit.recorded_at + timedelta(hours=hours)
    audit.record(
        session,
        None,
        "visit.confirmed",
        "visit",
        visit.id,
        coop_id=coop_id,
        data={"confirmed_by": ConfirmedBy.auto, "contract_id": visit.contract_id},
    )


async def settle_due(
    session: AsyncSession,
    *,
    now: datetime,
    contract_id: uuid.UUID | None = None,
    visit_ids: Sequence[uuid.UUID] | None = None,
    limit: int | None = None,
) -> int:
    """Confirm every visit due for automatic confirmation (of one contract, of some visits,
    or all; at most `limit`), under their row locks, in id order. How many were confirmed."""
    scope = select(Coop.visit_confirm_hours).distinct().join(Contract, Contract.coop_id == Coop.id)
    if contract_id is not None:
        scope = scope.where(Contract.id == contract_id)
    hours_in_force = (await session.scalars(scope)).all()
    due = or_(
        false(),
        *(
            and_(Coop.visit_confirm_hours == h, Visit.recorded_at <= now - timedelta(hours=h))
            for h in hours_in_force
        ),
    )
    stmt = (
        select(Visit, Coop.visit_confirm_hours, Coop.id)
        .join(Contract, Contract.id == Visit.contract_id)
        .join(Coop, Coop.id == Contract.coop_id)
        .where(Visit.status == VisitStatus.to_confirm, due)
        .order_by(Visit.id)
        .with_for_update(of=Visit)
        .execution_options(populate_existing=True)
    )
    if contract_id is not None:
        stmt = stmt.where(Visit.contract_id == contract_id)
    if visit_ids is not None:
        stmt = stmt.where(Visit.id.in_(list(visit_ids)))
    if limit is not None:
        stmt = stmt.limit(limit)
    confirmed = 0
    for visit, hours, coop_id in (await session.execute(stmt)).all():
        if is_due(visit, hours, now):
            confirm_automatically(session, visit, hours=hours, coop_id=coop_id)
            confirmed += 1
    await session.flush()
    return confirmed


async def get_visit(
    session: AsyncSession, visit_id: uuid.UUID, *, lock: bool = False
) -> Visit | None:
    stmt = select(Visit).where(Visit.id == visit_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    visit: Visit | None = await session.scalar(stmt)
    return visit


def visits_of(
    contract_id: uuid.UUID,
    *,
    member_id: uuid.UUID | None,
    status: VisitStatus | None,
    from_day: date | None,
    to_day: date | None,
) -> Select[Visit]:
    """A contract's visits, by the day they began (Wales), both ends included."""
    stmt = select(Visit).where(Visit.contract_id == contract_id)
    if member_id is not None:
        stmt = stmt.where(Visit.member_id == member_id)
    if status is not None:
        stmt = stmt.where(Visit.status == status)
    if from_day is not None:
        stmt = stmt.where(Visit.date >= from_day)
    if to_day is not None:
        stmt = stmt.where(Visit.date <= to_day)
    return stmt


def check_days(from_day: date | None, to_day: date | None) -> None:
    if from_day is not None and to_day is not None and from_day > to_day:
        raise ValidationFailed(
            [
                field_error(
                    ["query", "from"],
                    "from may not be after to.",
                    msg_cy="Ni chaiff from fod ar ôl to.",
                )
            ]
        )


async def read(session: AsyncSession, visits: Sequence[Visit]) -> list[VisitRead]:
    """Visits as they are read: each with the invoice its line is on."""
    line_ids = {v.invoice_line_id for v in visits if v.invoice_line_id is not None}
    invoice_of: dict[uuid.UUID, uuid.UUID] = {}
    if line_ids:
        rows = await session.execute(
            select(InvoiceLine.id, InvoiceLine.invoice_id).where(InvoiceLine.id.in_(line_ids))
        )
        invoice_of = dict(rows.all())
    return [
        VisitRead.model_validate(
            {
                **{
                    name: getattr(v, name)
                    for name in VisitRead.model_fields
                    if name != "invoice_id"
                },
                "invoice_id": invoice_of.get(v.invoice_line_id) if v.invoice_line_id else None,
            }
        )
        for v in visits
    ]
