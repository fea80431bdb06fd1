"""Workers (personal assistants) and their employments."""

from app.auth.dependencies import CurrentActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.direct_payments.errors import NotAHolder
from app.employment import workers
from app.employment.errors import NotTheEmployer
from app.employment.models import Employment, Worker
from app.employment.schemas import EmploymentCreate, EmploymentRead, WorkerCreate, WorkerRead

router = Router(tags=["employment"])
MEMBER_PROBLEMS = (CoopNotFound, OutsideMandate, NoMandate)


@router.post(
    "/coops/{coop_id}/workers",
    status_code=201,
    response_model=WorkerRead,
    responses=problems(*MEMBER_PROBLEMS),
)
async def add_worker(
    body: WorkerCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: CurrentActor,
    now: NowDep,
) -> Worker:
    """Add a worker (a personal assistant) the co-op or one of its holders employs: any active
    member, in person. A holder adds their own personal assistant and an administrator anyone
    the co-op employs; a worker alone grants nothing, an employment does. When `email`
    belongs to an account, the worker is linked to it (`user_id`) and keeps their own
    timesheets; without one, the employer keeps them."""
    return await workers.add_worker(
        session, actor, member, full_name=body.full_name, email=body.email, now=now
    )


@router.get(
    "/coops/{coop_id}/workers",
    response_model=CursorPage[WorkerRead],
    responses=problems(*MEMBER_PROBLEMS),
)
async def list_workers(
    session: SessionDep, member: CurrentMembership, actor: ViewActor, page: PageDep
) -> CursorPage[WorkerRead]:
    """The co-op's workers by name: all of them for an administrator; for a member (or their
    representative with `view`) those they added or employ. Who works for whom is the
    holder's own business."""
    items, next_cursor = await paginate(
        session,
        workers.visible_workers(actor, member),
        page,
        order=[Sort(Worker.full_name), Sort(Worker.id)],
        key=lambda w: (w.full_name, w.id),
    )
    return CursorPage[WorkerRead](
        items=[WorkerRead.model_validate(w) for w in items], next_cursor=next_cursor
    )


@router.post(
    "/coops/{coop_id}/employments",
    status_code=201,
    response_model=EmploymentRead,
    responses=problems(*MEMBER_PROBLEMS, CoopAdminRequired, NotTheEmployer, NotAHolder),
)
async def create_employment(
    body: EmploymentCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: CurrentActor,
    now: NowDep,
) -> EmploymentRead:
    """Employ a worker. A holder (`service_user`, in person) employs for themselves
    (`employer_kind: member`, `employer_member_id` left out or their own); an administrator
    for any holder of the co-op, or for the co-op itself (`employer_kind: coop`, no
    `employer_member_id`), whose holders then pay for the hours worked for each of them.
    Only an administrator employs for the co-op (403 `forbidden`) or for another holder (403
    `forbidden`); an employer who is not a holder -> 422 `not_a_holder`.

    `hourly_rate_pence` is at least 1,000 (the service's rate floor); pay periods are
    `weekly` or `four_weekly` runs from `first_period_start`, or `monthly` calendar months
    (`first_period_start` then the 1st of a month, else 422). A worker the caller may not see
    -> 422 naming `worker_id`. The terms do not change: new terms are a new employment."""
    employment = await workers.create_employment(session, actor, member, fields=body, now=now)
    return workers.as_read(employment)


@router.get(
    "/coops/{coop_id}/employments",
    response_model=CursorPage[EmploymentRead],
    responses=problems(*MEMBER_PROBLEMS),
)
async def list_employments(
    session: SessionDep, member: CurrentMembership, actor: ViewActor, page: PageDep
) -> CursorPage[EmploymentRead]:
    """The co-op's employments, oldest first: all of them for an administrator; a holder's
    own (or, for their representative with `view`, the holder's) otherwise."""
    items, next_cursor = await paginate(
        session,
        workers.visible_employments(actor, member),
        page,
        order=[Sort(Employment.created_at), Sort(Employment.id)],
        key=lambda e: (e.created_at, e.id),
    )
    return CursorPage[EmploymentRead](
        items=[workers.as_read(e) for e in items], next_cursor=next_cursor
    )


@router.get(
    "/me/employments",
    response_model=CursorPage[EmploymentRead],
    responses=problems(OutsideMandate),
)
async def list_my_employments(
    session: SessionDep, actor: CurrentActor, page: PageDep
) -> CursorPage[EmploymentRead]:
    """Your employments as a worker, in every co-op (you need not be a member): those of the
    workers linked to your account. Their timesheets are yours to keep."""
    items, next_cursor = await paginate(
        session,
        workers.employments_of_worker_user(actor.user.id),
        page,
        order=[Sort(Employment.created_at), Sort(Employment.id)],
        key=lambda e: (e.created_at, e.id),
    )
    return CursorPage[EmploymentRead](
        items=[workers.as_read(e) for e in items], next_cursor=next_cursor
    )
