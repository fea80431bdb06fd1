"""Whose pages these are: a person's own, or, under `/for/{holder_id}`, those of a holder who
gave them a mandate, seen and used within it.

The API names the holder on each request (`X-On-Behalf-Of`); the pages name them in the
address. So a page acting for someone says so in its own address, every link and form on it
keeps saying so, nothing is remembered between pages that could act for a holder unseen, and a
person's own pages never run under a mandate. Whether the mandate is live, and which of its
scopes work today, is decided by the resolver the header goes through
(`app.state.mandate_resolver`, the representatives' service); what a scope lets a page do is
decided by the actor's own rule (`Actor.require_scope`, as the API's `acting_for`). A page
only asks.
"""

import uuid
from dataclasses import dataclass, fields
from typing import Any

from fastapi.responses import Response

from app.auth.actor import Actor, MandateResolver
from app.auth.dependencies import acting_for
from app.auth.errors import NoMandate, OutsideMandate
from app.coops import service as coops
from app.coops.dependencies import current_membership
from app.coops.models import Coop, Member
from app.web.pages import Page


class NotActingFor(NoMandate):
    """`no_mandate`, in the words of a page rather than of a header."""

    detail = "That person has given you no mandate to act for them, or it is no longer in force."
    detail_cy = (
        "Nid yw'r person hwnnw wedi rhoi mandad i chi weithredu ar ei ran, neu nid yw mewn "
        "grym mwyach."
    )


@dataclass
class ActingPage(Page):
    """A page answered for a representative acting for `holder_name`: its frame says so."""

    holder_id: uuid.UUID | None = None
    # A plain copy, readable on an error page after the transaction has rolled back.
    holder_name: str = ""

    @property
    def prefix(self) -> str:
        return f"/for/{self.holder_id}"

    def render(self, template: str, *, status: int = 200, **context: Any) -> Response:
        return super().render(
            template, status=status, acting_for=self.holder_name, acting_home=self.prefix, **context
        )


async def acting(page: Page, holder_id: uuid.UUID) -> Page:
    """The page as the signed-in person acting for `holder_id`, when their mandate is live
    (403 `no_mandate` otherwise, as for the header). Naming oneself is acting as oneself."""
    actor = page.me
    if holder_id == actor.user.id:
        return page
    resolver: MandateResolver | None = getattr(page.request.app.state, "mandate_resolver", None)
    found = None
    if resolver is not None:
        found = await resolver(page.session, representative=actor.user, holder_id=holder_id)
    if found is None:
        raise NotActingFor
    holder, mandate = found
    values = {f.name: getattr(page, f.name) for f in fields(Page)}
    values["actor"] = Actor(
        user=actor.user, on_behalf_of=holder, mandate=mandate, login_id=actor.login_id
    )
    answered = ActingPage(**values, holder_id=holder.id, holder_name=holder.full_name)
    # An error page for this request is then framed as acting for the holder too.
    page.request.state.web_page = answered
    return answered


async def whose(page: Page) -> Page:
    """The page as its address says: acting for the holder it names, else the person's own.
    For a form shown again after a refusal, whose page is read afresh, mandate and all."""
    if isinstance(page, ActingPage):
        return page
    named = page.request.path_params.get("holder_id")
    if named is None:
        return page
    return await acting(page, uuid.UUID(str(named)))


def prefix(page: Page) -> str:
    """What the page's links and forms start with, so that they stay whose they are."""
    return page.prefix if isinstance(page, ActingPage) else ""


async def allowed(page: Page, scope: str) -> Actor:
    """The actor, when their mandate has `scope` (the API's `acting_for(scope)`, 403
    `outside_mandate` otherwise); acting as oneself always passes."""
    return await acting_for(scope)(page.me)


async def holders_membership(page: Page) -> tuple[Coop, Member]:
    """The co-op in the address and the membership of it of the person the page is for (the
    holder, when acting): 404 unless active, as the API's `current_membership` answers."""
    coop_id = uuid.UUID(str(page.request.path_params["coop_id"]))
    member = await current_membership(coop_id, page.session, page.me)
    return await coops.get_coop(page.session, coop_id), member


def may(actor: Actor, scope: str) -> bool:
    """Whether the actor's rule would let them use `scope`: what a page offers at all."""
    try:
        actor.require_scope(scope)
    except OutsideMandate:
        return False
    return True
