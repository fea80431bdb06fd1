"""The co-op's votes as a member sees them: the proposals, and casting a vote."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.coops import service as coops
from app.core.errors import AppError
from app.core.pagination import PageRequest, Sort, paginate
from app.governance import service as governance
from app.governance.models import Proposal
from app.governance.schemas import VoteCast
from app.governance.tally import VoteChoice
from app.web.forms import read_form, refuse, validated
from app.web.membership import member_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False)
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


async def show_proposal(page: Page, form: FormState) -> Response:
    proposal_id = uuid.UUID(page.request.path_params["proposal_id"])
    proposal, member = await governance.visible_proposal(
        page.session, proposal_id=proposal_id, user_id=page.user.id
    )
    proposal = await governance.settle(page.session, page.me, proposal, now=page.now)
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
        done=page.request.query_params.get("done"),
    )


@router.get("/proposals/{proposal_id}")
async def proposal(proposal_id: uuid.UUID, page: SignedInPage) -> Response:
    del proposal_id
    return await show_proposal(page, EMPTY_FORM)


@router.post("/proposals/{proposal_id}")
async def vote(proposal_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Vote yes, no or abstain (`POST /api/v1/proposals/{id}/votes`); voting again changes
    the vote until the close."""
    values = await read_form(request)
    try:
        body = validated(VoteCast, {k: v for k, v in values.items() if k == "choice"})
        found, member = await governance.visible_proposal(
            page.session, proposal_id=proposal_id, user_id=page.user.id
        )
        await governance.cast_vote(
            page.session, page.me, found, member, choice=body.choice, now=page.now
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
    return page.redirect(f"/proposals/{proposal_id}?done=voted")
