"""Council access: the holder's grants under /me, and the holders a council may read."""

import uuid
from datetime import datetime

from fastapi import Response

from app.areas.errors import AreaNotFound
from app.auth.dependencies import ShareActor
from app.auth.errors import InvalidToken, NoMandate, OutsideMandate
from app.coops.errors import CoopNotFound
from app.core.clock import local_date
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.councils.dependencies import AreaCouncil
from app.councils.errors import NotACouncil, NotThisArea
from app.direct_payments.errors import NoDirectPayment, NotAHolder
from app.evidence import consent
from app.evidence.dependencies import GrantsReader
from app.evidence.errors import AlreadyGranted, GrantNotFound
from app.evidence.models import CouncilAccessGrant
from app.evidence.schemas import CouncilAccessCreate, CouncilAccessRead, CouncilHolderRead

router = Router(tags=["evidence"])
MANDATE_PROBLEMS = (OutsideMandate, NoMandate)


def _read(grant: CouncilAccessGrant, now: datetime) -> CouncilAccessRead:
    return CouncilAccessRead(
        id=grant.id,
        coop_id=grant.coop_id,
        member_id=grant.member_id,
        area_code=grant.area_code,
        granted_at=grant.granted_at,
        until=grant.until,
        ended_at=grant.ended_at,
        in_force=grant.in_force_on(now, local_date(now)),
    )


@router.post(
    "/me/council-access",
    status_code=201,
    response_model=CouncilAccessRead,
    responses=problems(
        *MANDATE_PROBLEMS, CoopNotFound, NotAHolder, NoDirectPayment, AlreadyGranted
    ),
)
async def grant_council_access(
    body: CouncilAccessCreate, session: SessionDep, actor: ShareActor, now: NowDep
) -> CouncilAccessRead:
    """Let the council that pays your Direct Payment read the evidence of your membership of
    `coop_id` (its statement with the invoices, providers and visits behind each payment),
    from now to the end of `until` (a day in Wales, inclusive; left out: until you end it).
    The holder, or their representative with the `share` scope. The council is the one
    paying the award version in force today (`area_code`); it is told nothing, but may now
    list you (`GET /la/areas/{code}/holders`) and read the evidence, and each of its reads
    shows in your `/me/activity`.

    Not your co-op (or not an active membership): 404. A membership that is not of a
    `service_user`: 422 `not_a_holder`; no award in force today: 422 `no_direct_payment`;
    `until` before today: 422 `validation_error`. A grant for the membership already in
    force: 409 `already_granted` (with its `grant_id`)."""
    made = await consent.grant(session, actor, coop_id=body.coop_id, until=body.until, now=now)
    return _read(made, now)


@router.get(
    "/me/council-access",
    response_model=CursorPage[CouncilAccessRead],
    responses=problems(*MANDATE_PROBLEMS),
)
async def list_council_access(
    session: SessionDep, actor: GrantsReader, page: PageDep, now: NowDep
) -> CursorPage[CouncilAccessRead]:
    """Every council access you have granted, newest first, ended and lapsed ones too
    (`in_force` says which a council may read under now). The holder, or their representative
    with `view` or `share`."""
    items, next_cursor = await consent.list_grants(session, actor.principal.id, page)
    return CursorPage[CouncilAccessRead](
        items=[_read(g, now) for g in items], next_cursor=next_cursor
    )


@router.delete(
    "/me/council-access/{grant_id}",
    status_code=204,
    responses=problems(*MANDATE_PROBLEMS, GrantNotFound),
)
async def end_council_access(
    grant_id: uuid.UUID, session: SessionDep, actor: ShareActor, now: NowDep
) -> Response:
    """End a council access at once: from this moment the council reads the evidence as
    404 and no longer lists you. The grant stays listed, with `ended_at`; ending one already
    ended changes nothing. The holder, or their representative with `share`; someone else's
    grant, or none, is 404."""
    await consent.end(session, actor, grant_id, now=now)
    return Response(status_code=204)


@router.get(
    "/la/areas/{code}/holders",
    response_model=CursorPage[CouncilHolderRead],
    tags=["local authorities"],
    responses=problems(InvalidToken, NotACouncil, NotThisArea, AreaNotFound),
)
async def list_council_holders(
    code: str, council: AreaCouncil, session: SessionDep, page: PageDep, now: NowDep
) -> CursorPage[CouncilHolderRead]:
    """The holders who let this council read their evidence now, one row per membership
    shared, oldest grant first, with the council's own reference of the award it pays
    (`council_reference`): that council's officers and API clients (another council's area,
    or anyone else, is 403). Each holder listed sees this read in their `/me/activity`."""
    items, next_cursor = await paginate(
        session,
        consent.holders_of_area(code, today=local_date(now)),
        page,
        order=[Sort(CouncilAccessGrant.granted_at), Sort(CouncilAccessGrant.id)],
        key=lambda row: (row[0].granted_at, row[0].id),
        scalars=False,
    )
    for found, _, _, _ in items:
        consent.record_council_read(session, council, "council_access.listed", found)
    return CursorPage[CouncilHolderRead](
        items=[
            CouncilHolderRead(
                grant_id=found.id,
                member_id=found.member_id,
                coop_id=found.coop_id,
                coop_name=coop_name,
                holder_name=holder_name,
                council_reference=reference,
                granted_at=found.granted_at,
                until=found.until,
            )
            for found, coop_name, holder_name, reference in items
        ],
        next_cursor=next_cursor,
    )
