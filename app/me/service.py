"""Assembling what the caller needs to know about themselves from every domain."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.audit.service import published
from app.auth.models import User
from app.coops import service as coops
from app.coops.models import Coop
from app.core.i18n import Language
from app.councils import service as councils
from app.ledger.models import LedgerAccount
from app.me.schemas import ActivityItemRead, MembershipSummary, MeRead, PersonSummary
from app.providers import service as providers
from app.reference.audit_actions import describe_action
from app.representatives import service as representatives
from app.representatives.models import Mandate


def _person(mandate: Mandate, other: User) -> PersonSummary:
    return PersonSummary(
        user_id=other.id, full_name=other.full_name, scopes=mandate.scopes, mandate_id=mandate.id
    )


async def describe(session: AsyncSession, user: User) -> MeRead:
    """Memberships that have not ended (pending, active, suspended), and live mandates."""
    return MeRead(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        preferred_language=user.preferred_language,
        is_platform_admin=user.is_platform_admin,
        memberships=await _memberships(session, user.id),
        provider_ids=await providers.staff_provider_ids(session, user.id),
        la_area_codes=await councils.officer_area_codes(session, user.id),
        representing=[
            _person(m, holder) for m, holder in await representatives.representing(session, user.id)
        ],
        represented_by=[
            _person(m, rep) for m, rep in await representatives.represented_by(session, user.id)
        ],
    )


async def memberships(session: AsyncSession, user_id: uuid.UUID) -> list[MembershipSummary]:
    """The person's memberships as `GET /me` lists them (a web home page needs no more)."""
    return await _memberships(session, user_id)


async def _memberships(session: AsyncSession, user_id: uuid.UUID) -> list[MembershipSummary]:
    """Each membership with its co-op's name and what its member account holds."""
    members = await coops.memberships_of_user(session, user_id)
    if not members:
        return []
    ids = [m.id for m in members]
    coop_ids = {m.coop_id for m in members}
    coops_named = await session.execute(select(Coop.id, Coop.name).where(Coop.id.in_(coop_ids)))
    names = {row.id: row.name for row in coops_named}
    accounts = await session.execute(
        select(LedgerAccount.member_id, LedgerAccount.balance_pence).where(
            LedgerAccount.member_id.in_(ids)
        )
    )
    balances = {row.member_id: row.balance_pence for row in accounts}
    return [
        MembershipSummary(
            id=m.id,
            coop_id=m.coop_id,
            coop_name=names.get(m.coop_id, ""),
            member_class=m.member_class,
            is_admin=m.is_admin,
            status=m.status,
            balance_pence=int(balances.get(m.id) or 0),
        )
        for m in members
    ]


def activity_item(entry: AuditEntry, language: Language) -> ActivityItemRead:
    """An entry as published, with a description of it in `language`."""
    return ActivityItemRead.model_validate(
        {**published(entry), "description": describe_action(entry.action, language)}
    )
