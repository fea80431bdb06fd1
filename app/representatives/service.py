"""Mandates: granting, revoking, resolving X-On-Behalf-Of, and the per-cycle limit.

What a representative has already moved for a holder is summed by the ledger, which owns the
money; the limit is decided here by a pure function (`check_within_limit`).
"""

import math
import uuid
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.actor import Mandate as MandateGrant
from app.auth.errors import NoMandate
from app.auth.models import User
from app.auth.throttle import serialise_on
from app.core.clock import local_date
from app.core.errors import ValidationFailed
from app.core.money import pounds_text
from app.core.schemas import normalise_email
from app.direct_payments import service as direct_payments
from app.direct_payments.cycles import Cycle, cycle_containing
from app.representatives import conflicts
from app.representatives.errors import (
    BeyondMandateLimit,
    MandateExists,
    MandateNotInvited,
    TooManyGrants,
)
from app.representatives.invitations import send_invitation
from app.representatives.models import (
    LIVE_STATUSES,
    Mandate,
    MandateRole,
    MandateScope,
    MandateStatus,
)

GRANTS_PER_HOUR = 20
GRANT_WINDOW = timedelta(hours=1)


async def grant_mandate(
    session: AsyncSession,
    actor: Actor,
    *,
    email: str,
    scopes: list[MandateScope],
    limit_pence_per_cycle: int,
    role: MandateRole = MandateRole.helper,
    now: datetime,
) -> Mandate:
    """The holder invites the person with `email` to act for them within `scopes`.

    The answer is the same whether or not anyone has an account with that address: the
    mandate waits (`invited`) until that person accepts it, and until then the holder sees
    only the address; the invitation is e-mailed to the address either way. An address
    nobody has registered keeps the invitation for whoever registers with it. At most
    `GRANTS_PER_HOUR` grants an hour per holder (429), so grants cannot be used to probe
    addresses in bulk. A known representative who is conflicted (`app.representatives.
    conflicts`) may not be given the money scopes (`ConflictOfInterest`).
    """
    holder = actor.principal
    email = normalise_email(email)
    if email == holder.email:
        raise ValidationFailed(
            [{"loc": ["body", "email"], "msg": "You cannot be your own representative."}]
        )
    await serialise_on(session, f"mandate-grant\x00{holder.id}")
    count, first = (
        await session.execute(
            select(func.count(), func.min(Mandate.created_at)).where(
                Mandate.holder_user_id == holder.id, Mandate.created_at > now - GRANT_WINDOW
            )
        )
    ).one()
    if count >= GRANTS_PER_HOUR and first is not None:
        retry_after = max(1, math.ceil((first + GRANT_WINDOW - now).total_seconds()))
        raise TooManyGrants(retry_after=retry_after, headers={"Retry-After": str(retry_after)})
    if await session.scalar(
        select(Mandate.id).where(
            Mandate.holder_user_id == holder.id,
            Mandate.email == email,
            Mandate.status.in_(LIVE_STATUSES),
        )
    ):
        raise MandateExists
    representative = await session.scalar(
        select(User).where(User.email == email, User.closed_at.is_(None))
    )
    granted = sorted(str(scope) for scope in set(scopes))
    if representative is not None:
        await conflicts.refuse_if_conflicted(
            session, holder_user_id=holder.id, representative=representative, scopes=granted
        )
    mandate = Mandate(
        holder_user_id=holder.id,
        representative_user_id=representative.id if representative else None,
        email=email,
        status=MandateStatus.invited,
        role=role,
        scopes=granted,
        limit_pence_per_cycle=limit_pence_per_cycle,
        created_at=now,
    )
    session.add(mandate)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # the same grant made twice at once
        raise MandateExists from exc
    audit.record(
        session,
        actor,
        "mandate.granted",
        "mandate",
        mandate.id,
        # The address only: whose account it is, if anyone's, is not the holder's to learn.
        data={
            "email": email,
            "role": role.value,
            "scopes": mandate.scopes,
            "limit_pence_per_cycle": limit_pence_per_cycle,
        },
        about=holder.id,
    )
    send_invitation(session, mandate, holder=holder, representative=representative)
    return mandate


