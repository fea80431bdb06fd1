"""Founding a co-op, admitting a member, leaving, and closing an account."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.errors import MemberHasCommitments
from app.coops.models import Coop, Member, MemberClass, MemberStatus
from app.coops.schemas import CoopRules
from app.core.clock import local_date
from app.ledger import leaving as ledger_leaving
from app.ledger import service as ledger
from app.me import privacy
from app.notifications.events import CoopAdmins, Event, EventType
from app.notifications.service import notify
from app.support import shared_services as support
from app.tenders import commitments as tender_commitments
from app.tenders.demand import service as demand


async def found_coop(
    session: AsyncSession,
    actor: Actor,
    *,
    name: str,
    description: str,
    area_codes: list[str],
    rules: CoopRules,
    founder_class: MemberClass,
    now: datetime,
) -> Coop:
    """The co-op and its founder, then its pooled accounts (`shared`, `external:deposits`,
    `external:payouts`) and the founder's: accounts are opened eagerly, never on first use."""
    coop, founder = await coops.create_coop(
        session,
        actor,
        name=name,
        description=description,
        area_codes=area_codes,
        rules=rules,
        founder_class=founder_class,
        now=now,
    )
    await ledger.open_coop_accounts(session, coop_id=coop.id, now=now)
    await ledger.open_member_account(session, coop_id=coop.id, member_id=founder.id, now=now)
    return coop


async def apply_to_join(
    session: AsyncSession, actor: Actor, coop: Coop, *, member_class: MemberClass, now: datetime
) -> Member:
    """An application, then the co-op's administrators told of it."""
    member = await coops.apply(session, actor, coop, member_class=member_class, now=now)
    await notify(
        session,
        Event(
            type=EventType.membership_applied,
            subject_type="coop_member",
            subject_id=member.id,
            at=now,
            coop_id=coop.id,
            recipients=[CoopAdmins()],
            params={"member_class": member.member_class.value},
        ),
    )
    return member


async def admit_member(
    session: AsyncSession, actor: Actor, member: Member, *, now: datetime
) -> Member:
    """An applicant admitted (or a suspended member reinstated), then their account opened (a
    reinstated member keeps the account they had), then a new member told they are in."""
    applicant = member.status == MemberStatus.pending
    member = await coops.approve_member(session, actor, member, now=now)
    await ledger.open_member_account(session, coop_id=member.coop_id, member_id=member.id, now=now)
    if applicant:
        await notify(
            session,
            Event(
                type=EventType.membership_approved,
                subject_type="coop_member",
                subject_id=member.id,
                at=now,
                coop_id=member.coop_id,
                recipients=[member.user_id],
            ),
        )
    return member


async def leave_coop(
    session: AsyncSession, actor: Actor, member: Member, *, now: datetime
) -> Member:
    """End a membership, all in one transaction: whatever refuses undoes the whole leave.

    1. The membership is held, and refused if already ended or the last administrator's.
    2. Commitments (open call-offs, unpaid invoice lines) refuse it: 409
       `member_has_commitments` listing them.
    3. Running subscriptions end today.
    4. Demand leaves the tenders still gathering it.
    5. Refunds still waiting are refused and the unspent balance is paid out.
    6. The membership ends.
    """
    await coops.start_leaving(session, member)
    binding = await tender_commitments.commitments(session, member=member, today=local_date(now))
    if binding:
        raise MemberHasCommitments(extra={"commitments": binding})
    await support.end_subscriptions_on_leaving(session, actor, member, now)
    await demand.withdraw_on_leaving(session, actor, member, now)
    await ledger_leaving.settle_on_leaving(session, actor, member, now)
    return await coops.mark_left(session, actor, member, now=now)


async def close_account(session: AsyncSession, actor: Actor, *, now: datetime) -> None:
    """Every membership ends as leaving does, then mandates and logins are revoked and the
    person pseudonymised. A membership that cannot end stops the whole closure."""
    live = await privacy.hold_live_memberships(session, actor.user)
    for member in live:
        if member.status != MemberStatus.left:  # ended meanwhile by a leave of its own
            await leave_coop(session, actor, member, now=now)
    await privacy.close_account(session, actor, now=now)
