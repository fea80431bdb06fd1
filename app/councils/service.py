"""Appointing council officers and finding the areas a person serves."""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.auth.errors import UserNotFound
from app.auth.models import User
from app.councils.models import LaOfficer


async def appoint_officer(
    session: AsyncSession, actor: Actor, *, user_id: uuid.UUID, area_code: str, now: datetime
) -> LaOfficer:
    """Idempotent: appointing someone already appointed for that area returns the appointment."""
    await areas.require_codes(session, [area_code], loc=("body", "area_code"))
    user = await session.get(User, user_id)
    if user is None or user.closed_at is not None:
        raise UserNotFound
    existing = await session.get(LaOfficer, (user_id, area_code))
    if existing is not None:
        return existing
    officer = LaOfficer(user_id=user_id, area_code=area_code, appointed_at=now)
    session.add(officer)
    await session.flush()
    audit.record(
        session,
        actor,
        "la_officer.appointed",
        "user",
        user_id,
        data={"area_code": area_code},
        about=user_id,
    )
    return officer


async def officer_area_codes(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    return list(
        (
            await session.scalars(
                select(LaOfficer.area_code)
                .where(LaOfficer.user_id == user_id)
                .order_by(LaOfficer.area_code)
            )
        ).all()
    )
