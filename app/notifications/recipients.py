"""Who an event reaches: its recipients and audiences resolved to people, in one query each.

Each person is reached once; a representative reached only through a holder is marked with
that holder (`for_user_id`), so their texts name whom it is about. Closed accounts and the
people the event excludes are left out.
"""

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.coops.models import Member, MemberStatus
from app.notifications.events import (
    ApprovalDeciders,
    CoopAdmins,
    CoopMembers,
    Event,
    Holders,
    Members,
    ProvidersServing,
    ProviderStaff,
    Recipient,
)
from app.providers.models import (
    Provider,
    ProviderArea,
    ProviderServiceType,
    ProviderStatus,
    ServiceType,
)
from app.providers.models import ProviderStaff as StaffRow
from app.representatives import approvals
from app.representatives.models import Approval, Mandate, MandateScope, MandateStatus


@dataclass(frozen=True, slots=True)
class Reached:
    user_id: uuid.UUID
    for_user_id: uuid.UUID | None = None


# Built once, as are the other statements most events send: composing one cost about as much
# CPU as running it.
_REPRESENTATIVE = aliased(User, name="representative")
# The holders, whether their accounts are open, and the representatives whose accounts are
# open with the holder's accepted mandates: one statement for what would be two.
_HOLDERS_AND_VIEWERS = (
    select(User.id, User.closed_at.is_(None), _REPRESENTATIVE.id, Mandate.scopes)
    .outerjoin(
        Mandate,
        and_(
            Mandate.holder_user_id == User.id,
            Mandate.status == MandateStatus.active,
            Mandate.representative_user_id.is_not(None),
        ),
    )
    .outerjoin(
        _REPRESENTATIVE,
        and_(
            _REPRESENTATIVE.id == Mandate.representative_user_id,
            _REPRESENTATIVE.closed_at.is_(None),
        ),
    )
    .where(User.id.in_(bindparam("holder_ids", expanding=True)))
)
_OPEN_ACCOUNTS = select(User.id).where(
    User.id.in_(bindparam("user_ids", expanding=True)), User.closed_at.is_(None)
)


async def _holders(
    session: AsyncSession, holder_ids: list[uuid.UUID], accounts_open: dict[uuid.UUID, bool]
) -> list[Reached]:
    """The holders, and the representatives of every accepted mandate of theirs that has
    `view`; whether their accounts are open goes into `accounts_open` (not asked again)."""
    if not holder_ids:
        return []
    rows = await session.execute(_HOLDERS_AND_VIEWERS, {"holder_ids": holder_ids})
    viewers: list[Reached] = []
    for holder, holder_open, representative, scopes in rows.all():
        accounts_open[holder] = bool(holder_open)
        if representative is not None and MandateScope.view.value in (scopes or []):
            accounts_open[representative] = True
            viewers.append(Reached(representative, for_user_id=holder))
    return [Reached(h) for h in holder_ids] + viewers


