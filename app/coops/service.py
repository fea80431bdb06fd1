"""Co-operatives and their members: founding, applications, roles and leaving (changing the
details and rules, with their two-administrator changes, is `app.coops.rules`)."""

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import repository
from app.coops import rules as rules_module
from app.coops.errors import (
    AlreadyMember,
    CoopNotFound,
    InvalidMemberTransition,
    LastAdmin,
    LastSafeguardingLead,
    MemberNotFound,
    SafeguardingLeadRequired,
)
from app.coops.models import (
    Coop,
    CoopArea,
    Member,
    MemberClass,
    MemberStatus,
)
from app.coops.schemas import CoopRules
from app.core.errors import ValidationFailed
from app.core.field_errors import field_error


async def lock_membership(
    session: AsyncSession, member: Member, *, and_holder: bool = False
) -> Member:
    """Hold `member`'s row until the transaction ends and read it afresh.

    The one lock order of memberships and money: memberships first (several: in id order),
    then the co-op, then ledger accounts (in id order). Every change to a membership
    (leaving, suspension, reinstatement, administrator roles) and every posting that
    touches a member account takes the membership first, so a posting racing a leave either
    ends before it (and its money is paid out with the balance) or begins after it and
    finds the member gone; and neither waits for the other in a circle.

    With `and_holder`, the member's own account row is held too, right after the membership
    and in the same statement: the lock `direct_payments.hold_holder` takes, in the same place
    of the order, for one round trip instead of two (a contribution's).
    """
    return await repository.lock_member(session, member, and_person=and_holder)


async def lock_members(
    session: AsyncSession, member_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, MemberStatus]:
    """Lock these memberships in id order (see `lock_membership`); their current status."""
    return await repository.lock_members(session, member_ids)


async def get_coop(session: AsyncSession, coop_id: uuid.UUID) -> Coop:
    coop = await repository.get_coop(session, coop_id)
    if coop is None:
        raise CoopNotFound
    return coop


async def find_coop(session: AsyncSession, coop_id: uuid.UUID) -> Coop | None:
    return await repository.get_coop(session, coop_id)


async def find_member(
    session: AsyncSession, *, coop_id: uuid.UUID, member_id: uuid.UUID
) -> Member | None:
    return await repository.get_member(session, coop_id=coop_id, member_id=member_id)


async def active_membership(
    session: AsyncSession, *, coop_id: uuid.UUID, user_id: uuid.UUID
) -> Member | None:
    """The person's active membership of the co-op (with its user loaded), or None."""
    return await repository.active_membership(session, coop_id=coop_id, user_id=user_id)


async def active_members(session: AsyncSession, coop_id: uuid.UUID) -> list[Member]:
    return await repository.active_members(session, coop_id)


async def memberships_of_user(session: AsyncSession, user_id: uuid.UUID) -> list[Member]:
    return await repository.memberships_of_user(session, user_id)


async def live_membership_of(
    session: AsyncSession, *, coop_id: uuid.UUID, user_id: uuid.UUID
) -> Member | None:
    """The person's membership that has not ended (pending, active or suspended), if any."""
    return await repository.live_membership(session, coop_id=coop_id, user_id=user_id)


def register(*, area_code: str | None = None) -> Select[Any]:
    """The public register: (co-op, active members) rows, to page through by name."""
    return repository.coops_with_counts(area_code=area_code)


async def count_active_members(session: AsyncSession, coop_id: uuid.UUID) -> int:
    return await repository.count_active_members(session, coop_id)


def members_with_status(coop_id: uuid.UUID, *, statuses: list[MemberStatus]) -> Select[Any]:
    """The co-op's members in these statuses, to page through in joining order."""
    return repository.members_of(coop_id, statuses=statuses)


async def get_member(session: AsyncSession, *, coop_id: uuid.UUID, member_id: uuid.UUID) -> Member:
    member = await repository.get_member(session, coop_id=coop_id, member_id=member_id)
    if member is None:
        raise MemberNotFound
    return member


