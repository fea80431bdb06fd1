"""Assembling what the caller needs to know about themselves from every domain."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.coops import service as coops
from app.councils import service as councils
from app.me.schemas import MembershipSummary, MeRead, PersonSummary
from app.providers import service as providers
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
        memberships=[
            MembershipSummary.model_validate(m)
            for m in await coops.memberships_of_user(session, user.id)
        ],
        provider_ids=await providers.staff_provider_ids(session, user.id),
        la_area_codes=await councils.officer_area_codes(session, user.id),
        representing=[
            _person(m, holder) for m, holder in await representatives.representing(session, user.id)
        ],
        represented_by=[
            _person(m, rep) for m, rep in await representatives.represented_by(session, user.id)
        ],
    )
