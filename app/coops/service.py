"""Co-operatives and their members: founding, rules, applications, roles and leaving."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import repository, safeguards
from app.coops.errors import (
    AlreadyMember,
    CoopNotFound,
    InvalidMemberTransition,
    LastAdmin,
    MemberNotFound,
)
from app.coops.models import (
    Coop,
    CoopArea,
    CoopRuleChange,
    Member,
    MemberClass,
    MemberStatus,
    VotingMode,
)
from app.coops.schemas import CoopRules
from app.core.errors import ValidationFailed
from app.core.field_errors import from_pydantic


async def lock_membership(session: AsyncSession, member: Member) -> Member:
    """Hold `member`'s row until the transaction ends and read it afresh.

    The one lock order of memberships and money: memberships first (several: in id order),
    then the co-op, then ledger accounts (in id order). Every change to a membership
    (leaving, suspension, reinstatement, administrator roles) and every posting that
    touches a member account takes the membership first, so a posting racing a leave either
    ends before it (and its money is paid out with the balance) or begins after it and
    finds the member gone; and neither waits for the other in a circle.
    """
    return await repository.lock_member(session, member)


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
    _apply_rules(coop, rules)
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


def _apply_rules(coop: Coop, rules: CoopRules) -> None:
    coop.voting_mode = rules.voting_mode
    coop.class_weights = (
        {str(cls): weight for cls, weight in rules.class_weights.items()}
        if rules.class_weights is not None
        else None
    )
    coop.quorum_percent = rules.quorum_percent
    coop.pass_percent = rules.pass_percent
    coop.award_requires_vote = rules.award_requires_vote
    coop.refund_second_approval_pence = rules.refund_second_approval_pence
    coop.variation_vote_percent = rules.variation_vote_percent


def merge_rules(coop: Coop, changes: dict[str, Any]) -> CoopRules:
    """The co-op's rules with `changes` laid over them, validated as a whole."""
    merged = {**coop.rules, **changes}
    if (
        changes.get("voting_mode") == VotingMode.one_member_one_vote
        and "class_weights" not in changes
    ):
        merged["class_weights"] = None
    try:
        return CoopRules.model_validate(merged)
    except ValidationError as exc:
        raise ValidationFailed(
            [
                from_pydantic(error, loc=["body", "rules", *(str(p) for p in error["loc"])])
                for error in exc.errors()
            ]
        ) from exc


@dataclass(frozen=True, slots=True)
class UpdateOutcome:
    """What a `PATCH` did: applied to `coop`, or kept as `waiting` for a second administrator."""

    coop: Coop
    waiting: CoopRuleChange | None = None


async def update_coop(
    session: AsyncSession,
    actor: Actor,
    coop: Coop,
    *,
    name: str | None = None,
    description: str | None = None,
    area_codes: list[str] | None = None,
    rule_changes: dict[str, Any] | None = None,
    now: datetime,
) -> UpdateOutcome:
    """Change what was given; rules are merged over the current ones and checked as a whole.

    When the new rules weaken a safeguard (see `app.coops.safeguards.WEAKENING`) nothing
    changes: the whole request, harmless parts included, is kept as a pending rule change
    that applies only when a different administrator approves it.
    """
    locked = await repository.get_coop(session, coop.id, lock=True)
    coop = locked if locked is not None else coop
    if area_codes is not None:
        await areas.require_codes(
            session, list(dict.fromkeys(area_codes)), loc=("body", "area_codes")
        )
    if rule_changes:
        merged = merge_rules(coop, rule_changes)
        weakens = safeguards.weakened(coop.rules, merged.model_dump())
        if weakens:
            asked: dict[str, Any] = {"rules": rule_changes}
            if name is not None:
                asked["name"] = name
            if description is not None:
                asked["description"] = description
            if area_codes is not None:
                asked["area_codes"] = list(dict.fromkeys(area_codes))
            waiting = await safeguards.propose(
                session, actor, coop, changes=asked, weakens=weakens, now=now
            )
            return UpdateOutcome(coop=coop, waiting=waiting)
    await _change(
        session,
        actor,
        coop,
        name=name,
        description=description,
        area_codes=area_codes,
        rule_changes=rule_changes,
        now=now,
        keep=None,
    )
    return UpdateOutcome(coop=coop)


