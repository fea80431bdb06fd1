"""What is decided about a visit: the member (or their representative with `view`) confirms
or queries it, an administrator settles a query, and an upheld invoice dispute rejects it.

The moves are `to_confirm -> confirmed | queried` and `queried -> confirmed | rejected`; any
other, and any change to a visit already on an invoice line, is 409 `invalid_transition`.
A representative never decides about work they did themselves (`own_work`).
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.core.errors import must_exist
from app.providers import service as providers
from app.providers.models import fold_name
from app.tenders.models import Contract
from app.tenders.visits import service
from app.tenders.visits.errors import (
    ConflictOfInterest,
    InvalidVisitTransition,
    VisitInvoicedAlready,
)
from app.tenders.visits.models import ConfirmedBy, Visit, VisitOutcome, VisitStatus


def _folded(name: str) -> str:
    return " ".join(fold_name(name).split())


async def own_work(
    session: AsyncSession, actor: Actor, contract: Contract, visits: Sequence[Visit]
) -> bool:
    """Whether a representative would be deciding about their own work: they are staff of the
    contract's provider, recorded one of the visits, or are named as its worker (names
    compared as provider names are: accents and case set aside). A person acting for
    themselves is never caught by this."""
    if not actor.is_representing:
        return False
    user = actor.user
    if await providers.is_staff(session, provider_id=contract.provider_id, user_id=user.id):
        return True
    mine = _folded(user.full_name)
    return any(v.recorded_by_user_id == user.id or _folded(v.worker_name) == mine for v in visits)


async def check_not_own_work(
    session: AsyncSession, actor: Actor, contract: Contract, visits: Sequence[Visit]
) -> None:
    if await own_work(session, actor, contract, visits):
        raise ConflictOfInterest


async def _locked(session: AsyncSession, visit: Visit, *, now: datetime) -> Visit:
    """The visit read afresh under its row lock, confirmed first if its hours have run out
    (it is decided as it reads), and refused if it is on an invoice."""
    await service.settle_due(session, now=now, visit_ids=[visit.id])
    locked = must_exist(await service.get_visit(session, visit.id, lock=True), "never deleted")
    if locked.invoice_line_id is not None:
        raise VisitInvoicedAlready
    return locked


def _require(visit: Visit, status: VisitStatus) -> None:
    if visit.status != status:
        raise InvalidVisitTransition(status=visit.status.value)


async def confirm(
    session: AsyncSession, actor: Actor, visit: Visit, contract: Contract, *, now: datetime
) -> Visit:
    """The member, or their representative, confirms the visit took place as recorded."""
    visit = await _locked(session, visit, now=now)
    await check_not_own_work(session, actor, contract, [visit])
    _require(visit, VisitStatus.to_confirm)
    visit.status = VisitStatus.confirmed
    visit.confirmed_by = ConfirmedBy.representative if actor.is_representing else ConfirmedBy.member
    visit.confirmed_at = now
    visit.confirmed_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "visit.confirmed",
        "visit",
        visit.id,
        coop_id=contract.coop_id,
        data={"confirmed_by": visit.confirmed_by, "contract_id": contract.id},
    )
    return visit


async def query(
    session: AsyncSession,
    actor: Actor,
    visit: Visit,
    contract: Contract,
    *,
    reason: str,
    now: datetime,
) -> Visit:
    """The member, or their representative, says the visit is not right: it waits for an
    administrator and cannot be invoiced meanwhile."""
    visit = await _locked(session, visit, now=now)
    await check_not_own_work(session, actor, contract, [visit])
    _require(visit, VisitStatus.to_confirm)
    visit.status = VisitStatus.queried
    visit.query_reason = reason
    visit.queried_at = now
    visit.queried_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "visit.queried",
        "visit",
        visit.id,
        coop_id=contract.coop_id,
        data={"contract_id": contract.id},
    )
    return visit


async def resolve(
    session: AsyncSession,
    actor: Actor,
    visit: Visit,
    contract: Contract,
    *,
    outcome: VisitOutcome,
    note: str,
    now: datetime,
) -> Visit:
    """An administrator settles a query: confirmed (by `admin`), or rejected (it counts for
    nothing: not invoiced, and no obstacle to another visit at that time)."""
    visit = await _locked(session, visit, now=now)
    _require(visit, VisitStatus.queried)
    if outcome == VisitOutcome.confirmed:
        visit.status = VisitStatus.confirmed
        visit.confirmed_by = ConfirmedBy.admin
        visit.confirmed_at = now
        visit.confirmed_by_user_id = actor.user.id
    else:
        visit.status = VisitStatus.rejected
    visit.resolution_note = note
    visit.resolved_at = now
    visit.resolved_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "visit.resolved",
        "visit",
        visit.id,
        coop_id=contract.coop_id,
        data={"outcome": outcome, "contract_id": contract.id},
    )
    return visit


async def reject_for_dispute(
    session: AsyncSession,
    actor: Actor,
    *,
    line_id: uuid.UUID,
    coop_id: uuid.UUID,
    note: str,
    now: datetime,
) -> list[uuid.UUID]:
    """An upheld dispute voids the line: the visits it billed are rejected with it (the
    administrator's note is theirs too). They keep the line, as the record of why."""
    visits = (
        await session.scalars(
            select(Visit)
            .where(Visit.invoice_line_id == line_id)
            .order_by(Visit.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    for visit in visits:
        visit.status = VisitStatus.rejected
        visit.resolution_note = note
        visit.resolved_at = now
        visit.resolved_by_user_id = actor.user.id
    await session.flush()
    for visit in visits:
        audit.record(
            session,
            actor,
            "visit.rejected",
            "visit",
            visit.id,
            coop_id=coop_id,
            data={"invoice_line_id": line_id, "contract_id": visit.contract_id},
        )
    return [v.id for v in visits]
