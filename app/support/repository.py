"""Queries for shared support: who subscribed when, and which requests a caller may see."""

import calendar
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops.models import Member
from app.support.models import (
    Priority,
    SubscriptionPeriod,
    SupportComment,
    SupportRequest,
    SupportService,
    SupportStatus,
)


async def get_service(
    session: AsyncSession, *, coop_id: uuid.UUID, service_id: uuid.UUID
) -> SupportService | None:
    """A service of this co-op (another co-op's service does not exist here)."""
    return await session.scalar(
        select(SupportService).where(
            SupportService.id == service_id, SupportService.coop_id == coop_id
        )
    )


def services_of(coop_id: uuid.UUID) -> Select[Any]:
    return select(SupportService).where(SupportService.coop_id == coop_id)


async def subscriber_counts(
    session: AsyncSession, service_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Members subscribed today to each service (services with none are left out)."""
    if not service_ids:
        return {}
    rows = await session.execute(
        select(SubscriptionPeriod.service_id, func.count())
        .where(
            SubscriptionPeriod.service_id.in_(service_ids),
            SubscriptionPeriod.ended_on.is_(None),
        )
        .group_by(SubscriptionPeriod.service_id)
    )
    return dict(rows.all())


async def subscribed_service_ids(
    session: AsyncSession, *, member_id: uuid.UUID, service_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    if not service_ids:
        return set()
    found = await session.scalars(
        select(SubscriptionPeriod.service_id).where(
            SubscriptionPeriod.member_id == member_id,
            SubscriptionPeriod.service_id.in_(service_ids),
            SubscriptionPeriod.ended_on.is_(None),
        )
    )
    return set(found.all())


async def open_period(
    session: AsyncSession, *, service_id: uuid.UUID, member_id: uuid.UUID
) -> SubscriptionPeriod | None:
    return await session.scalar(
        select(SubscriptionPeriod).where(
            SubscriptionPeriod.service_id == service_id,
            SubscriptionPeriod.member_id == member_id,
            SubscriptionPeriod.ended_on.is_(None),
        )
    )


async def period_ended_on(
    session: AsyncSession, *, service_id: uuid.UUID, member_id: uuid.UUID, day: date
) -> SubscriptionPeriod | None:
    """The member's period of this service that ended on `day`, if any."""
    return await session.scalar(
        select(SubscriptionPeriod).where(
            SubscriptionPeriod.service_id == service_id,
            SubscriptionPeriod.member_id == member_id,
            SubscriptionPeriod.ended_on == day,
        )
    )


async def open_periods_of_member(
    session: AsyncSession, member_id: uuid.UUID
) -> list[SubscriptionPeriod]:
    return list(
        (
            await session.scalars(
                select(SubscriptionPeriod)
                .where(
                    SubscriptionPeriod.member_id == member_id,
                    SubscriptionPeriod.ended_on.is_(None),
                )
                .order_by(SubscriptionPeriod.started_on, SubscriptionPeriod.id)
            )
        ).all()
    )


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a calendar month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


async def subscribers_in_month(
    session: AsyncSession, *, service_id: uuid.UUID, year: int, month: int
) -> list[Member]:
    """The members whose subscription to the service was active on any day of that month,
    each once, in order of their approval into the co-op (then member id).

    This is the set a month's charge is split among: someone who subscribed in March and
    left in April is in March's and April's, not May's. Members who have since been suspended
    or left are included for the months they were subscribed.
    """
    first, last = month_bounds(year, month)
    active_then = select(SubscriptionPeriod.member_id).where(
        SubscriptionPeriod.service_id == service_id,
        SubscriptionPeriod.started_on <= last,
        (SubscriptionPeriod.ended_on.is_(None)) | (SubscriptionPeriod.ended_on >= first),
    )
    members = await session.scalars(
        select(Member)
        .where(Member.id.in_(active_then))
        # Every subscriber was approved (only active members subscribe) and approval time is
        # kept for good; nulls last only makes the order total on both backends regardless.
        .order_by(Member.approved_at.asc().nulls_last(), Member.id)
    )
    return list(members.all())


# Urgent first: the order the desk works in.
PRIORITY_RANK = {Priority.urgent: 0, Priority.normal: 1, Priority.low: 2}
priority_rank = case(
    {value.value: rank for value, rank in PRIORITY_RANK.items()},
    value=SupportRequest.priority,
    else_=len(PRIORITY_RANK),
)


def requests_visible_to(
    viewer: Member,
    *,
    sees_all: bool,
    status: SupportStatus | None = None,
    priority: Priority | None = None,
    assignee_member_id: uuid.UUID | None = None,
) -> Select[Any]:
    """The co-op's requests the viewer may see: all of them for support staff, else their own."""
    stmt = select(SupportRequest).where(SupportRequest.coop_id == viewer.coop_id)
    if not sees_all:
        stmt = stmt.where(SupportRequest.requester_member_id == viewer.id)
    if status is not None:
        stmt = stmt.where(SupportRequest.status == status)
    if priority is not None:
        stmt = stmt.where(SupportRequest.priority == priority)
    if assignee_member_id is not None:
        stmt = stmt.where(SupportRequest.assignee_member_id == assignee_member_id)
    return stmt


async def visible_request(
    session: AsyncSession,
    viewer: Member,
    *,
    request_id: uuid.UUID,
    sees_all: bool,
    lock: bool = False,
) -> SupportRequest | None:
    stmt = requests_visible_to(viewer, sees_all=sees_all).where(SupportRequest.id == request_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    request: SupportRequest | None = await session.scalar(stmt)
    return request


async def comments_of(session: AsyncSession, request_id: uuid.UUID) -> list[SupportComment]:
    return list(
        (
            await session.scalars(
                select(SupportComment)
                .where(SupportComment.request_id == request_id)
                .order_by(SupportComment.number)
            )
        ).all()
    )


async def comment_count(session: AsyncSession, request_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(SupportComment)
        .where(SupportComment.request_id == request_id)
    )
    return count or 0
