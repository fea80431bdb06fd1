"""The co-op's votes as a member sees them: the proposals, and casting a vote; at
`/for/{holder_id}/proposals/{id}` a representative reads a proposal for the holder and, with a
mandate that has `vote`, votes for them (`POST /api/v1/proposals/{id}/votes`' rule)."""

import uuid

from fastapi import Request
from fastapi.responses import Response

from app.auth.actor import Actor
from app.coops import service as coops
from app.core.errors import AppError
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.governance import service as governance
from app.governance.models import Proposal, ProposalStatus
from app.governance.schemas import VoteCast
from app.governance.tally import VoteChoice
from app.me.schemas import MembershipSummary
from app.web.acting import acting, allowed, may, prefix, whose
from app.web.forms import read_form, refuse, validated
from app.web.membership import member_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


@router.get("/coops/{coop_id}/votes")
async def list_votes(coop_id: uuid.UUID, page: SignedInPage, cursor: str | None = None) -> Response:
    """The co-op's proposals, newest first, with the member's own vote on each."""
    coop, member = await member_of(page, coop_id)
    await governance.settle_due(page.session, page.me, coop_id=coop.id, now=page.now)
    items, next_cursor = await paginate(
        page.session,
        governance.proposals_of(coop.id),
        PageRequest(limit=SHOWN, cursor=cursor),
        order=[Sort(Proposal.opened_at, descending=True), Sort(Proposal.id, descending=True)],
        key=lambda p: (p.opened_at, p.id),
    )
    mine = await governance.my_votes(
        page.session, member_id=member.id, proposal_ids=[p.id for p in items]
    )
    return page.render(
        "coop/votes.html",
        coop=coop,
        membership=member,
        current="votes",
        proposals=[(p, mine.get(p.id)) for p in items],
        next_cursor=next_cursor,
    )


async def _reader(page: Page) -> Actor:
    """Who reads the proposal: the person, or a representative whose mandate has `view`
    (the API's reading rule) or `vote` (who must see what they vote on)."""
    if may(page.me, "vote"):
        return await allowed(page, "vote")
    return await allowed(page, "view")


async def show_proposal(page: Page, form: FormState) -> Response:
    page = await whose(page)
    actor = await _reader(page)
    proposal_id = uuid.UUID(page.request.path_params["proposal_id"])
    proposal, member = await governance.visible_proposal(
        page.session, proposal_id=proposal_id, user_id=actor.principal.id
    )
    proposal = await governance.settle(page.session, actor, proposal, now=page.now)
    mine = await governance.my_votes(page.session, member_id=member.id, proposal_ids=[proposal.id])
    coop = await coops.get_coop(page.session, proposal.coop_id)
    return page.render(
        "coop/proposal.html",
        coop=coop,
        membership=member,
        current="votes",
        form=form,
        proposal=proposal,
        my_vote=mine.get(proposal.id),
        choices=list(VoteChoice),
        holder_name=actor.principal.full_name if actor.is_representing else None,
        may_vote=may(actor, "vote"),
        prefix=prefix(page),
        done=page.request.query_params.get("done"),
    )


@router.get("/proposals/{proposal_id}")
async def proposal(proposal_id: uuid.UUID, page: SignedInPage) -> Response:
    del proposal_id
    return await show_proposal(page, EMPTY_FORM)


@router.get("/for/{holder_id}/proposals/{proposal_id}")
async def proposal_for(
    holder_id: uuid.UUID, proposal_id: uuid.UUID, page: SignedInPage
) -> Response:
    """The same, for a holder the person represents (a mandate with `view` or `vote`)."""
    del proposal_id
    return await show_proposal(await acting(page, holder_id), EMPTY_FORM)


async def _vote(page: Page, proposal_id: uuid.UUID, values: dict[str, str]) -> Response:
    actor = await allowed(page, "vote")
    try:
        body = validated(VoteCast, {k: v for k, v in values.items() if k == "choice"})
        found, member = await governance.visible_proposal(
            page.session, proposal_id=proposal_id, user_id=actor.principal.id
        )
        await governance.cast_vote(
            page.session, actor, found, member, choice=body.choice, now=page.now
        )
    except AppError as error:
        if error.status == 404:
            raise
        raise refuse(
            page.language,
            error,
            values,
            show_proposal,
            fields={"proposal_closed": "choice", "not_in_electorate": "choice"},
        ) from error
    return page.redirect(f"{prefix(page)}/proposals/{proposal_id}?done=voted")


@router.post("/proposals/{proposal_id}")
async def vote(proposal_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Vote yes, no or abstain (`POST /api/v1/proposals/{id}/votes`); voting again changes
    the vote until the close."""
    return await _vote(page, proposal_id, await read_form(request))


@router.post("/for/{holder_id}/proposals/{proposal_id}")
async def vote_for(
    holder_id: uuid.UUID, proposal_id: uuid.UUID, request: Request, page: SignedInPage
) -> Response:
    """Vote for the holder (a mandate with `vote`): the vote is theirs, recorded as cast by
    the representative."""
    return await _vote(await acting(page, holder_id), proposal_id, await read_form(request))


async def open_votes(
    page: Page, memberships: list[MembershipSummary]
) -> list[tuple[MembershipSummary, Proposal, VoteChoice | None]]:
    """The open votes of the co-ops `memberships` are active in, soonest closing first, each
    with the choice already cast (a vote whose time has come closes as it is read)."""
    active = {m.coop_id: m for m in memberships if m.status == "active"}
    if not active:
        return []
    still_open: list[Proposal] = []
    for found in (
        await page.session.scalars(
            governance.proposals_in(list(active), status=ProposalStatus.open)
            .order_by(Proposal.closes_at, Proposal.id)
            .limit(SHOWN)
        )
    ).all():
        if found.closes_at <= page.now:
            await governance.settle(page.session, page.me, found, now=page.now)
        else:
            still_open.append(found)
    cast = await governance.votes_cast(
        page.session,
        member_ids=[m.id for m in active.values()],
        proposal_ids=[p.id for p in still_open],
    )
    return [(active[p.coop_id], p, cast.get(p.id)) for p in still_open]
