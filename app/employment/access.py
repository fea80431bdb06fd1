"""Who may see and act on an employment: its worker, its employer and the co-op's
administrators. Anyone else is told it does not exist."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Member, MemberStatus
from app.employment.errors import EmploymentNotFound, NotTheEmployer, OwnTimesheet
from app.employment.models import EmployerKind, Employment


@dataclass(frozen=True, slots=True)
class Seen:
    """An employment and what the caller is to it (several at once is possible)."""

    employment: Employment
    actor: Actor
    # The worker themselves, acting in person.
    is_worker: bool
    # The holder who employs (in person, or through a representative with `view`).
    is_employer: bool
    # An administrator of the employment's co-op, acting in person.
    is_admin: bool

    @property
    def keeps_the_coops_books(self) -> bool:
        return self.is_admin and self.employment.employer_kind is EmployerKind.coop

    def require_writer(self) -> None:
        """Timesheets are kept by the worker, or by the employer."""
        if not (self.is_worker or self.is_employer or self.keeps_the_coops_books):
            raise NotTheEmployer

    def require_confirmer(self) -> None:
        """Confirming is the employer's; never of one's own work (a representative or an
        administrator who is the worker)."""
        if not (self.is_employer or self.keeps_the_coops_books):
            raise NotTheEmployer
        if self.employment.worker.user_id == self.actor.user.id:
            raise OwnTimesheet


async def employer_member(session: AsyncSession, employment: Employment) -> Member | None:
    if employment.employer_member_id is None:
        return None
    return await coops.find_member(
        session, coop_id=employment.coop_id, member_id=employment.employer_member_id
    )


async def load_seen(
    session: AsyncSession, actor: Actor, employment_id: uuid.UUID, *, lock: bool = False
) -> Seen:
    """The employment as the caller may see it, or 404. With `lock`, its row is held until
    the transaction ends: every change to its timesheets and the export of its period take
    it, so the two never cross."""
    query = (
        select(Employment)
        .where(Employment.id == employment_id)
        .options(joinedload(Employment.worker))
    )
    if lock:
        query = query.with_for_update(of=Employment)
    employment = await session.scalar(query)
    if employment is None:
        raise EmploymentNotFound
    if actor.is_representing:
        actor.require_scope("view")
    is_worker = not actor.is_representing and employment.worker.user_id == actor.user.id
    employer = await employer_member(session, employment)
    is_employer = (
        employer is not None
        and employer.status is MemberStatus.active
        and employer.user_id == actor.principal.id
    )
    is_admin = False
    if not actor.is_representing:
        caller = await coops.active_membership(
            session, coop_id=employment.coop_id, user_id=actor.user.id
        )
        is_admin = caller is not None and caller.is_admin
    if not (is_worker or is_employer or is_admin):
        raise EmploymentNotFound
    return Seen(employment, actor, is_worker=is_worker, is_employer=is_employer, is_admin=is_admin)
