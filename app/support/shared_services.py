"""The catalogue of shared services and members' subscriptions to them, with their history.

Subscriptions are kept as periods of days (see `SubscriptionPeriod`), so that a month's
charge falls on the members subscribed in that month: `repository.subscribers_in_month`
gives them in approval order and `split.plan_charge` shares the amount among them.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops.models import Member, MemberClass
from app.core.clock import local_date
from app.support import repository
from app.support.errors import SubscriberNotAHolder, SubscriptionNotFound, SupportServiceNotFound
from app.support.models import SubscriptionPeriod, SupportCategory, SupportService
from app.support.schemas import SupportServiceRead


async def create_service(
    session: AsyncSession,
    actor: Actor,
    coop_id: uuid.UUID,
    *,
    name: str,
    category: SupportCategory,
    description: str,
    monthly_fee_pence: int,
    now: datetime,
) -> SupportService:
    """Add a shared service to the co-op's catalogue."""
    service = SupportService(
        coop_id=coop_id,
        name=name,
        category=category,
        description=description,
        monthly_fee_pence=monthly_fee_pence,
        created_at=now,
    )
    session.add(service)
    await session.flush()
    audit.record(
        session,
        actor,
        "support_service.created",
        "support_service",
        service.id,
        coop_id=coop_id,
        data={"category": category, "monthly_fee_pence": monthly_fee_pence},
    )
    return service


def services_of(coop_id: uuid.UUID) -> Select[tuple[SupportService]]:
    """The co-op's catalogue of shared services, to page through."""
    return repository.services_of(coop_id)


async def get_service(
    session: AsyncSession, *, coop_id: uuid.UUID, service_id: uuid.UUID
) -> SupportService:
    service = await repository.get_service(session, coop_id=coop_id, service_id=service_id)
    if service is None:
        raise SupportServiceNotFound
    return service


async def describe(
    session: AsyncSession, services: list[SupportService], *, viewer: Member
) -> list[SupportServiceRead]:
    """Services as the viewer sees them: whether they subscribe, and how many do today."""
    ids = [s.id for s in services]
    counts = await repository.subscriber_counts(session, ids)
    mine = await repository.subscribed_service_ids(session, member_id=viewer.id, service_ids=ids)
    return [
        SupportServiceRead(
            id=s.id,
            coop_id=s.coop_id,
            name=s.name,
            category=s.category,
            description=s.description,
            monthly_fee_pence=s.monthly_fee_pence,
            created_at=s.created_at,
            subscribed=s.id in mine,
            subscriber_count=counts.get(s.id, 0),
        )
        for s in services
    ]


async def subscribe(
    session: AsyncSession,
    actor: Actor,
    service: SupportService,
    member: Member,
    *,
    today: date,
) -> tuple[SubscriptionPeriod, bool]:
    """Subscribe `member` from today; the answer says whether anything changed.

    Already subscribed: the running subscription, unchanged. Subscribing again on the day
    one opted out reopens that period rather than starting an overlapping one.
    """
    if member.member_class != MemberClass.service_user:
        # Only holders put money into the pool; anyone else's share of a charge could never
        # be paid, and one unpayable share refuses the whole month's charge.
        raise SubscriberNotAHolder
    existing = await repository.open_period(session, service_id=service.id, member_id=member.id)
    if existing is not None:
        return existing, False
    period = await repository.period_ended_on(
        session, service_id=service.id, member_id=member.id, day=today
    )
    if period is not None:
        period.ended_on = None
    else:
        period = SubscriptionPeriod(service_id=service.id, member_id=member.id, started_on=today)
        session.add(period)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        # A simultaneous opt-in by the same member won: theirs is the subscription.
        won = await repository.open_period(session, service_id=service.id, member_id=member.id)
        if won is None:
            raise
        return won, False
    audit.record(
        session,
        actor,
        "support.subscribed",
        "subscription_period",
        period.id,
        coop_id=service.coop_id,
        data={"service_id": service.id, "member_id": member.id},
        about=member.user_id,
    )
    return period, True


async def unsubscribe(
    session: AsyncSession,
    actor: Actor,
    service: SupportService,
    member: Member,
    *,
    today: date,
) -> SubscriptionPeriod:
    """End `member`'s subscription; today is its last day (today's month is still charged)."""
    period = await repository.open_period(session, service_id=service.id, member_id=member.id)
    if period is None:
        raise SubscriptionNotFound
    _end(period, today)
    await session.flush()
    audit.record(
        session,
        actor,
        "support.unsubscribed",
        "subscription_period",
        period.id,
        coop_id=service.coop_id,
        data={"service_id": service.id, "member_id": member.id},
        about=member.user_id,
    )
    return period


def _end(period: SubscriptionPeriod, today: date) -> None:
    # A clock set back could put today before the start; the period then lasted one day.
    period.ended_on = max(today, period.started_on)


async def end_subscriptions_on_leaving(
    session: AsyncSession, actor: Actor, member: Member, now: datetime
) -> None:
    """On leaving a co-op, every running subscription ends that day."""
    for period in await repository.open_periods_of_member(session, member.id):
        _end(period, local_date(now))
        await session.flush()
        audit.record(
            session,
            actor,
            "support.unsubscribed",
            "subscription_period",
            period.id,
            coop_id=member.coop_id,
            data={"service_id": period.service_id, "member_id": member.id, "reason": "left"},
            about=member.user_id,
        )