async def create_coop(
    session: AsyncSession,
    actor: Actor,
    *,
    name: str,
    description: str,
    area_codes: list[str],
    rules: CoopRules,
    founder_class: MemberClass,
    now: datetime,
) -> tuple[Coop, Member]:
    """Found a co-op; the founder is its first active member and administrator.

    Only the co-op's own rows: the founding story (`app.workflows.membership.found_coop`)
    opens its accounts.
    """
    codes = list(dict.fromkeys(area_codes))
    await areas.require_codes(session, codes, loc=("body", "area_codes"))
    coop = Coop(name=name, description=description, created_at=now)
    rules_module.apply_rules(coop, rules)
    coop.areas = [CoopArea(area_code=code) for code in codes]
    session.add(coop)
    await session.flush()
    founder = Member(
        coop_id=coop.id,
        user_id=actor.user.id,
        member_class=founder_class,
        is_admin=True,
        status=MemberStatus.active,
        joined_at=now,
        approved_at=now,
        safeguarding_lead=False,
        lacks_capacity=False,
    )
    session.add(founder)
    await session.flush()
    audit.record(
        session, actor, "coop.created", "coop", coop.id, coop_id=coop.id, data={"area_codes": codes}
    )
    audit.record(
        session,
        actor,
        "member.founded",
        "coop_member",
        founder.id,
        coop_id=coop.id,
        data={"is_admin": True},
    )
    return coop, founder


async def apply(
    session: AsyncSession, actor: Actor, coop: Coop, *, member_class: MemberClass, now: datetime
) -> Member:
    """Ask to join: a pending membership an administrator approves.

    One membership per person per co-op that has not ended; someone who left may apply again
    and gets a new membership.
    """
    user = actor.principal
    if await repository.live_membership(session, coop_id=coop.id, user_id=user.id) is not None:
        raise AlreadyMember
    member = Member(
        coop_id=coop.id,
        user_id=user.id,
        member_class=member_class,
        is_admin=False,
        status=MemberStatus.pending,
        joined_at=now,
        safeguarding_lead=False,
        lacks_capacity=False,
    )
    member.user = user
    session.add(member)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a simultaneous application won the race
        raise AlreadyMember from exc
    audit.record(session, actor, "member.applied", "coop_member", member.id, coop_id=coop.id)
    return member


async def approve_member(
    session: AsyncSession, actor: Actor, member: Member, *, now: datetime
) -> Member:
    """Admit a pending applicant, or reinstate a suspended member (approval time is kept)."""
    await lock_membership(session, member)
    if member.status not in (MemberStatus.pending, MemberStatus.suspended):
        raise InvalidMemberTransition(extra={"member_status": member.status.value})
    previous = member.status
    member.status = MemberStatus.active
    if member.approved_at is None:
        member.approved_at = now
    await session.flush()
    audit.record(
        session,
        actor,
        "member.approved" if previous == MemberStatus.pending else "member.reinstated",
        "coop_member",
        member.id,
        coop_id=member.coop_id,
        about=member.user_id,
    )
    return member


async def _keep_an_admin(
    session: AsyncSession, member: Member, *, admin: bool = True, lead: bool = True
) -> None:
    """Refuse a change that would take away the co-op's last active administrator (`admin`),
    or its last active safeguarding lead (`lead`)."""
    await repository.get_coop(session, member.coop_id, lock=True)
    if member.status != MemberStatus.active:
        return
    if (
        admin
        and member.is_admin
        and await repository.count_active_admins(session, member.coop_id) <= 1
    ):
        raise LastAdmin
    if (
        lead
        and member.safeguarding_lead
        and await repository.count_active_leads(session, member.coop_id) <= 1
    ):
        raise LastSafeguardingLead


async def suspend_member(session: AsyncSession, actor: Actor, member: Member) -> Member:
    await lock_membership(session, member)
    if member.status != MemberStatus.active:
        raise InvalidMemberTransition(extra={"member_status": member.status.value})
    await _keep_an_admin(session, member)
    member.status = MemberStatus.suspended
    await session.flush()
    audit.record(
        session,
        actor,
        "member.suspended",
        "coop_member",
        member.id,
        coop_id=member.coop_id,
        about=member.user_id,
    )
    return member


