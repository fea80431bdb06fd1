"""Workers a co-op knows and their employments: who adds them, who sees them."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.models import User
from app.coops import service as coops
from app.coops.errors import CoopAdminRequired
from app.coops.models import Member, MemberClass, MemberStatus
from app.core.errors import ValidationFailed
from app.core.field_errors import field_error
from app.direct_payments.errors import NotAHolder
from app.employment import conflicts
from app.employment.errors import NotTheEmployer
from app.employment.models import EmployerKind, Employment, Worker
from app.employment.periods import PayFrequency, valid_first_start
from app.employment.schemas import EmploymentCreate, EmploymentRead


def sees_all(actor: Actor, member: Member) -> bool:
    """Administrators, in person, see every worker and employment of their co-op."""
    return member.is_admin and not actor.is_representing


async def add_worker(
    session: AsyncSession,
    actor: Actor,
    member: Member,
    *,
    full_name: str,
    email: str | None,
    now: datetime,
) -> Worker:
    """Any active member may add a worker: a holder their own personal assistant, an
    administrator anyone the co-op employs. An address that belongs to an account links the
    worker to it."""
    user_id = None
    if email is not None:
        user_id = await session.scalar(select(User.id).where(User.email == email))
    worker = Worker(
        coop_id=member.coop_id,
        full_name=full_name,
        email=email,
        user_id=user_id,
        created_at=now,
        created_by_user_id=actor.user.id,
    )
    session.add(worker)
    await session.flush()
    audit.record(
        session,
        actor,
        "worker.added",
        "worker",
        worker.id,
        coop_id=member.coop_id,
        data={"linked_to_account": user_id is not None},
    )
    return worker


def visible_workers(actor: Actor, member: Member) -> Select[Any]:
    """Every worker for an administrator; for anyone else the workers they added or employ
    (who works for whom is the holder's own business)."""
    query = select(Worker).where(Worker.coop_id == member.coop_id)
    if sees_all(actor, member):
        return query
    employed = select(Employment.worker_id).where(Employment.employer_member_id == member.id)
    return query.where(
        or_(Worker.created_by_user_id == actor.principal.id, Worker.id.in_(employed))
    )


def visible_employments(actor: Actor, member: Member) -> Select[Any]:
    """Every employment for an administrator; a holder's own otherwise."""
    query = (
        select(Employment)
        .where(Employment.coop_id == member.coop_id)
        .options(joinedload(Employment.worker))
    )
    if sees_all(actor, member):
        return query
    return query.where(Employment.employer_member_id == member.id)


def employments_of_worker_user(user_id: uuid.UUID) -> Select[Any]:
    """Every employment, in any co-op, of workers linked to this account."""
    return (
        select(Employment)
        .join(Worker, Worker.id == Employment.worker_id)
        .where(Worker.user_id == user_id)
        .options(joinedload(Employment.worker))
    )


def as_read(employment: Employment) -> EmploymentRead:
    return EmploymentRead(
        id=employment.id,
        coop_id=employment.coop_id,
        worker_id=employment.worker_id,
        worker_name=employment.worker.full_name,
        employer_kind=employment.employer_kind,
        employer_member_id=employment.employer_member_id,
        hourly_rate_pence=employment.hourly_rate_pence,
        contracted_hours_per_week=employment.contracted_hours_per_week,
        pay_frequency=employment.pay_frequency,
        first_period_start=employment.first_period_start,
        created_at=employment.created_at,
    )


def _invalid(field: str, msg: str, msg_cy: str) -> ValidationFailed:
    return ValidationFailed([field_error(["body", field], msg, msg_cy=msg_cy)])


async def _employer(
    session: AsyncSession, actor: Actor, member: Member, fields: EmploymentCreate
) -> uuid.UUID | None:
    """The member who employs (None for the co-op), checked: a holder employs for themselves;
    an administrator for any holder, or for the co-op."""
    admin = sees_all(actor, member)
    if fields.employer_kind is EmployerKind.coop:
        if not admin:
            raise CoopAdminRequired
        if fields.employer_member_id is not None:
            raise _invalid(
                "employer_member_id",
                "The co-op employs its own employees: name no member.",
                "Mae'r cwmni cydweithredol yn cyflogi ei weithwyr ei hun: peidiwch ag enwi aelod.",
            )
        return None
    employer_id = fields.employer_member_id or member.id
    if employer_id != member.id and not admin:
        raise NotTheEmployer
    employer = await coops.find_member(session, coop_id=member.coop_id, member_id=employer_id)
    if employer is None or employer.status is not MemberStatus.active:
        raise _invalid(
            "employer_member_id",
            "No active member of this co-operative has this id.",
            "Nid oes gan unrhyw aelod gweithredol o'r cwmni cydweithredol hwn y rhif hwn.",
        )
    if employer.member_class is not MemberClass.service_user:
        raise NotAHolder
    return employer.id


async def create_employment(
    session: AsyncSession, actor: Actor, member: Member, *, fields: EmploymentCreate, now: datetime
) -> Employment:
    """A worker's employment by a holder or by the co-op; the worker must be one the caller
    sees (422 otherwise), and monthly periods start on the 1st."""
    employer_id = await _employer(session, actor, member, fields)
    worker = await session.scalar(
        visible_workers(actor, member).where(Worker.id == fields.worker_id)
    )
    if worker is None:
        raise _invalid(
            "worker_id",
            "There is no such worker in this co-operative, or you may not see them.",
            "Nid oes gweithiwr o'r fath yn y cwmni cydweithredol hwn, neu ni chewch eu gweld.",
        )
    if not valid_first_start(fields.pay_frequency, fields.first_period_start):
        raise _invalid(
            "first_period_start",
            "Monthly pay periods start on the 1st of a month.",
            "Mae cyfnodau tâl misol yn dechrau ar y 1af o'r mis.",
        )
    employment = Employment(
        coop_id=member.coop_id,
        worker_id=worker.id,
        employer_kind=fields.employer_kind,
        employer_member_id=employer_id,
        hourly_rate_pence=fields.hourly_rate_pence,
        contracted_hours_per_week=fields.contracted_hours_per_week,
        pay_frequency=PayFrequency(fields.pay_frequency),
        first_period_start=fields.first_period_start,
        created_at=now,
        created_by_user_id=actor.user.id,
    )
    employment.worker = worker
    session.add(employment)
    await session.flush()
    employer = (
        await coops.find_member(session, coop_id=member.coop_id, member_id=employer_id)
        if employer_id is not None
        else None
    )
    audit.record(
        session,
        actor,
        "employment.created",
        "employment",
        employment.id,
        coop_id=member.coop_id,
        data={
            "worker_id": str(worker.id),
            "employer_kind": fields.employer_kind.value,
            "employer_member_id": str(employer_id) if employer_id else None,
            "hourly_rate_pence": fields.hourly_rate_pence,
            "contracted_hours_per_week": fields.contracted_hours_per_week,
            "pay_frequency": fields.pay_frequency.value,
            "first_period_start": fields.first_period_start.isoformat(),
        },
        about=employer.user_id if employer is not None else None,
    )
    if employer_id is not None:
        await conflicts.recheck_worker(session, actor, worker, {employer_id}, now=now)
    return employment
