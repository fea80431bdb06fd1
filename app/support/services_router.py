"""Shared services: the co-op's catalogue and members' subscriptions."""

import uuid

from fastapi import Response

from app.auth.dependencies import ContributeActor, CurrentActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops.dependencies import CoopAdmin, CurrentMembership
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.core.clock import local_date
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.idempotency.dependencies import IdempotencyRequired
from app.idempotency.errors import (
    IdempotencyInProgress,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
)
from app.ledger import service as ledger
from app.ledger.errors import InsufficientMemberFunds
from app.ledger.schemas import LedgerTransactionRead
from app.support import charges, repository, shared_services
from app.support.errors import (
    AlreadyCharged,
    NoSubscribers,
    SubscriberNotAHolder,
    SubscriptionNotFound,
    SupportServiceNotFound,
)
from app.support.models import SubscriptionPeriod, SupportService
from app.support.schemas import (
    ChargeCreate,
    SubscriptionRead,
    SupportServiceCreate,
    SupportServiceRead,
)

router = Router(prefix="/coops/{coop_id}/support/services", tags=["support"])


@router.post(
    "",
    status_code=201,
    response_model=SupportServiceRead,
    responses=problems(CoopNotFound, CoopAdminRequired, OutsideMandate, NoMandate),
)
async def create_service(
    body: SupportServiceCreate,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> SupportServiceRead:
    """Add a shared service to the catalogue (co-op administrators). `monthly_fee_pence` is
    what a month of it costs the co-op, shared exactly among that month's subscribers when it
    is charged."""
    service = await shared_services.create_service(
        session,
        actor,
        admin.coop_id,
        name=body.name,
        category=body.category,
        description=body.description,
        monthly_fee_pence=body.monthly_fee_pence,
        now=now,
    )
    [read] = await shared_services.describe(session, [service], viewer=admin)
    return read


@router.get(
    "",
    response_model=CursorPage[SupportServiceRead],
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def list_services(
    session: SessionDep, member: CurrentMembership, actor: ViewActor, page: PageDep
) -> CursorPage[SupportServiceRead]:
    """The co-op's shared services, oldest first (members; a representative with `view`).
    Each says whether you are subscribed (the holder, for a representative) and how many
    members are subscribed today."""
    del actor  # a representative needs `view` to read the holder's catalogue
    items, next_cursor = await paginate(
        session,
        repository.services_of(member.coop_id),
        page,
        order=[Sort(SupportService.created_at), Sort(SupportService.id)],
        key=lambda s: (s.created_at, s.id),
    )
    return CursorPage[SupportServiceRead](
        items=await shared_services.describe(session, items, viewer=member), next_cursor=next_cursor
    )


SUBSCRIPTION_PROBLEMS = (CoopNotFound, SupportServiceNotFound, OutsideMandate, NoMandate)


@router.post(
    "/{service_id}/subscription",
    status_code=201,
    response_model=SubscriptionRead,
    responses={
        200: {"model": SubscriptionRead, "description": "Already subscribed: that subscription."},
        **problems(*SUBSCRIPTION_PROBLEMS, SubscriberNotAHolder),
    },
)
async def subscribe(
    service_id: uuid.UUID,
    response: Response,
    session: SessionDep,
    member: CurrentMembership,
    actor: ContributeActor,
    now: NowDep,
) -> SubscriptionPeriod:
    """Subscribe to a shared service from today (201); already subscribed, the answer is that
    subscription (200) and nothing changes. From then on you share its monthly charge for
    every month in which you were subscribed on at least one day. Only Direct Payment holders
    (`service_user` members) subscribe (422 `not_a_holder`): charges are paid from pooled
    money. A representative needs the `contribute` scope, since subscribing commits the
    holder's money."""
    service = await shared_services.get_service(
        session, coop_id=member.coop_id, service_id=service_id
    )
    period, created = await shared_services.subscribe(
        session, actor, service, member, today=local_date(now)
    )
    if not created:
        response.status_code = 200
    return period


@router.delete(
    "/{service_id}/subscription",
    response_model=SubscriptionRead,
    responses=problems(*SUBSCRIPTION_PROBLEMS, SubscriptionNotFound),
)
async def unsubscribe(
    service_id: uuid.UUID,
    session: SessionDep,
    member: CurrentMembership,
    actor: ContributeActor,
    now: NowDep,
) -> SubscriptionPeriod:
    """End your subscription; today is its last day, so this month is still shared with you.
    The answer is the ended subscription. Not subscribed: 404 `not_found`. A representative
    needs the `contribute` scope. Leaving the co-op ends every subscription the same way."""
    service = await shared_services.get_service(
        session, coop_id=member.coop_id, service_id=service_id
    )
    return await shared_services.unsubscribe(session, actor, service, member, today=local_date(now))


@router.post(
    "/{service_id}/charges",
    status_code=201,
    response_model=LedgerTransactionRead,
    responses=problems(
        CoopNotFound,
        CoopAdminRequired,
        OutsideMandate,
        NoMandate,
        SupportServiceNotFound,
        AlreadyCharged,
        NoSubscribers,
        InsufficientMemberFunds,
        IdempotencyKeyRequired,
        IdempotencyKeyReused,
        IdempotencyInProgress,
    ),
)
async def create_charge(
    service_id: uuid.UUID,
    body: ChargeCreate,
    session: SessionDep,
    admin: CoopAdmin,
    actor: CurrentActor,
    guard: IdempotencyRequired,
    now: NowDep,
) -> Response:
    """Charge a month of a shared service (co-op administrators; `Idempotency-Key` required):
    `amount_pence` (default: the service's `monthly_fee_pence`) split exactly among the
    members subscribed on any day of that month, the odd pennies going to the earliest
    approved, posted `member -> shared` in one transaction. The answer is that transaction
    (as in `GET .../ledger`).

    A member short of their share makes the whole charge 409 `insufficient_member_funds`,
    listing them in `members: [{member_id, holder_name, short_by_pence}]` (`holder_name` for
    the co-op's administrators only, null for anyone else), and nothing is posted; that
    includes a member who has since left (leaving refunds their balance), so charge a month
    before its subscribers leave. A month already charged: 409 `already_charged`. Nobody
    subscribed that month: 422 `no_subscribers`. A month not yet begun: 422
    `validation_error`."""
    service = await shared_services.get_service(
        session, coop_id=admin.coop_id, service_id=service_id
    )
    transaction = await charges.charge(
        session, actor, service, period=body.period, amount_pence=body.amount_pence, now=now
    )
    return await guard.respond(await ledger.as_posted(session, transaction), 201)