async def set_admin(
    session: AsyncSession,
    actor: Actor,
    caller: Member,
    member: Member,
    *,
    is_admin: bool,
    safeguarding_lead: bool | None = None,
) -> Member:
    """Appoint or stand down an administrator, and mark or unmark them as a safeguarding lead
    (`None` keeps the mark, or drops it with the administrator's role). Only active members
    can be administrators and only administrators leads. Once the co-op has an active lead,
    only a lead (`caller`) may mark or unmark one, and the last one stays."""
    if safeguarding_lead and not is_admin:
        raise ValidationFailed(
            [
                field_error(
                    ("body", "safeguarding_lead"),
                    "Only an administrator can be a safeguarding lead.",
                    msg_cy="Dim ond gweinyddwr gaiff fod yn arweinydd diogelu.",
                )
            ]
        )
    await lock_membership(session, member)
    if member.status != MemberStatus.active:
        raise InvalidMemberTransition(extra={"member_status": member.status.value})
    lead = member.safeguarding_lead if safeguarding_lead is None else safeguarding_lead
    lead = lead and is_admin
    if member.is_admin == is_admin and member.safeguarding_lead == lead:
        return member
    await repository.get_coop(session, member.coop_id, lock=True)
    if member.safeguarding_lead != lead:
        if not caller.safeguarding_lead and await repository.count_active_leads(
            session, member.coop_id
        ):
            raise SafeguardingLeadRequired
        if not lead:
            await _keep_an_admin(session, member, admin=False)
    if not is_admin:
        await _keep_an_admin(session, member, lead=False)
    was_admin, was_lead = member.is_admin, member.safeguarding_lead
    member.is_admin, member.safeguarding_lead = is_admin, lead
    await session.flush()
    if was_admin != is_admin:
        _record_member(
            session, actor, member, "member.admin_granted" if is_admin else "member.admin_removed"
        )
    if was_lead != lead:
        action = "member.safeguarding_lead_marked" if lead else "member.safeguarding_lead_unmarked"
        _record_member(session, actor, member, action)
    return member


def _record_member(session: AsyncSession, actor: Actor, member: Member, action: str) -> None:
    audit.record(
        session,
        actor,
        action,
        "coop_member",
        member.id,
        coop_id=member.coop_id,
        about=member.user_id,
    )


async def set_capacity(
    session: AsyncSession,
    member: Member,
    *,
    lacks_capacity: bool,
    approver_mandate_id: uuid.UUID | None,
) -> Member:
    """Put in force what two administrators agreed (`app.representatives.capacity`, which
    checks the approver and records it)."""
    member.lacks_capacity = lacks_capacity
    member.approver_mandate_id = approver_mandate_id if lacks_capacity else None
    await session.flush()
    return member


async def start_leaving(session: AsyncSession, member: Member) -> Member:
    """Hold the membership that is to end and refuse what may not end.

    The first step of leaving (`app.workflows.membership.leave_coop`): the membership is locked
    before anything else (see `lock_membership`), so money on its way into the account either
    lands before the leave and is paid out, or is refused after it. A membership already
    ended, or the co-op's last active administrator, is refused.
    """
    await lock_membership(session, member)
    if member.status == MemberStatus.left:
        raise InvalidMemberTransition(extra={"member_status": member.status.value})
    await _keep_an_admin(session, member)
    return member


async def mark_left(
    session: AsyncSession, actor: Actor, member: Member, *, now: datetime
) -> Member:
    """The last step of leaving: the membership ends now (held by `start_leaving`)."""
    member.status = MemberStatus.left
    member.left_at = now
    await session.flush()
    audit.record(
        session,
        actor,
        "member.left",
        "coop_member",
        member.id,
        coop_id=member.coop_id,
        about=member.user_id,
    )
    return member
