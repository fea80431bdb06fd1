"""Proposals and votes: the co-op's democratic decisions."""

import uuid
from typing import Annotated

from fastapi import Query

from app.auth.dependencies import CurrentActor, ViewActor, VoteActor
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import service as coops
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopNotFound
from app.coops.models import MemberClass, VotingMode
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.governance import service
from app.governance.errors import NotInElectorate, ProposalClosed, ProposalNotFound
from app.governance.models import Proposal, ProposalKind, ProposalStatus
from app.governance.schemas import (
    ClassTallyRead,
    ProposalCreate,
    ProposalRead,
    TallyRead,
    VoteCast,
)
from app.governance.tally import VoteChoice

router = Router(tags=["governance"])


def _by_class(proposal: Proposal) -> dict[MemberClass, ClassTallyRead]:
    weighted = proposal.voting_mode == VotingMode.class_weighted
    weights = proposal.class_weights or {}
    return {
        MemberClass(member_class): ClassTallyRead(
            yes=counts["yes"],
            no=counts["no"],
            abstain=counts["abstain"],
            weight=weights.get(member_class, 0) if weighted else None,
        )
        for member_class, counts in (proposal.class_tally or {}).items()
    }


def _read(proposal: Proposal, my_vote: VoteChoice | None) -> ProposalRead:
    tally = None
    if proposal.status != ProposalStatus.open:
        tally = TallyRead(
            electorate=proposal.electorate,
            yes=proposal.yes_votes or 0,
            no=proposal.no_votes or 0,
            abstain=proposal.abstain_votes or 0,
            yes_share=proposal.yes_share or "0.0000",
            by_class=_by_class(proposal),
        )
    return ProposalRead(
        id=proposal.id,
        coop_id=proposal.coop_id,
        kind=proposal.kind,
        subject_id=proposal.subject_id,
        title=proposal.title,
        body=proposal.body,
        status=proposal.status,
        opened_at=proposal.opened_at,
        closes_at=proposal.closes_at,
        closed_at=proposal.closed_at,
        tally=tally,
        my_vote=my_vote,
    )


@router.post(
    "/coops/{coop_id}/proposals",
    status_code=201,
    response_model=ProposalRead,
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def open_proposal(
    body: ProposalCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: CurrentActor,
    now: NowDep,
) -> ProposalRead:
    """Put a question to the members (any active member). The electorate is the co-op's
    active members at this moment; the co-op's current voting rules apply to it throughout."""
    coop = await coops.get_coop(session, member.coop_id)
    proposal = await service.open_proposal(
        session,
        actor,
        coop,
        kind=ProposalKind.general,
        title=body.title,
        body=body.body,
        closes_at=body.closes_at,
        now=now,
    )
    return _read(proposal, None)


@router.get(
    "/coops/{coop_id}/proposals",
    response_model=CursorPage[ProposalRead],
    responses=problems(CoopNotFound, OutsideMandate, NoMandate),
)
async def list_proposals(
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    now: NowDep,
    status: Annotated[ProposalStatus | None, Query()] = None,
) -> CursorPage[ProposalRead]:
    """The co-op's proposals, newest first (members)."""
    await service.settle_due(session, actor, coop_id=member.coop_id, now=now)
    items, next_cursor = await paginate(
        session,
        service.proposals_of(member.coop_id, status=status),
        page,
        order=[Sort(Proposal.opened_at, descending=True), Sort(Proposal.id, descending=True)],
        key=lambda p: (p.opened_at, p.id),
    )
    mine = await service.my_votes(session, member_id=member.id, proposal_ids=[p.id for p in items])
    return CursorPage[ProposalRead](
        items=[_read(p, mine.get(p.id)) for p in items], next_cursor=next_cursor
    )


@router.get(
    "/proposals/{proposal_id}",
    response_model=ProposalRead,
    responses=problems(ProposalNotFound, OutsideMandate, NoMandate),
)
async def get_proposal(
    proposal_id: uuid.UUID, session: SessionDep, actor: ViewActor, now: NowDep
) -> ProposalRead:
    """One proposal (members of its co-op). `tally` stays null until it closes: at
    `closes_at`, or as soon as every elector has voted."""
    proposal, member = await service.visible_proposal(
        session, proposal_id=proposal_id, user_id=actor.principal.id
    )
    proposal = await service.settle(session, actor, proposal, now=now)
    mine = await service.my_votes(session, member_id=member.id, proposal_ids=[proposal.id])
    return _read(proposal, mine.get(proposal.id))


@router.post(
    "/proposals/{proposal_id}/votes",
    response_model=ProposalRead,
    responses=problems(
        ProposalNotFound, ProposalClosed, NotInElectorate, OutsideMandate, NoMandate
    ),
)
async def cast_vote(
    proposal_id: uuid.UUID, body: VoteCast, session: SessionDep, actor: VoteActor, now: NowDep
) -> ProposalRead:
    """Vote yes, no or abstain; voting again changes your vote, until the close (then 409
    `proposal_closed`). Only members active when the proposal opened may vote (403
    `not_in_electorate`). A representative votes for the holder with the `vote` scope. The
    answer is the proposal, closed and counted if yours was the last vote."""
    proposal, member = await service.visible_proposal(
        session, proposal_id=proposal_id, user_id=actor.principal.id
    )
    proposal = await service.cast_vote(
        session, actor, proposal, member, choice=body.choice, now=now
    )
    return _read(proposal, body.choice)
