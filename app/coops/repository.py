"""Queries that decide which co-ops and memberships a caller may see."""

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, bindparam, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import User
from app.coops.models import Coop, CoopArea, Member, MemberStatus

MEMBER_COLUMNS = [column.key for column in inspect(Member).column_attrs]


async def get_coop(session: AsyncSession, coop_id: uuid.UUID, *, lock: bool = False) -> Coop | None:
    """A co-op with its areas; `lock` holds its row until the transaction ends.

    Changes that must see a stable set of administrators lock the co-op first, so two
    administrators demoting each other at once cannot leave it with none.
    """
    stmt = select(Coop).where(Coop.id == coop_id).options(selectinload(Coop.areas))
    if lock:
        # FOR NO KEY UPDATE: postings and other rows that merely point at the co-op (a
        # foreign key takes FOR KEY SHARE) are not held up, so a posting that holds its
        # accounts never waits here for a leave that waits for those accounts.
        stmt = stmt.with_for_update(key_share=True)
    return await session.scalar(stmt.execution_options(populate_existing=lock))


def active_member_count() -> Any:
    return (
        select(func.count(Member.id))
        .where(Member.coop_id == Coop.id, Member.status == MemberStatus.active)
        .correlate(Coop)
        .scalar_subquery()
    )


def coops_with_counts(*, area_code: str | None = None) -> Select[Any]:
    stmt = select(Coop, active_member_count().label("member_count")).options(
        selectinload(Coop.areas)
    )
    if area_code is not None:
        stmt = stmt.where(
            Coop.id.in_(select(CoopArea.coop_id).where(CoopArea.area_code == area_code))
        )
    return stmt


async def count_active_members(session: AsyncSession, coop_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count(Member.id)).where(
            Member.coop_id == coop_id, Member.status == MemberStatus.active
        )
    )
    return count or 0


# Built once: every request about a co-op sends it.
_ACTIVE_MEMBERSHIP = (
    select(Member)
    .where(
        Member.coop_id == bindparam("coop_id"),
        Member.user_id == bindparam("user_id"),
        Member.status == MemberStatus.active,
    )
    .options(joinedload(Member.user))
)


async def active_membership(
    session: AsyncSession, *, coop_id: uuid.UUID, user_id: uuid.UUID
) -> Member | None:
    return await session.scalar(_ACTIVE_MEMBERSHIP, {"coop_id": coop_id, "user_id": user_id})


async def live_membership(
    session: AsyncSession, *, coop_id: uuid.UUID, user_id: uuid.UUID
) -> Member | None:
    """The person's membership that has not ended (pending, active or suspended), if any."""
    return await session.scalar(
        select(Member).where(
            Member.coop_id == coop_id,
            Member.user_id == user_id,
            Member.status != MemberStatus.left,
        )
    )


async def get_member(
    session: AsyncSession, *, coop_id: uuid.UUID, member_id: uuid.UUID
) -> Member | None:
    """A member of this co-op (another co-op's member does not exist here)."""
    return await session.scalar(
        select(Member)
        .where(Member.id == member_id, Member.coop_id == coop_id)
        .options(joinedload(Member.user))
    )


async def lock_members(
    session: AsyncSession, member_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, MemberStatus]:
    """Lock these memberships' rows, in id order, and read their status afresh.

    FOR NO KEY UPDATE: it excludes another lock on the membership and any change to it (a
    leave, a suspension), while rows that merely point at it are still written.
    """
    if not member_ids:
        return {}
    rows = await session.execute(
        select(Member.id, Member.status)
        .where(Member.id.in_(sorted(set(member_ids))))
        .order_by(Member.id)
        .with_for_update(key_share=True)
    )
    return {row.id: row.status for row in rows.all()}


# Built once, and read into the object the caller holds: an ORM refresh cost several times
# the round trip, and every posting to a member's account sends it.
_LOCK_MEMBER = (
    select(*(getattr(Member, name) for name in MEMBER_COLUMNS))
    .where(Member.id == bindparam("member_id"))
    .with_for_update(key_share=True)
)


# The membership, then its person's account row, in one statement: PostgreSQL locks the rows
# of one result row in the order the `OF` list names their tables.
_LOCK_MEMBER_AND_PERSON = (
    select(*(getattr(Member, name) for name in MEMBER_COLUMNS))
    .join(User, User.id == Member.user_id)
    .where(Member.id == bindparam("member_id"), User.id == bindparam("user_id"))
    .with_for_update(key_share=True, of=[Member.__table__, User.__table__])
)


async def lock_member(session: AsyncSession, member: Member, *, and_person: bool = False) -> Member:
    """Lock `member`'s row and read its columns afresh (its loaded relationships stay); with
    `and_person`, their `user_account` row after it, in the same statement."""
    if and_person:
        found = await session.execute(
            _LOCK_MEMBER_AND_PERSON, {"member_id": member.id, "user_id": member.user_id}
        )
    else:
        found = await session.execute(_LOCK_MEMBER, {"member_id": member.id})
    row = found.one()
    for name, value in zip(MEMBER_COLUMNS, row, strict=True):
        set_committed_value(member, name, value)
    return member


async def count_active_admins(session: AsyncSession, coop_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count(Member.id)).where(
            Member.coop_id == coop_id,
            Member.status == MemberStatus.active,
            Member.is_admin.is_(True),
        )
    )
    return count or 0


async def count_active_leads(session: AsyncSession, coop_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count(Member.id)).where(
            Member.coop_id == coop_id,
            Member.status == MemberStatus.active,
            Member.safeguarding_lead.is_(True),
        )
    )
    return count or 0


def members_of(coop_id: uuid.UUID, *, statuses: list[MemberStatus]) -> Select[Any]:
    return (
        select(Member)
        .where(Member.coop_id == coop_id, Member.status.in_(statuses))
        .options(joinedload(Member.user))
    )


async def active_members(session: AsyncSession, coop_id: uuid.UUID) -> list[Member]:
    return list(
        (
            await session.scalars(
                select(Member)
                .where(Member.coop_id == coop_id, Member.status == MemberStatus.active)
                .order_by(Member.approved_at, Member.id)
            )
        ).all()
    )


async def memberships_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[Member]:
    """A person's memberships that have not ended, oldest first."""
    return list(
        (
            await session.scalars(
                select(Member)
                .where(Member.user_id == user_id, Member.status != MemberStatus.left)
                .order_by(Member.joined_at, Member.id)
            )
        ).all()
    )
