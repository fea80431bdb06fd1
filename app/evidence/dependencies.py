"""Who may read a member's evidence: the member, their representative with `view`, the co-op's
administrators, and the council a grant in force names (its officers and API client).
Anyone else is told it does not exist."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.auth.dependencies import AnyActor, bearer_scheme, resolve_actor, settles_language
from app.auth.errors import InvalidToken, OutsideMandate
from app.auth.tokens import read_access_token
from app.coops import service as coops
from app.coops.models import Member
from app.core.clock import local_date
from app.core.deps import NowDep, SessionDep, SettingsDep
from app.councils import clients
from app.councils import service as councils
from app.councils.dependencies import Council
from app.evidence import consent
from app.evidence.errors import EvidenceNotFound
from app.evidence.models import CouncilAccessGrant


@dataclass(frozen=True, slots=True)
class EvidenceReader:
    member: Member
    # Set when a council reads, under this grant; the read is audited.
    council: Council | None = None
    grant: CouncilAccessGrant | None = None


async def _as_member(
    session: AsyncSession, actor: Actor, coop_id: uuid.UUID, member_id: uuid.UUID
) -> Member | None:
    """The member, when the caller may read it as the member, their representative or an
    administrator acting in person."""
    caller = await coops.active_membership(session, coop_id=coop_id, user_id=actor.principal.id)
    if caller is None:
        return None
    if caller.id == member_id:
        actor.require_scope("view")
        return caller
    if caller.is_admin and not actor.is_representing:
        return await coops.find_member(session, coop_id=coop_id, member_id=member_id)
    return None


async def _as_council(
    session: AsyncSession,
    council: Council,
    coop_id: uuid.UUID,
    member_id: uuid.UUID,
    *,
    today: date,
) -> EvidenceReader | None:
    """The member, when a grant in force lets this council read their evidence."""
    member = await coops.find_member(session, coop_id=coop_id, member_id=member_id)
    if member is None:
        return None
    found = await consent.council_grant(session, council, member, today=today)
    return None if found is None else EvidenceReader(member=member, council=council, grant=found)


@settles_language
async def evidence_reader(
    coop_id: uuid.UUID,
    member_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    on_behalf_of: Annotated[
        uuid.UUID | None,
        Header(
            alias="X-On-Behalf-Of",
            description="The id of a holder you represent (a mandate with `view`).",
        ),
    ] = None,
) -> EvidenceReader:
    if credentials is None:
        raise InvalidToken
    claims = read_access_token(settings, credentials.credentials, now=now)
    if claims is None:
        raise InvalidToken
    today = local_date(now)
    # A council's own system reads with a client token: it is a council, never a person.
    if claims.kind == "client":
        client = await clients.active_client(session, claims.subject)
        if client is None:
            raise InvalidToken
        council = Council(area_codes=frozenset([client.area_code]), api_client_id=client.id)
        found = await _as_council(session, council, coop_id, member_id, today=today)
        if found is None:
            raise EvidenceNotFound
        return found
    actor = await resolve_actor(request, session, settings, now, credentials, on_behalf_of)
    member = await _as_member(session, actor, coop_id, member_id)
    if member is not None:
        return EvidenceReader(member=member)
    # An officer reads in person, for their councils only, and only under a grant in force.
    if not actor.is_representing:
        codes = await councils.officer_area_codes(session, actor.user.id)
        if codes:
            council = Council(area_codes=frozenset(codes), user=actor.user)
            found = await _as_council(session, council, coop_id, member_id, today=today)
            if found is not None:
                return found
    raise EvidenceNotFound


CurrentEvidenceReader = Annotated[EvidenceReader, Depends(evidence_reader)]


async def grants_reader(actor: AnyActor) -> Actor:
    """The holder, or a representative whose mandate has `view` or `share`."""
    if actor.is_representing and not (
        actor.mandate is not None and actor.mandate.scopes & {"view", "share"}
    ):
        raise OutsideMandate
    return actor


GrantsReader = Annotated[Actor, Depends(grants_reader)]
