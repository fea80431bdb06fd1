"""Council access: a holder lets the council paying their award read one membership's
evidence, until a day they choose or until they end it; and what that council may list.

A grant and its end are taken under the membership's lock (the one lock order: memberships
first), so two grants for one membership cannot both find none in force.
"""

import uuid
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.models import User
from app.coops import service as coops
from app.coops.errors import CoopNotFound
from app.coops.models import Coop, Member, MemberStatus
from app.core.clock import local_date
from app.core.errors import ValidationFailed, must_exist
from app.core.field_errors import field_error
from app.core.pagination import PageRequest, Sort, paginate
from app.councils.dependencies import Council
from app.direct_payments import service as direct_payments
from app.direct_payments.errors import NoDirectPayment
from app.direct_payments.models import IN_FORCE, DirectPaymentAward
from app.evidence.errors import AlreadyGranted, GrantNotFound
from app.evidence.models import CouncilAccessGrant

SUBJECT = "council_access_grant"


def in_force(today: date) -> tuple[Any, ...]:
    """Grants a council may read under on `today` (a day in Wales): not ended, not lapsed."""
    return (
        CouncilAccessGrant.ended_at.is_(None),
        or_(CouncilAccessGrant.until.is_(None), CouncilAccessGrant.until >= today),
    )


async def grant_in_force(
    session: AsyncSession, member_id: uuid.UUID, *, today: date
) -> CouncilAccessGrant | None:
    return await session.scalar(
        select(CouncilAccessGrant).where(
            CouncilAccessGrant.member_id == member_id, *in_force(today)
        )
    )


async def grant(
    session: AsyncSession,
    actor: Actor,
    *,
    coop_id: uuid.UUID,
    until: date | None,
    now: datetime,
) -> CouncilAccessGrant:
    """The holder (or their representative with `share`) lets the council paying the award in
    force today read the evidence of their membership of `coop_id`."""
    holder = actor.principal
    found = await coops.active_membership(session, coop_id=coop_id, user_id=holder.id)
    if found is None:
        raise CoopNotFound
    member = await coops.lock_membership(session, found)
    if member.status != MemberStatus.active:
        raise CoopNotFound
    direct_payments.check_holder(member, holder_user_id=holder.id)
    today = local_date(now)
    if until is not None and until < today:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "until"],
                    "until may not be before today.",
                    msg_cy="Ni chaiff until fod cyn heddiw.",
                )
            ]
        )
    award = await direct_payments.version_in_force(session, holder.id, on=today)
    if award is None:
        raise NoDirectPayment(day=today.isoformat())
    existing = await grant_in_force(session, member.id, today=today)
    if existing is not None:
        raise AlreadyGranted(grant_id=existing.id, extra={"grant_id": str(existing.id)})
    made = CouncilAccessGrant(
        member_id=member.id,
        coop_id=member.coop_id,
        holder_user_id=holder.id,
        area_code=award.area_code,
        granted_at=now,
        granted_by_user_id=actor.user.id,
        until=until,
    )
    session.add(made)
    await session.flush()
    audit.record(
        session,
        actor,
        "council_access.granted",
        SUBJECT,
        made.id,
        coop_id=member.coop_id,
        data={
            "member_id": member.id,
            "area_code": made.area_code,
            "until": until.isoformat() if until else None,
        },
    )
    return made


def grants_of(holder_user_id: uuid.UUID) -> Select[Any]:
    return select(CouncilAccessGrant).where(CouncilAccessGrant.holder_user_id == holder_user_id)


async def list_grants(
    session: AsyncSession, holder_user_id: uuid.UUID, page: PageRequest
) -> tuple[list[CouncilAccessGrant], str | None]:
    """Every grant of the holder's, ended and lapsed ones too, newest first."""
    items, next_cursor = await paginate(
        session,
        grants_of(holder_user_id),
        page,
        order=[
            Sort(CouncilAccessGrant.granted_at, descending=True),
            Sort(CouncilAccessGrant.id, descending=True),
        ],
        key=lambda g: (g.granted_at, g.id),
    )
    return list(items), next_cursor


async def end(
    session: AsyncSession, actor: Actor, grant_id: uuid.UUID, *, now: datetime
) -> CouncilAccessGrant:
    """End one of the holder's grants at once; one already ended stays as it was."""
    found: CouncilAccessGrant | None = await session.scalar(
        grants_of(actor.principal.id).where(CouncilAccessGrant.id == grant_id)
    )
    if found is None:
        raise GrantNotFound
    member = must_exist(
        await coops.find_member(session, coop_id=found.coop_id, member_id=found.member_id),
        "a grant's membership",
    )
    await coops.lock_membership(session, member)
    await session.refresh(found)
    if found.ended_at is not None:
        return found
    found.ended_at = now
    found.ended_by_user_id = actor.user.id
    await session.flush()
    audit.record(
        session,
        actor,
        "council_access.ended",
        SUBJECT,
        found.id,
        coop_id=found.coop_id,
        data={"member_id": found.member_id, "area_code": found.area_code},
    )
    return found


async def council_grant(
    session: AsyncSession, council: Council, member: Member, *, today: date
) -> CouncilAccessGrant | None:
    """The grant in force that lets this council read the member's evidence, if any."""
    return await session.scalar(
        select(CouncilAccessGrant).where(
            CouncilAccessGrant.member_id == member.id,
            CouncilAccessGrant.area_code.in_(sorted(council.area_codes)),
            *in_force(today),
        )
    )


def holders_of_area(area_code: str, *, today: date) -> Select[Any]:
    """Grants in force to the council of `area_code`, with the co-op's and the holder's names
    and the council's reference of the holder's award version it pays today."""
    reference = (
        select(DirectPaymentAward.council_reference)
        .where(
            DirectPaymentAward.user_id == CouncilAccessGrant.holder_user_id,
            DirectPaymentAward.area_code == area_code,
            DirectPaymentAward.status.in_(IN_FORCE),
            DirectPaymentAward.start_date <= today,
            or_(DirectPaymentAward.end_date.is_(None), DirectPaymentAward.end_date >= today),
        )
        .order_by(DirectPaymentAward.start_date.desc())
        .limit(1)
        .correlate(CouncilAccessGrant)
        .scalar_subquery()
    )
    stmt = (
        select(CouncilAccessGrant, Coop.name, User.full_name, reference)
        .join(Coop, Coop.id == CouncilAccessGrant.coop_id)
        .join(User, User.id == CouncilAccessGrant.holder_user_id)
        .where(CouncilAccessGrant.area_code == area_code, *in_force(today))
    )
    return cast("Select[Any]", stmt)  # a page of rows, as `paginate` takes them


def record_council_read(
    session: AsyncSession,
    council: Council,
    action: str,
    found: CouncilAccessGrant,
    *,
    data: dict[str, Any] | None = None,
) -> None:
    """Audit a council's read under a grant, about the holder (so it is in their
    `/me/activity`), naming the officer or the council's API client."""
    details: dict[str, Any] = {
        "grant_id": found.id,
        "member_id": found.member_id,
        "area_code": found.area_code,
        **(data or {}),
    }
    if council.api_client_id is not None:
        details["api_client_id"] = council.api_client_id
    actor = Actor(user=council.user) if council.user is not None else None
    audit.record(
        session,
        actor,
        action,
        "coop_member",
        found.member_id,
        coop_id=found.coop_id,
        data=details,
        about=found.holder_user_id,
    )