async def _change(
    session: AsyncSession,
    actor: Actor,
    coop: Coop,
    *,
    name: str | None,
    description: str | None,
    area_codes: list[str] | None,
    rule_changes: dict[str, Any] | None,
    now: datetime,
    keep: uuid.UUID | None,
) -> None:
    changed: list[str] = []
    if rule_changes:
        before = safeguards.plain(coop.rules)
        _apply_rules(coop, merge_rules(coop, rule_changes))
        changed.append("rules")
        if safeguards.plain(coop.rules) != before:
            await safeguards.supersede_pending(session, actor, coop, keep=keep, now=now)
    if name is not None and name != coop.name:
        coop.name = name
        changed.append("name")
    if description is not None and description != coop.description:
        coop.description = description
        changed.append("description")
    if area_codes is not None:
        codes = list(dict.fromkeys(area_codes))
        await areas.require_codes(session, codes, loc=("body", "area_codes"))
        if sorted(codes) != coop.area_codes:
            keep_links = [link for link in coop.areas if link.area_code in codes]
            have = {link.area_code for link in keep_links}
            coop.areas = keep_links + [CoopArea(area_code=c) for c in codes if c not in have]
            changed.append("area_codes")
    await session.flush()
    if changed:
        audit.record(
            session,
            actor,
            "coop.updated",
            "coop",
            coop.id,
            coop_id=coop.id,
            data={"fields": changed, "rules": coop.rules if "rules" in changed else None},
        )


async def approve_rule_change(
    session: AsyncSession,
    actor: Actor,
    *,
    coop_id: uuid.UUID,
    rule_change_id: uuid.UUID,
    now: datetime,
) -> CoopRuleChange:
    """A second administrator applies a pending rule change, exactly as it was asked for.

    Refused to the administrator who proposed it (`SameAdmin`), for a change no longer
    pending (`RuleChangeNotPending`), and for one whose rules have changed since
    (`RuleChangeStale`). Other pending changes are superseded by it.
    """
    coop = await repository.get_coop(session, coop_id, lock=True)
    if coop is None:
        raise CoopNotFound
    change = await safeguards.get_rule_change(
        session, coop_id=coop_id, rule_change_id=rule_change_id, lock=True
    )
    safeguards.check_approvable(actor, coop, change)
    asked = change.changes
    await _change(
        session,
        actor,
        coop,
        name=asked.get("name"),
        description=asked.get("description"),
        area_codes=asked.get("area_codes"),
        rule_changes=asked.get("rules"),
        now=now,
        keep=change.id,
    )
    safeguards.mark_applied(actor, change, now=now)
    await session.flush()
    safeguards.record(session, actor, "coop.rule_change_approved", change)
    return change


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


async def _keep_an_admin(session: AsyncSession, member: Member) -> None:
    """Refuse a change that would take away the co-op's last active administrator."""
    await repository.get_coop(session, member.coop_id, lock=True)
    if (
        member.is_admin
        and member.status == MemberStatus.active
        and await repository.count_active_admins(session, member.coop_id) <= 1
    ):
        raise LastAdmin


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
    session: AsyncSession, actor: Actor, member: Member, *, is_admin: bool
) -> Member:
    """Appoint or stand down an administrator; only active members can be administrators."""
    await lock_membership(session, member)
    if member.status != MemberStatus.active:
        raise InvalidMemberTransition(extra={"member_status": member.status.value})
    if member.is_admin == is_admin:
        return member
    if not is_admin:
        await _keep_an_admin(session, member)
    member.is_admin = is_admin
    await session.flush()
    audit.record(
        session,
        actor,
        "member.admin_granted" if is_admin else "member.admin_removed",
        "coop_member",
        member.id,
        coop_id=member.coop_id,
        about=member.user_id,
    )
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
