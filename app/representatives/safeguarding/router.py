"""Safeguarding concerns: raised by any member, read by the co-op's safeguarding leads."""

import uuid

from app.auth.dependencies import AnyActor, CurrentActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopNotFound, MemberNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.representatives.safeguarding import service
from app.representatives.safeguarding.errors import ConcernNotFound
from app.representatives.safeguarding.models import SafeguardingConcern
from app.representatives.safeguarding.schemas import ConcernCreate, ConcernRead

router = Router(prefix="/coops/{coop_id}/safeguarding-concerns", tags=["safeguarding"])


@router.post(
    "",
    status_code=201,
    response_model=ConcernRead,
    responses=problems(CoopNotFound, MemberNotFound, OutsideMandate, NoMandate),
)
async def raise_concern(
    body: ConcernCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: CurrentActor,
    now: NowDep,
) -> SafeguardingConcern:
    """Raise a safeguarding concern about a member of this co-op (any active member, in
    person). Only the co-op's safeguarding leads and platform administrators can read it;
    never the member it is about, nor their representatives. It shows in your own activity
    and data export, and in no one else's. A member who is not in this co-op -> 404."""
    return await service.raise_concern(
        session, actor, member, member_id=body.member_id, summary=body.summary, now=now
    )


@router.get(
    "",
    response_model=CursorPage[ConcernRead],
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def list_concerns(
    coop_id: uuid.UUID, session: SessionDep, actor: AnyActor, page: PageDep
) -> CursorPage[ConcernRead]:
    """The co-op's safeguarding concerns, newest first: for its active administrators marked
    `safeguarding_lead` and for platform administrators, in person. Concerns about yourself,
    or about anyone whose mandate you hold or were offered, are left out. Everyone else is
    told there is nothing here (404)."""
    await service.require_reader(session, actor, coop_id)
    items, next_cursor = await paginate(
        session,
        service.readable(coop_id, actor.user),
        page,
        order=[
            Sort(SafeguardingConcern.raised_at, descending=True),
            Sort(SafeguardingConcern.id, descending=True),
        ],
        key=lambda c: (c.raised_at, c.id),
    )
    return CursorPage[ConcernRead](
        items=[ConcernRead.model_validate(c) for c in items], next_cursor=next_cursor
    )


@router.get(
    "/{concern_id}",
    response_model=ConcernRead,
    responses=problems(ConcernNotFound, OutsideMandate, NoMandate),
)
async def get_concern(
    coop_id: uuid.UUID, concern_id: uuid.UUID, session: SessionDep, actor: AnyActor
) -> SafeguardingConcern:
    """One concern, for those who may read it (see the list); 404 to everyone else, the
    member it is about and their representatives included."""
    concern = await service.get_concern(session, actor, coop_id=coop_id, concern_id=concern_id)
    if concern is None:
        raise ConcernNotFound
    return concern
