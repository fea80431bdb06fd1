"""Proposals and votes: opening with a frozen electorate, voting, and closing exactly once.

Other domains open proposals with `open_proposal` and act on their outcome through a
handler per kind, declared in `app.workflows.registry.build()` and carried by the session
(`app.core.open_sets`), which runs in the transaction that closes the proposal.

A proposal closes when `closes_at` has passed, checked whenever it is read or voted on
(through the injectable clock, so nothing needs a scheduler), or as soon as every elector
has voted. The close, its audit entry and the outcome handler's work commit together.
"""

import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Coop, Member, VotingMode
from app.core.errors import ValidationFailed, must_exist
from app.core.open_sets import keyed_set
from app.governance.errors import NotInElectorate, ProposalClosed, ProposalNotFound
from app.governance.models import Proposal, ProposalElector, ProposalKind, ProposalStatus, Vote
from app.governance.tally import (
    Ballot,
    ClassCount,
    Result,
    VoteChoice,
    VotingRules,
    format_share,
    tally,
)
from app.notifications.events import Event, EventType
from app.notifications.service import notify

OutcomeHandler = Callable[[AsyncSession, Actor | None, Proposal], Awaitable[None]]
# The open set `app.workflows.registry.build()` fills: what a closed proposal of a kind does.
PROPOSAL_OUTCOMES = "proposal_outcomes"


def outcome_handler(session: AsyncSession, kind: ProposalKind) -> OutcomeHandler | None:
    """`handler(session, actor, proposal)` for proposals of `kind`, run when one closes.

    It runs in the closing transaction, after the proposal's status and counts are written
    (`proposal.status` is passed, rejected or no_quorum; `proposal.subject_id` names what it
    was about). `actor` is whoever's request closed it, or None outside a request. A kind
    without one (a general proposal) only records its result.
    """
    handlers = cast(Mapping[ProposalKind, OutcomeHandler], keyed_set(session, PROPOSAL_OUTCOMES))
    return handlers.get(kind)


async def open_proposal(
    session: AsyncSession,
    actor: Actor,
    coop: Coop,
    *,
    kind: ProposalKind | str,
    title: str,
    body: str,
    closes_at: datetime,
    now: datetime,
    subject_id: uuid.UUID | None = None,
    rules: Mapping[str, Any] | None = None,
) -> Proposal:
    """Put a question to the co-op: the electorate is its active members at this moment.

    The voting rules are the co-op's now, unless `rules` gives others (`voting_mode`,
    `class_weights`, `quorum_percent`, `pass_percent`): a tender's award vote follows the
    rules in force when the tender was published.
    """
    voting: dict[str, Any] = {
        "voting_mode": coop.voting_mode,
        "class_weights": coop.class_weights,
        "quorum_percent": coop.quorum_percent,
        "pass_percent": coop.pass_percent,
    }
    if rules is not None:
        voting = {name: rules[name] for name in voting}
    if closes_at <= now:
        raise ValidationFailed(
            [{"loc": ["body", "closes_at"], "msg": "closes_at must be in the future."}]
        )
    electors = await coops.active_members(session, coop.id)
    proposal = Proposal(
        coop_id=coop.id,
        kind=ProposalKind(kind),
        subject_id=subject_id,
        title=title,
        body=body,
        status=ProposalStatus.open,
        opened_by_user_id=actor.user.id,
        opened_at=now,
        closes_at=closes_at,
        voting_mode=VotingMode(voting["voting_mode"]),
        class_weights=voting["class_weights"],
        quorum_percent=voting["quorum_percent"],
        pass_percent=voting["pass_percent"],
        electorate=len(electors),
    )
    session.add(proposal)
    await session.flush()
    session.add_all(
        ProposalElector(proposal_id=proposal.id, member_id=m.id, member_class=m.member_class)
        for m in electors
    )
    await session.flush()
    audit.record(
        session,
        actor,
        "proposal.opened",
        "proposal",
        proposal.id,
        coop_id=coop.id,
        data={"kind": proposal.kind, "subject_id": subject_id, "electorate": len(electors)},
    )
    await notify(
        session,
        proposal_event(proposal, EventType.proposal_opened, [m.user_id for m in electors], now),
    )
    return proposal


