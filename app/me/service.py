"""Assembling what the caller needs to know about themselves from every domain."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.councils import service as councils
from app.me.schemas import MeRead
from app.providers import service as providers


async def describe(session: AsyncSession, user: User) -> MeRead:
    return MeRead(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        preferred_language=user.preferred_language,
        is_platform_admin=user.is_platform_admin,
        provider_ids=await providers.staff_provider_ids(session, user.id),
        la_area_codes=await councils.officer_area_codes(session, user.id),
    )
