"""Visits to confirm: the care the providers recorded for the holder, across their co-ops'
contracts, each confirmed or queried (`POST /api/v1/visits/{id}/confirm` and `/query`'s
rules); the holder's own at `/visits`, a representative's for the holder at
`/for/{holder_id}/visits` (their mandate needs `view`, as in the API)."""

import uuid
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import Select

from app.core.errors import AppError
from app.core.routing import Router
from app.me import service as me
from app.me.schemas import MembershipSummary
from app.tenders.contracts import service as contracts
from app.tenders.dependencies import seen_visit
from app.tenders.models import Contract
from app.tenders.visits import decisions
from app.tenders.visits import service as visits
from app.tenders.visits.errors import NotTheVisitsMember
from app.tenders.visits.models import Visit, VisitStatus
from app.tenders.visits.schemas import VisitQueryCreate, VisitRead
from app.web.acting import acting, allowed, prefix, whose
from app.web.forms import read_form, refuse, validated
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
# Per contract: the visits waiting, and the latest ones already decided.
SHOWN = 50
DECIDED_SHOWN = 10


@dataclass(frozen=True)
class CareVisit:
    visit: VisitRead
    provider_name: str
    coop_name: str


@dataclass(frozen=True)
class HolderVisits:
    waiting: list[CareVisit]
    decided: list[CareVisit]


async def holder_visits(
    page: Page, *, decided: bool = True, memberships: list[MembershipSummary] | None = None
) -> HolderVisits:
    """The visits recorded for the holder the page is for, under every contract of their
    co-ops that has a call-off of theirs, as the API's list gives them to the member (a
    representative needs `view`); visits whose hours have run out are confirmed first.
    `memberships` are the holder's own, when the page has read them already."""
    actor = await allowed(page, "view")
    if memberships is None:
        memberships = await me.memberships(page.session, actor.principal.id)
    active = {held.id: held for held in memberships if held.status == "active"}
    waiting: list[CareVisit] = []
    done: list[CareVisit] = []
    if not active:
        return HolderVisits(waiting=waiting, decided=done)
    found = await page.session.scalars(contracts.contracts_called_off_by(list(active)))
    for contract in found.all():
        held = next((m for m in active.values() if m.coop_id == contract.coop_id), None)
        if held is None:
            continue
        viewer = await contracts.viewer(page.session, actor, contract)
        if viewer.member is None:
            continue
        await visits.settle_due(page.session, now=page.now, contract_id=contract.id)
        waiting += await _read(
            page,
            contract,
            held.coop_name,
            visits.visits_of(
                contract.id,
                member_id=viewer.member.id,
                status=VisitStatus.to_confirm,
                from_day=None,
                to_day=None,
            )
            .order_by(Visit.starts_at, Visit.id)
            .limit(SHOWN),
        )
        if decided:
            done += await _read(
                page,
                contract,
                held.coop_name,
                visits.visits_of(
                    contract.id,
                    member_id=viewer.member.id,
                    status=None,
                    from_day=None,
                    to_day=None,
                )
                .where(Visit.status != VisitStatus.to_confirm)
                .order_by(Visit.starts_at.desc(), Visit.id.desc())
                .limit(DECIDED_SHOWN),
            )
    waiting.sort(key=lambda v: (v.visit.starts_at, v.visit.id))
    done.sort(key=lambda v: (v.visit.starts_at, v.visit.id), reverse=True)
    return HolderVisits(waiting=waiting, decided=done)


async def _read(
    page: Page, contract: Contract, coop_name: str, stmt: Select[Visit]
) -> list[CareVisit]:
    rows = (await page.session.scalars(stmt)).all()
    return [
        CareVisit(visit=read, provider_name=contract.provider_name, coop_name=coop_name)
        for read in await visits.read(page.session, rows)
    ]


async def show_visits(page: Page, form: FormState) -> Response:
    page = await whose(page)
    found = await holder_visits(page)
    return page.render(
        "holder/visits.html",
        form=form,
        waiting=found.waiting,
        decided=found.decided,
        prefix=prefix(page),
        done=page.request.query_params.get("done"),
    )


@router.get("/visits")
async def my_visits(page: SignedInPage) -> Response:
    """The holder's visits: those waiting for them first, then the latest already decided."""
    return await show_visits(page, EMPTY_FORM)


@router.get("/for/{holder_id}/visits")
async def holders_visits(holder_id: uuid.UUID, page: SignedInPage) -> Response:
    """The same, for a holder the person represents (a mandate with `view`)."""
    return await show_visits(await acting(page, holder_id), EMPTY_FORM)


async def _decide(
    page: Page, visit_id: uuid.UUID, values: dict[str, str], *, query: bool
) -> Response:
    seen = await seen_visit(visit_id, page.session, page.me, page.now)
    member = seen.viewer.member
    if member is None or member.id != seen.visit.member_id:
        raise NotTheVisitsMember
    try:
        if query:
            body = validated(VisitQueryCreate, {k: v for k, v in values.items() if k == "reason"})
            await decisions.query(
                page.session, page.me, seen.visit, seen.contract, reason=body.reason, now=page.now
            )
        else:
            await decisions.confirm(page.session, page.me, seen.visit, seen.contract, now=page.now)
    except AppError as error:
        raise refuse(
            page.language,
            error,
            {**values, "visit_id": str(visit_id)},
            show_visits,
            fields={"invalid_transition": "reason", "conflict_of_interest": "reason"}
            if query
            else None,
        ) from error
    return page.redirect(f"{prefix(page)}/visits?done={'queried' if query else 'confirmed'}")


@router.post("/visits/{visit_id}/confirm")
async def confirm(visit_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Confirm the visit took place as recorded: it may then be invoiced."""
    return await _decide(page, visit_id, await read_form(request), query=False)


@router.post("/for/{holder_id}/visits/{visit_id}/confirm")
async def confirm_for(
    holder_id: uuid.UUID, visit_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Confirm for the holder (`confirmed_by: representative`)."""
    page = await acting(page, holder_id)
    return await _decide(page, visit_id, await read_form(request), query=False)


@router.post("/visits/{visit_id}/query")
async def query(visit_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Say what is wrong with the visit: it waits for an administrator, and is not paid
    meanwhile."""
    return await _decide(page, visit_id, await read_form(request), query=True)


@router.post("/for/{holder_id}/visits/{visit_id}/query")
async def query_for(
    holder_id: uuid.UUID, visit_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Query a visit for the holder."""
    page = await acting(page, holder_id)
    return await _decide(page, visit_id, await read_form(request), query=True)