async def _live(
    session: AsyncSession, *, holder_id: uuid.UUID, representative_id: uuid.UUID, lock: bool = False
) -> Mandate | None:
    stmt = select(Mandate).where(
        Mandate.holder_user_id == holder_id,
        Mandate.representative_user_id == representative_id,
        Mandate.status == MandateStatus.active,
    )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


def granted_by(holder_id: uuid.UUID) -> Select[Mandate]:
    return (
        select(Mandate)
        .where(Mandate.holder_user_id == holder_id)
        .options(joinedload(Mandate.representative))
    )


async def get_granted(
    session: AsyncSession, *, holder_id: uuid.UUID, mandate_id: uuid.UUID
) -> Mandate | None:
    return await session.scalar(granted_by(holder_id).where(Mandate.id == mandate_id))


async def revoke_mandate(
    session: AsyncSession, actor: Actor, mandate: Mandate, *, now: datetime
) -> None:
    """Revocation takes effect at once: the next request on the holder's behalf is refused.
    An invitation can be revoked too. Revoking a mandate already revoked or declined changes
    nothing."""
    if mandate.status not in LIVE_STATUSES:
        return
    mandate.status = MandateStatus.revoked
    mandate.revoked_at = now
    await session.flush()
    audit.record(
        session,
        actor,
        "mandate.revoked",
        "mandate",
        mandate.id,
        data={"representative_user_id": mandate.representative_user_id},
        about=mandate.holder_user_id,
    )


def _grant(mandate: Mandate) -> MandateGrant:
    return MandateGrant(
        id=mandate.id,
        scopes=frozenset(mandate.scopes),
        limit_pence_per_cycle=mandate.limit_pence_per_cycle,
    )


async def resolve_mandate(
    session: AsyncSession, *, representative: User, holder_id: uuid.UUID
) -> tuple[User, MandateGrant] | None:
    """The `MandateResolver` for X-On-Behalf-Of: the holder and the live mandate they gave
    `representative`, or None (revoked, never granted, or the holder's account closed). The
    money scopes are left out while the representative is conflicted, checked on every
    request, so a conflict stops them at once."""
    row = (
        await session.execute(
            select(Mandate, User)
            .join(User, User.id == Mandate.holder_user_id)
            .where(
                Mandate.holder_user_id == holder_id,
                Mandate.representative_user_id == representative.id,
                Mandate.status == MandateStatus.active,
                User.closed_at.is_(None),
            )
        )
    ).one_or_none()
    if row is None:
        return None
    mandate, holder = row
    grant = _grant(mandate)
    working = await conflicts.working_scopes(session, mandate, representative)
    if working != grant.scopes:
        grant = MandateGrant(
            id=grant.id, scopes=working, limit_pence_per_cycle=grant.limit_pence_per_cycle
        )
    return holder, grant


async def representing(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[Mandate, User]]:
    """Accepted mandates `user_id` holds, each with the holder it lets them act for."""
    rows = await session.execute(
        select(Mandate, User)
        .join(User, User.id == Mandate.holder_user_id)
        .where(Mandate.representative_user_id == user_id, Mandate.status == MandateStatus.active)
        .order_by(Mandate.created_at, Mandate.id)
    )
    return [(mandate, user) for mandate, user in rows.all()]


async def represented_by(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[Mandate, User]]:
    """Accepted mandates `user_id` granted, each with its representative."""
    rows = await session.execute(
        select(Mandate, User)
        .join(User, User.id == Mandate.representative_user_id)
        .where(Mandate.holder_user_id == user_id, Mandate.status == MandateStatus.active)
        .order_by(Mandate.created_at, Mandate.id)
    )
    return [(mandate, user) for mandate, user in rows.all()]


