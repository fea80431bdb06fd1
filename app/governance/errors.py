"""Proposal and voting errors."""

from app.core.errors import Conflict, Forbidden, NotFound


class ProposalNotFound(NotFound):
    detail = "There is no such proposal, or you are not a member of its co-operative."
    detail_cy = "Nid oes cynnig o'r fath, neu nid ydych yn aelod o'i gwmni cydweithredol."


class ProposalClosed(Conflict):
    code = "proposal_closed"
    title, title_cy = "Proposal closed", "Cynnig wedi cau"
    detail = "Voting on this proposal has closed."
    detail_cy = "Mae'r pleidleisio ar y cynnig hwn wedi cau."


class NotInElectorate(Forbidden):
    code = "not_in_electorate"
    title, title_cy = "Not in the electorate", "Ddim ymhlith yr etholwyr"
    detail = "Only members who were active when the proposal opened may vote on it."
    detail_cy = "Dim ond aelodau a oedd yn weithredol pan agorodd y cynnig gaiff bleidleisio arno."