async def _member_users(session: AsyncSession, member_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    if not member_ids:
        return []
    rows = await session.scalars(select(Member.user_id).where(Member.id.in_(member_ids)))
    return list(rows.all())


async def _coop_members(
    session: AsyncSession, coop_id: uuid.UUID | None, *, admins: bool
) -> list[uuid.UUID]:
    if coop_id is None:
        return []
    stmt = select(Member.user_id).where(
        Member.coop_id == coop_id, Member.status == MemberStatus.active
    )
    if admins:
        stmt = stmt.where(Member.is_admin.is_(True))
    return list((await session.scalars(stmt)).all())


async def _staff(session: AsyncSession, provider_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    if not provider_ids:
        return []
    rows = await session.scalars(
        select(StaffRow.user_id).where(StaffRow.provider_id.in_(provider_ids))
    )
    return list(rows.all())


async def _serving(session: AsyncSession, audience: ProvidersServing) -> list[uuid.UUID]:
    if not audience.area_codes:
        return []
    serving = (
        select(Provider.id)
        .join(ProviderArea, ProviderArea.provider_id == Provider.id)
        .join(ProviderServiceType, ProviderServiceType.provider_id == Provider.id)
        .where(
            Provider.status == ProviderStatus.verified,
            ProviderArea.area_code.in_(list(audience.area_codes)),
            ProviderServiceType.service_type == ServiceType(audience.service_type),
        )
    )
    rows = await session.scalars(
        select(StaffRow.user_id).where(StaffRow.provider_id.in_(serving)).distinct()
    )
    return list(rows.all())


async def _deciders(
    session: AsyncSession,
    event: Event,
    approval_id: uuid.UUID,
    accounts_open: dict[uuid.UUID, bool],
) -> list[Reached]:
    approval = await session.get(Approval, approval_id)
    if approval is None:  # pragma: no cover - raised in the transaction that queued it
        return []
    decides = await approvals.who_decides(session, approval)
    if decides.decider == approvals.Decider.holder:
        return await _people(session, event, Holders([approval.holder_user_id]), accounts_open)
    if decides.decider == approvals.Decider.approver and decides.user_id is not None:
        return [Reached(decides.user_id, for_user_id=approval.holder_user_id)]
    # Told whose it is, as a representative would be: it waits for them, not on their behalf.
    admins = await _coop_members(session, approval.coop_id, admins=True)
    return [
        Reached(u, for_user_id=approval.holder_user_id)
        for u in admins
        if u != approval.holder_user_id
    ]


async def _people(
    session: AsyncSession, event: Event, recipient: Recipient, accounts_open: dict[uuid.UUID, bool]
) -> list[Reached]:
    """Whom one recipient or audience reaches; whether accounts found on the way are open goes
    into `accounts_open`."""
    match recipient:
        case uuid.UUID():
            return [Reached(recipient)]
        case Holders(user_ids=holders):
            return await _holders(session, list(dict.fromkeys(holders)), accounts_open)
        case Members(member_ids=member_ids, viewers=with_viewers):
            users = await _member_users(session, [m for m in member_ids if m is not None])
            if not with_viewers:
                return [Reached(u) for u in users]
            return await _people(session, event, Holders(users), accounts_open)
        case CoopAdmins():
            return [Reached(u) for u in await _coop_members(session, event.coop_id, admins=True)]
        case CoopMembers():
            return [Reached(u) for u in await _coop_members(session, event.coop_id, admins=False)]
        case ProviderStaff(provider_ids=provider_ids):
            return [Reached(u) for u in await _staff(session, list(provider_ids))]
        case ProvidersServing():
            return [Reached(u) for u in await _serving(session, recipient)]
        case ApprovalDeciders(approval_id=approval_id):
            return await _deciders(session, event, approval_id, accounts_open)
    return []  # pragma: no cover - every audience is matched above


async def resolve(session: AsyncSession, event: Event) -> list[Reached]:
    """Everyone the event reaches, each once: someone reached in their own right is not told
    again as a representative."""
    found: dict[uuid.UUID, Reached] = {}
    accounts_open: dict[uuid.UUID, bool] = {}
    for recipient in event.recipients:
        for reached in await _people(session, event, recipient, accounts_open):
            kept = found.get(reached.user_id)
            if kept is None or (kept.for_user_id is not None and reached.for_user_id is None):
                found[reached.user_id] = reached
    excluded = {e for e in event.exclude if e is not None}
    wanted = [uid for uid in found if uid not in excluded]
    if not wanted:
        return []
    unknown = [uid for uid in wanted if uid not in accounts_open]
    if unknown:
        open_ones = set((await session.scalars(_OPEN_ACCOUNTS, {"user_ids": unknown})).all())
        accounts_open.update((uid, uid in open_ones) for uid in unknown)
    return [found[uid] for uid in wanted if accounts_open[uid]]