def offered_to(user: User) -> Select[Any]:
    """Mandates given to `user`, waiting or accepted, each with its holder: those given to
    their account, and invitations to their address made before they had an account."""
    stmt = (
        select(Mandate, User)
        .join(User, User.id == Mandate.holder_user_id)
        .where(
            or_(
                Mandate.representative_user_id == user.id,
                and_(Mandate.representative_user_id.is_(None), Mandate.email == user.email),
            ),
            Mandate.status.in_(LIVE_STATUSES),
            User.closed_at.is_(None),
        )
    )
    return cast("Select[Any]", stmt)


async def get_offered(
    session: AsyncSession, *, user: User, mandate_id: uuid.UUID
) -> Mandate | None:
    """A mandate given to `user` (in any state), locked for the answer; None if not theirs."""
    return await session.scalar(
        select(Mandate)
        .where(
            Mandate.id == mandate_id,
            or_(
                Mandate.representative_user_id == user.id,
                and_(Mandate.representative_user_id.is_(None), Mandate.email == user.email),
            ),
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def answer_invitation(
    session: AsyncSession, actor: Actor, mandate: Mandate, *, accept: bool, now: datetime
) -> Mandate:
    """The representative accepts (the mandate works from now) or declines an invitation;
    anything but an invitation -> 409 `invalid_transition`. Someone conflicted as to the
    holder cannot accept the money scopes (`ConflictOfInterest`): the holder must grant a
    mandate without them."""
    if mandate.status != MandateStatus.invited:
        raise MandateNotInvited
    if accept:
        await conflicts.refuse_if_conflicted(
            session,
            holder_user_id=mandate.holder_user_id,
            representative=actor.user,
            scopes=mandate.scopes,
        )
    mandate.representative_user_id = actor.user.id
    if accept:
        mandate.status, mandate.accepted_at = MandateStatus.active, now
    else:
        mandate.status, mandate.declined_at = MandateStatus.declined, now
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # already holds a live mandate from this holder
        raise MandateExists from exc
    if accept:
        audit.record(
            session,
            actor,
            "mandate.accepted",
            "mandate",
            mandate.id,
            data={"representative_user_id": actor.user.id},
            about=mandate.holder_user_id,
        )
    else:
        # About the person who declined: a declined mandate never names them to the holder,
        # whose activity log would otherwise show who they are.
        audit.record(
            session,
            actor,
            "mandate.declined",
            "mandate",
            mandate.id,
            data={"holder_user_id": mandate.holder_user_id},
            about=actor.user.id,
        )
    return mandate


async def mandate_cycle(session: AsyncSession, mandate: Mandate, on: date) -> Cycle:
    """The four-week cycle a limit applies to: the holder's Direct Payment cycle (of the award
    version in force on `on`), or, for a holder with none in force, four-week cycles counted
    from the day of the grant."""
    award = await direct_payments.version_in_force(session, mandate.holder_user_id, on=on)
    start = award.start_date if award is not None else local_date(mandate.created_at)
    return cycle_containing(start, on)


async def mandate_in_use(session: AsyncSession, actor: Actor) -> Mandate:
    """The live mandate a representing `actor` acts under, locked until the transaction ends
    (so two movements by one representative are checked one after the other); a mandate
    revoked meanwhile answers `NoMandate`."""
    mandate = await _live(
        session, holder_id=actor.principal.id, representative_id=actor.user.id, lock=True
    )
    if mandate is None:
        raise NoMandate
    return mandate


def check_within_limit(
    mandate: Mandate, cycle: Cycle, *, moved_pence: int, amount_pence: int
) -> None:
    """Refuse money beyond the mandate's per-cycle limit (`BeyondMandateLimit`, 403
    `outside_mandate`), given what the representative already moved for the holder in
    `cycle` across their mandates."""
    if moved_pence + amount_pence > mandate.limit_pence_per_cycle:
        raise BeyondMandateLimit(
            first_day=cycle.first_day.isoformat(),
            last_day=cycle.last_day.isoformat(),
            limit=pounds_text(mandate.limit_pence_per_cycle),
            extra={"remaining_pence": max(0, mandate.limit_pence_per_cycle - moved_pence)},
        )
