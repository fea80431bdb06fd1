"""A co-op's administration: admitting the people who applied to join."""

import uuid

from fastapi.responses import Response

from app.coops import service as coops
from app.coops.models import Member, MemberStatus
from app.core.pagination import PageRequest, Sort, paginate
from app.core.routing import Router
from app.web.membership import admin_of
from app.web.pages import SignedInPage
from app.web.route import PageRoute
from app.workflows import membership

router = Router(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


@router.get("/coops/{coop_id}/admin/members")
async def members(coop_id: uuid.UUID, page: SignedInPage, cursor: str | None = None) -> Response:
    """Applicants waiting for approval, then the members (administrators)."""
    coop, admin = await admin_of(page, coop_id)
    waiting, _ = await paginate(
        page.session,
        coops.members_with_status(coop.id, statuses=[MemberStatus.pending]),
        PageRequest(limit=SHOWN),
        order=[Sort(Member.joined_at), Sort(Member.id)],
        key=lambda m: (m.joined_at, m.id),
    )
    current, next_cursor = await paginate(
        page.session,
        coops.members_with_status(coop.id, statuses=[MemberStatus.active, MemberStatus.suspended]),
        PageRequest(limit=SHOWN, cursor=cursor),
        order=[Sort(Member.joined_at), Sort(Member.id)],
        key=lambda m: (m.joined_at, m.id),
    )
    return page.render(
        "coop/admin_members.html",
        coop=coop,
        membership=admin,
        current="admin_members",
        waiting=waiting,
        members=current,
        next_cursor=next_cursor,
        done=page.request.query_params.get("done"),
    )


@router.post("/coops/{coop_id}/admin/members/{member_id}/approve")
async def approve_member(coop_id: uuid.UUID, member_id: uuid.UUID, page: SignedInPage) -> Response:
    """Admit an applicant (`POST .../members/{id}/approve`): their account opens."""
    coop, _ = await admin_of(page, coop_id)
    member = await coops.get_member(page.session, coop_id=coop.id, member_id=member_id)
    await membership.admit_member(page.session, page.me, member, now=page.now)
    return page.redirect(f"/coops/{coop.id}/admin/members?done=approved")
