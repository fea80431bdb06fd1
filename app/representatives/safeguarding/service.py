"""Safeguarding concerns: raised by any member, read only by those who must act on them.

Who reads: the co-op's active administrators marked `safeguarding_lead`, and platform
administrators, each in person. Nobody ever reads a concern about themselves or about someone
whose mandate they hold or were offered (a representative may be the source of the harm), a
lead or platform administrator included; to everyone who may not read it, a concern does not
exist (404).

The audit trail records a concern as an act of the person who raised it, about them only and
with ids only (never the summary), so it shows in the raiser's activity and never in the
activity of the person it is about; the co-op's audit shows it to leads and platform
administrators alone (`app.coops.router`).
"""

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.models import User
from app.coops import service as coops
from app.coops.errors import CoopNotFound
from app.coops.models import Member
from app.representatives.models import LIVE_STATUSES, Mandate
from app.representatives.safeguarding.models import SafeguardingConcern

SUBJECT = "safeguarding_concern"


async def raise_concern(
    session: AsyncSession,
    actor: Actor,
    raiser: Member,
    *,
    member_id: uuid.UUID,
    summary: str,
    now: datetime,
) -> SafeguardingConcern:
    """Record a concern about a member of the raiser's co-op (any member may raise one)."""
    about = await coops.get_member(session, coop_id=raiser.coop_id, member_id=member_id)
    concern = SafeguardingConcern(
        id=uuid.uuid4(),
        coop_id=raiser.coop_id,
        member_id=about.id,
        raised_by_user_id=actor.user.id,
        summary=summary,
        raised_at=now,
    )
    session.add(concern)
    await session.flush()
    audit.record(
        session,
        actor,
        "safeguarding_concern.raised",
        SUBJECT,
        concern.id,
        coop_id=concern.coop_id,
        about=actor.user.id,
    )
    return concern


async def may_read(session: AsyncSession, actor: Actor, coop_id: uuid.UUID) -> bool:
    """A platform administrator, or an active safeguarding lead of the co-op, in person."""
    if actor.is_representing:
        return False
    if actor.user.is_platform_admin:
        return True
    member = await coops.active_membership(session, coop_id=coop_id, user_id=actor.user.id)
    return member is not None and member.is_admin and member.safeguarding_lead


def _not_about_them(reader: User) -> ColumnElement[bool]:
    """Concerns neither about the reader nor about anyone they represent or were offered to."""
    concerned = (
        select(Member.user_id)
        .where(Member.id == SafeguardingConcern.member_id)
        .correlate(SafeguardingConcern)
    )
    represented = exists().where(
        Mandate.holder_user_id.in_(concerned.scalar_subquery()),
        Mandate.status.in_(LIVE_STATUSES),
        or_(
            Mandate.representative_user_id == reader.id,
            and_(Mandate.representative_user_id.is_(None), Mandate.email == reader.email),
        ),
    )
    return and_(
        ~exists().where(Member.id == SafeguardingConcern.member_id, Member.user_id == reader.id),
        ~represented,
    )


def readable(coop_id: uuid.UUID, reader: User) -> Select[SafeguardingConcern]:
    """The co-op's concerns a reader allowed by `may_read` sees."""
    return select(SafeguardingConcern).where(
        SafeguardingConcern.coop_id == coop_id, _not_about_them(reader)
    )


async def require_reader(session: AsyncSession, actor: Actor, coop_id: uuid.UUID) -> None:
    """Anyone who may not read the co-op's concerns is told there are none to find."""
    await coops.get_coop(session, coop_id)
    if not await may_read(session, actor, coop_id):
        raise CoopNotFound


async def get_concern(
    session: AsyncSession, actor: Actor, *, coop_id: uuid.UUID, concern_id: uuid.UUID
) -> SafeguardingConcern | None:
    if not await may_read(session, actor, coop_id):
        return None
    return await session.scalar(
        readable(coop_id, actor.user).where(SafeguardingConcern.id == concern_id)
    )


async def raised_by(session: AsyncSession, user_id: uuid.UUID) -> list[SafeguardingConcern]:
    """The concerns this person raised, oldest first (their subject access export)."""
    return list(
        (
            await session.scalars(
                select(SafeguardingConcern)
                .where(SafeguardingConcern.raised_by_user_id == user_id)
                .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
            )
        ).all()
    )
