"""Visits: care recorded by the provider's staff, confirmed or queried by the holder, queries
settled by the co-op's administrators."""

import uuid
from typing import Annotated

from fastapi import Query

from app.auth.dependencies import AnyActor, CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.errors import CoopAdminRequired
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.core.schemas import Day
from app.tenders.dependencies import SeenContract, SeenVisit, VisitSeen
from app.tenders.errors import ContractNotFound, NotProviderStaff
from app.tenders.visits import decisions
from app.tenders.visits import service as visits
from app.tenders.visits.errors import (
    ConflictOfInterest,
    InvalidVisitTransition,
    NotTheVisitsMember,
    VisitNoCallOff,
    VisitNotFound,
    VisitOverlaps,
)
from app.tenders.visits.models import Visit, VisitStatus
from app.tenders.visits.schemas import (
    VisitCreate,
    VisitQueryCreate,
    VisitRead,
    VisitResolutionCreate,
)

router = Router(tags=["visits"])
SEEN = (VisitNotFound, OutsideMandate, NoMandate)


def _the_member(seen: VisitSeen) -> None:
    member = seen.viewer.member
    if member is None or member.id != seen.visit.member_id:
        raise NotTheVisitsMember


async def _one(session: SessionDep, visit: Visit) -> VisitRead:
    [read] = await visits.read(session, [visit])
    return read


@router.post(
    "/contracts/{contract_id}/visits",
    status_code=201,
    response_model=VisitRead,
    responses=problems(
        ContractNotFound, NotProviderStaff, VisitNoCallOff, VisitOverlaps, OutsideMandate, NoMandate
    ),
)
async def record_visit(
    body: VisitCreate, session: SessionDep, seen: SeenContract, actor: CurrentActor, now: NowDep
) -> VisitRead:
    """Record a visit made under the contract (the provider's staff). `start_time` and
    `end_time` are wall-clock times in Wales on `date`; an `end_time` at or before the
    `start_time` is the next day (a night visit, at most 24 hours). `minutes` are counted
    between the instants, so clock changes count; a time the clocks skip is refused, and one
    they repeat is read as its first (summer time) occurrence.

    The member must have a call-off running on `date` (422 `no_call_off`); the visit may not
    overlap another of theirs under this contract (422 `visit_overlaps`, naming `visit_ids`;
    intervals are half-open, so one may end as the next begins, and rejected visits count for
    nothing). A `date` after today, or an end after now, is 422 `validation_error` naming the
    field. The visit reads `to_confirm`, and the member and their representatives with `view`
    are told (`visit.to_confirm`)."""
    if not seen.viewer.is_staff:
        raise NotProviderStaff
    visit = await visits.record(
        session,
        actor,
        seen.contract,
        member_id=body.member_id,
        day=body.date,
        start_time=body.start_time,
        end_time=body.end_time,
        worker_name=body.worker_name,
        notes=body.notes,
        now=now,
    )
    return await _one(session, visit)


@router.get(
    "/contracts/{contract_id}/visits",
    response_model=CursorPage[VisitRead],
    responses=problems(ContractNotFound, OutsideMandate, NoMandate),
)
async def list_visits(
    seen: SeenContract,
    session: SessionDep,
    page: PageDep,
    now: NowDep,
    member_id: Annotated[uuid.UUID | None, Query(description="Only this member's.")] = None,
    status: Annotated[VisitStatus | None, Query(description="Only visits in this status.")] = None,
    from_day: Annotated[
        Day | None, Query(alias="from", description="Visits that began on or after this day.")
    ] = None,
    to_day: Annotated[
        Day | None, Query(alias="to", description="Visits that began on or before this day.")
    ] = None,
) -> CursorPage[VisitRead]:
    """The contract's visits in time order (the provider's staff and the co-op's
    administrators; a member sees their own, a representative with `view` the holder's).
    Days are days in Wales, both ends included. A visit whose `visit_confirm_hours` have run
    out reads `confirmed` (`confirmed_by: auto`)."""
    visits.check_days(from_day, to_day)
    if not seen.viewer.sees_everyone:
        own = seen.viewer.member
        if own is None or (member_id is not None and member_id != own.id):
            return CursorPage[VisitRead](items=[], next_cursor=None)
        member_id = own.id
    await visits.settle_due(session, now=now, contract_id=seen.contract.id)
    items, next_cursor = await paginate(
        session,
        visits.visits_of(
            seen.contract.id,
            member_id=member_id,
            status=status,
            from_day=from_day,
            to_day=to_day,
        ),
        page,
        order=[Sort(Visit.starts_at), Sort(Visit.id)],
        key=lambda v: (v.starts_at, v.id),
    )
    return CursorPage[VisitRead](items=await visits.read(session, items), next_cursor=next_cursor)


@router.get("/visits/{visit_id}", response_model=VisitRead, responses=problems(*SEEN))
async def get_visit(seen: SeenVisit, session: SessionDep) -> VisitRead:
    """One visit (as in the list: the contract's parties, a member their own)."""
    return await _one(session, seen.visit)


@router.post(
    "/visits/{visit_id}/confirm",
    response_model=VisitRead,
    responses=problems(*SEEN, NotTheVisitsMember, ConflictOfInterest, InvalidVisitTransition),
)
async def confirm_visit(
    seen: SeenVisit, session: SessionDep, actor: AnyActor, now: NowDep
) -> VisitRead:
    """Confirm a visit took place as recorded (the member, or their representative with
    `view`; `confirmed_by` says which). Only a visit `to_confirm` (else 409
    `invalid_transition`, as for any visit already invoiced). A representative who is the
    provider's staff, recorded the visit or is named as its worker may not (403
    `conflict_of_interest`)."""
    _the_member(seen)
    visit = await decisions.confirm(session, actor, seen.visit, seen.contract, now=now)
    return await _one(session, visit)


@router.post(
    "/visits/{visit_id}/query",
    response_model=VisitRead,
    responses=problems(*SEEN, NotTheVisitsMember, ConflictOfInterest, InvalidVisitTransition),
)
async def query_visit(
    body: VisitQueryCreate, seen: SeenVisit, session: SessionDep, actor: AnyActor, now: NowDep
) -> VisitRead:
    """Say a visit is not right (the member, or their representative with `view`): it reads
    `queried`, is not confirmed automatically and cannot be invoiced until an administrator
    settles it. Only a visit `to_confirm` (else 409 `invalid_transition`); the same conflict
    of interest as for confirming (403 `conflict_of_interest`)."""
    _the_member(seen)
    visit = await decisions.query(
        session, actor, seen.visit, seen.contract, reason=body.reason, now=now
    )
    return await _one(session, visit)


@router.post(
    "/visits/{visit_id}/resolve",
    response_model=VisitRead,
    responses=problems(*SEEN, CoopAdminRequired, InvalidVisitTransition),
)
async def resolve_visit(
    body: VisitResolutionCreate,
    seen: SeenVisit,
    session: SessionDep,
    actor: CurrentActor,
    now: NowDep,
) -> VisitRead:
    """Settle a queried visit (co-op administrators): `confirmed` (`confirmed_by: admin`) or
    `rejected` (it counts for nothing). Only a `queried` visit (else 409
    `invalid_transition`)."""
    if not seen.viewer.is_admin:
        raise CoopAdminRequired
    visit = await decisions.resolve(
        session, actor, seen.visit, seen.contract, outcome=body.outcome, note=body.note, now=now
    )
    return await _one(session, visit)
