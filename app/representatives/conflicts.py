"""Conflicts of interest: who may not move a holder's money for them.

A representative who stands to gain from the holder's spending (staff of a provider with a
call-off for the holder, a worker employed for the holder) may not pay in or ask for refunds
for them. Those facts live in domains above this one (tenders, employment), so they are asked
through an ordered open set, `CONFLICT_SOURCES`, declared here and filled in
`app.workflows.registry.build()`. A source is a plain async function

    async def source(session, holder: Member, representative: User) -> list[str]

answering the reasons (ids only, e.g. `"provider_staff:<provider id>"`) why `representative`
is conflicted as to this membership of the holder, or nothing. The rule itself is here: the
scopes in `CONFLICTED_SCOPES` are refused at grant and at acceptance (409
`conflict_of_interest`), and withheld from a mandate in force the moment a source answers a
reason (the next request on the holder's behalf is checked again).
"""

import uuid
from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.models import User
from app.coops.models import Member, MemberStatus
from app.core.open_sets import ordered_set
from app.representatives.errors import ConflictOfInterest
from app.representatives.models import Mandate, MandateScope, MandateStatus

# The open set `app.workflows.registry.build()` fills: who says a representative is conflicted.
CONFLICT_SOURCES = "conflict_sources"
ConflictSource = Callable[[AsyncSession, Member, User], Awaitable[list[str]]]

# What a conflicted representative may not do for the holder: move their money.
CONFLICTED_SCOPES = frozenset({MandateScope.contribute.value, MandateScope.refund.value})


def conflicting(scopes: Iterable[str]) -> list[str]:
    """The scopes among `scopes` a conflicted representative may not hold, sorted."""
    return sorted(CONFLICTED_SCOPES.intersection(scopes))


async def reasons_for(
    session: AsyncSession, *, holder_user_id: uuid.UUID, representative: User
) -> list[str]:
    """Every source's reasons across the holder's memberships that have not ended, each once."""
    memberships = (
        await session.scalars(
            select(Member)
            .where(Member.user_id == holder_user_id, Member.status != MemberStatus.left)
            .order_by(Member.id)
        )
    ).all()
    sources: tuple[ConflictSource, ...] = ordered_set(session, CONFLICT_SOURCES)
    reasons: list[str] = []
    for member in memberships:
        for source in sources:
            reasons += await source(session, member, representative)
    return list(dict.fromkeys(reasons))


async def refuse_if_conflicted(
    session: AsyncSession, *, holder_user_id: uuid.UUID, representative: User, scopes: list[str]
) -> None:
    """Refuse a mandate that would let a conflicted representative move the holder's money."""
    wanted = conflicting(scopes)
    if not wanted:
        return
    if await reasons_for(session, holder_user_id=holder_user_id, representative=representative):
        raise ConflictOfInterest(extra={"scopes": wanted})


async def working_scopes(
    session: AsyncSession, mandate: Mandate, representative: User
) -> frozenset[str]:
    """The scopes of an active mandate that work now: all of them, less the money scopes while
    the representative is conflicted."""
    scopes = frozenset(mandate.scopes)
    if not conflicting(scopes):
        return scopes
    if await reasons_for(
        session, holder_user_id=mandate.holder_user_id, representative=representative
    ):
        return scopes - CONFLICTED_SCOPES
    return scopes


async def newly_conflicted(
    session: AsyncSession,
    actor: Actor,
    holder: Member,
    *,
    representative_ids: Iterable[uuid.UUID],
    reason: str,
) -> list[Mandate]:
    """After a change above this domain made these people conflicted as to `holder` (a
    call-off for the holder with their provider, say): the holder's active mandates to them
    that hold a money scope, each recorded (ids only, about the holder). Those scopes already
    stop working (`working_scopes`); the caller tells the holder and the administrators."""
    ids = list(dict.fromkeys(representative_ids))
    if not ids:
        return []
    mandates = (
        await session.scalars(
            select(Mandate)
            .where(
                Mandate.holder_user_id == holder.user_id,
                Mandate.representative_user_id.in_(ids),
                Mandate.status == MandateStatus.active,
            )
            .order_by(Mandate.id)
        )
    ).all()
    affected = [m for m in mandates if conflicting(m.scopes)]
    for mandate in affected:
        audit.record(
            session,
            actor,
            "mandate.conflict_found",
            "mandate",
            mandate.id,
            coop_id=holder.coop_id,
            data={
                "member_id": holder.id,
                "representative_user_id": mandate.representative_user_id,
                "withheld_scopes": conflicting(mandate.scopes),
                "reason": reason,
            },
            about=holder.user_id,
        )
    return list(affected)