def proposal_event(
    proposal: Proposal, type_: EventType, electorate: list[uuid.UUID], at: datetime, **params: str
) -> Event:
    """An event about a proposal, for its electorate (every elector, the voters and not)."""
    return Event(
        type=type_,
        subject_type="proposal",
        subject_id=proposal.id,
        at=at,
        coop_id=proposal.coop_id,
        recipients=electorate,
        params={"title": proposal.title, "closes_at": proposal.closes_at.isoformat(), **params},
        key=f"{type_.value}:{proposal.id}",
    )


async def electorate_users(session: AsyncSession, proposal_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Member.user_id)
        .join(ProposalElector, ProposalElector.member_id == Member.id)
        .where(ProposalElector.proposal_id == proposal_id)
    )
    return list(rows.all())


async def visible_proposal(
    session: AsyncSession, *, proposal_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[Proposal, Member]:
    """The proposal and the person's active membership of its co-op; else it does not exist."""
    proposal = await session.get(Proposal, proposal_id)
    if proposal is None:
        raise ProposalNotFound
    member = await coops.active_membership(session, coop_id=proposal.coop_id, user_id=user_id)
    if member is None:
        raise ProposalNotFound
    return proposal, member


async def _lock(session: AsyncSession, proposal: Proposal) -> Proposal:
    locked = await session.scalar(
        select(Proposal)
        .where(Proposal.id == proposal.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    locked = must_exist(locked, "proposals are never deleted")
    return locked


async def settle(
    session: AsyncSession, actor: Actor | None, proposal: Proposal, *, now: datetime
) -> Proposal:
    """Close the proposal if its time has come; a no-op otherwise. Call before reading it."""
    if proposal.status != ProposalStatus.open or proposal.closes_at > now:
        return proposal
    proposal = await _lock(session, proposal)
    if proposal.status == ProposalStatus.open:
        await _close(session, actor, proposal, at=proposal.closes_at)
    return proposal


async def settle_due(
    session: AsyncSession, actor: Actor | None, *, coop_id: uuid.UUID, now: datetime
) -> None:
    """Close every proposal of the co-op whose time has come."""
    due = (
        await session.scalars(
            select(Proposal).where(
                Proposal.coop_id == coop_id,
                Proposal.status == ProposalStatus.open,
                Proposal.closes_at <= now,
            )
        )
    ).all()
    for proposal in due:
        await settle(session, actor, proposal, now=now)


async def ballots(session: AsyncSession, proposal_id: uuid.UUID) -> list[Ballot]:
    rows = await session.execute(
        select(ProposalElector.member_class, Vote.choice)
        .join(
            ProposalElector,
            (ProposalElector.proposal_id == Vote.proposal_id)
            & (ProposalElector.member_id == Vote.member_id),
        )
        .where(Vote.proposal_id == proposal_id)
    )
    return [Ballot(member_class=str(cls), choice=VoteChoice(choice)) for cls, choice in rows.all()]


async def electorate_classes(session: AsyncSession, proposal_id: uuid.UUID) -> list[str]:
    """The member classes the electorate had when the proposal opened."""
    rows = await session.scalars(
        select(ProposalElector.member_class)
        .where(ProposalElector.proposal_id == proposal_id)
        .distinct()
    )
    return sorted(str(c) for c in rows.all())


def class_tally(result: Result, classes: list[str]) -> dict[str, dict[str, int]]:
    """The counts by class, as stored: every class of the electorate, voting or not."""
    counts = {}
    for member_class in sorted({*classes, *result.by_class}):
        c = result.by_class.get(member_class, ClassCount())
        counts[member_class] = {"yes": c.yes, "no": c.no, "abstain": c.abstain}
    return counts


def rules_of(proposal: Proposal) -> VotingRules:
    return VotingRules(
        voting_mode=str(proposal.voting_mode),
        quorum_percent=proposal.quorum_percent,
        pass_percent=proposal.pass_percent,
        class_weights=dict(proposal.class_weights or {}),
    )


async def _close(
    session: AsyncSession, actor: Actor | None, proposal: Proposal, *, at: datetime
) -> None:
    result: Result = tally(
        await ballots(session, proposal.id),
        electorate=proposal.electorate,
        rules=rules_of(proposal),
    )
    proposal.status = ProposalStatus(result.outcome)
    proposal.closed_at = at
    proposal.yes_votes = result.yes
    proposal.no_votes = result.no
    proposal.abstain_votes = result.abstain
    proposal.yes_share = format_share(result.yes_share)
    proposal.class_tally = class_tally(result, await electorate_classes(session, proposal.id))
    await session.flush()
    audit.record(
        session,
        actor,
        "proposal.closed",
        "proposal",
        proposal.id,
        coop_id=proposal.coop_id,
        data={
            "status": proposal.status,
            "electorate": result.electorate,
            "yes": result.yes,
            "no": result.no,
            "abstain": result.abstain,
            "yes_share": proposal.yes_share,
            "by_class": proposal.class_tally,
        },
    )
    electorate = await electorate_users(session, proposal.id)
    await notify(
        session,
        proposal_event(
            proposal, EventType.proposal_closed, electorate, at, outcome=proposal.status.value
        ),
    )
    handler = outcome_handler(session, proposal.kind)
    if handler is not None:
        await handler(session, actor, proposal)


async def cast_vote(
    session: AsyncSession,
    actor: Actor,
    proposal: Proposal,
    member: Member,
    *,
    choice: VoteChoice,
    now: datetime,
) -> Proposal:
    """Record or change `member`'s vote; the last elector to vote closes the proposal.

    The proposal's row is locked first, so votes on one proposal are counted one at a time
    and it closes exactly once. A vote that arrives after `closes_at` is refused (409), and
    with it the close it triggered is undone; the next read closes it again, with the same
    time and counts, so nothing is lost.
    """
    proposal = await settle(session, actor, proposal, now=now)
    proposal = await _lock(session, proposal)
    if proposal.status != ProposalStatus.open:
        raise ProposalClosed
    elector = await session.get(ProposalElector, (proposal.id, member.id))
    if elector is None:
        raise NotInElectorate
    vote = await session.get(Vote, (proposal.id, member.id))
    changed = vote is not None
    if vote is None:
        vote = Vote(proposal_id=proposal.id, member_id=member.id)
        session.add(vote)
    vote.choice = choice
    vote.cast_by_user_id = actor.user.id
    vote.cast_at = now
    await session.flush()
    # The choice stays out of the audit log, which the co-op's administrators read: the
    # ballot is secret from them; only the count is published.
    audit.record(
        session,
        actor,
        "proposal.vote_changed" if changed else "proposal.vote_cast",
        "proposal",
        proposal.id,
        coop_id=proposal.coop_id,
        data={"member_id": member.id},
        about=member.user_id,
    )
    votes = await session.scalar(
        select(func.count()).select_from(Vote).where(Vote.proposal_id == proposal.id)
    )
    if votes is not None and votes >= proposal.electorate:
        await _close(session, actor, proposal, at=now)
    return proposal


async def my_votes(
    session: AsyncSession, *, member_id: uuid.UUID, proposal_ids: list[uuid.UUID]
) -> dict[uuid.UUID, VoteChoice]:
    return await votes_cast(session, member_ids=[member_id], proposal_ids=proposal_ids)


async def votes_cast(
    session: AsyncSession, *, member_ids: list[uuid.UUID], proposal_ids: list[uuid.UUID]
) -> dict[uuid.UUID, VoteChoice]:
    """The choice cast on each proposal by one of `member_ids` (one person's memberships: a
    proposal belongs to one co-op, where the person is one member, so one choice at most)."""
    if not proposal_ids or not member_ids:
        return {}
    rows = await session.execute(
        select(Vote.proposal_id, Vote.choice).where(
            Vote.member_id.in_(member_ids), Vote.proposal_id.in_(proposal_ids)
        )
    )
    return {proposal_id: VoteChoice(choice) for proposal_id, choice in rows.all()}


def proposals_of(coop_id: uuid.UUID, *, status: ProposalStatus | None = None) -> Select[Proposal]:
    return _with_status(select(Proposal).where(Proposal.coop_id == coop_id), status)


def proposals_in(
    coop_ids: list[uuid.UUID], *, status: ProposalStatus | None = None
) -> Select[Proposal]:
    """The proposals of several co-ops at once (a person's home page lists theirs together)."""
    return _with_status(select(Proposal).where(Proposal.coop_id.in_(coop_ids)), status)


def _with_status(stmt: Select[Proposal], status: ProposalStatus | None) -> Select[Proposal]:
    if status is not None:
        stmt = stmt.where(Proposal.status == status)
    return stmt
