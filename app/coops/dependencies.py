"""Path objects loaded and authorised: a co-op's sub-resources do not exist for non-members."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import AnyActor, CurrentActor
from app.auth.errors import OutsideMandate
from app.coops import repository
from app.coops.errors import CoopAdminRequired, CoopNotFound, MemberNotFound, NotThisMember
from app.coops.models import Member
from app.core.deps import SessionDep


async def current_membership(coop_id: uuid.UUID, session: SessionDep, actor: AnyActor) -> Member:
    """The active membership of the person whose rights are in play (the holder, when a
    representative acts), or 404 as though the co-op's sub-resource did not exist."""
    member = await repository.active_membership(
        session, coop_id=coop_id, user_id=actor.principal.id
    )
    if member is None:
        raise CoopNotFound
    return member


CurrentMembership = Annotated[Member, Depends(current_membership)]


async def coop_admin(member: CurrentMembership, actor: AnyActor) -> Member:
    """An administrator acting in person: administration is not something a mandate covers."""
    if actor.is_representing:
        raise OutsideMandate
    if not member.is_admin:
        raise CoopAdminRequired
    return member


CoopAdmin = Annotated[Member, Depends(coop_admin)]


async def member_leaving(
    coop_id: uuid.UUID, member_id: uuid.UUID, session: SessionDep, actor: CurrentActor
) -> Member:
    """The member themselves (at any stage, so an applicant can withdraw) or an administrator."""
    member = await repository.get_member(session, coop_id=coop_id, member_id=member_id)
    if member is not None and member.user_id == actor.user.id:
        return member
    caller = await repository.active_membership(session, coop_id=coop_id, user_id=actor.user.id)
    if caller is None:
        raise CoopNotFound
    if member is None:
        raise MemberNotFound
    if not caller.is_admin:
        raise NotThisMember
    return member


LeavingMember = Annotated[Member, Depends(member_leaving)]
