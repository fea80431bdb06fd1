"""Whose co-op page this is: a co-op's own pages exist only for its active members (404 for
anyone else, as in the API), and its administration only for its administrators."""

import uuid

from app.coops import service as coops
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.coops.models import Coop, Member
from app.web.pages import Page


async def member_of(page: Page, coop_id: uuid.UUID) -> tuple[Coop, Member]:
    member = await coops.active_membership(page.session, coop_id=coop_id, user_id=page.user.id)
    if member is None:
        raise CoopNotFound
    return await coops.get_coop(page.session, coop_id), member


async def admin_of(page: Page, coop_id: uuid.UUID) -> tuple[Coop, Member]:
    coop, member = await member_of(page, coop_id)
    if not member.is_admin:
        raise CoopAdminRequired
    return coop, member
