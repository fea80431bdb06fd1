"""Provider staff and the holders their provider cares for: a conflict of interest.

Staff of a provider with a call-off for a holder (under a contract that has not ended) may not
move that holder's money as their representative. This is the tenders domain's conflict source
(`app.representatives.conflicts.CONFLICT_SOURCES`), and the re-check made when a contract's
call-offs are created: mandates that this makes conflicted lose their money scopes at once
(they are checked on every request), and the holder, the co-op's administrators and the
representative are told.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.auth.models import User
from app.coops.models import Member
from app.notifications.conflicts import announce_newly_conflicted
from app.providers import service as providers
from app.providers.models import ProviderStaff
from app.tenders.models import CallOff, Contract, ContractStatus


async def provider_staff(session: AsyncSession, holder: Member, representative: User) -> list[str]:
    """`provider_staff:<provider id>` for each provider the representative is staff of that
    has a call-off for this membership under a contract that has not ended."""
    provider_ids = await providers.staff_provider_ids(session, representative.id)
    if not provider_ids:
        return []
    found = await session.scalars(
        select(Contract.provider_id)
        .join(CallOff, CallOff.contract_id == Contract.id)
        .where(
            CallOff.member_id == holder.id,
            Contract.status == ContractStatus.active,
            Contract.provider_id.in_(provider_ids),
        )
        .distinct()
        .order_by(Contract.provider_id)
    )
    return [f"provider_staff:{provider_id}" for provider_id in found.all()]


async def recheck_call_offs(
    session: AsyncSession, actor: Actor, contract: Contract, members: list[Member], *, now: datetime
) -> None:
    """After `contract`'s call-offs for `members` were created: tell of every mandate that
    makes conflicted (its provider's staff holding a money scope for one of these holders)."""
    staff = list(
        (
            await session.scalars(
                select(ProviderStaff.user_id).where(
                    ProviderStaff.provider_id == contract.provider_id
                )
            )
        ).all()
    )
    if not staff:
        return
    for member in members:
        await announce_newly_conflicted(
            session,
            actor,
            member,
            representative_ids=staff,
            reason=f"provider_staff:{contract.provider_id}",
            now=now,
        )
