"""Whose co-op page this is: a co-op's own pages exist only for its active members (404 for
anyone else, as in the API), and its administration only for its administrators."""

import uuid
from collections.abc import Iterable

from app.coops import service as coops
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.coops.models import Coop, Member, MemberStatus
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


async def member_names(
    page: Page, coop_id: uuid.UUID, member_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Who the co-op's members are (whatever their status), by member id, in one query: for
    the pages of its administrators and support staff."""
    wanted = set(member_ids)
    if not wanted:
        return {}
    stmt = coops.members_with_status(coop_id, statuses=list(MemberStatus)).where(
        Member.id.in_(wanted)
    )
    return {m.id: m.user.full_name for m in (await page.session.scalars(stmt)).all()}
