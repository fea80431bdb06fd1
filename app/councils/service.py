"""Appointing council officers, ending appointments, and finding the areas a person serves."""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth import service as auth
from app.auth.actor import Actor
from app.core.pagination import PageRequest, Sort, paginate
from app.councils.errors import AppointmentNotFound
from app.councils.models import LaOfficer


async def _in_force(
    session: AsyncSession, *, user_id: uuid.UUID, area_code: str
) -> LaOfficer | None:
    return await session.scalar(
        select(LaOfficer).where(
            LaOfficer.user_id == user_id,
            LaOfficer.area_code == area_code,
            LaOfficer.ended_at.is_(None),
        )
    )


async def appoint_officer(
    session: AsyncSession,
    actor: Actor,
    *,
    area_code: str,
    now: datetime,
    user_id: uuid.UUID | None = None,
    email: str | None = None,
) -> tuple[LaOfficer, bool]:
    """The appointment of the person named by id or address (404 for nobody), and whether it
    is new: appointing someone already in force for that area returns that appointment."""
    await areas.require_codes(session, [area_code], loc=("body", "area_code"))
    user = await auth.open_user(session, user_id=user_id, email=email)
    existing = await _in_force(session, user_id=user.id, area_code=area_code)
    if existing is not None:
        return existing, False
    officer = LaOfficer(user_id=user.id, area_code=area_code, appointed_at=now)
    session.add(officer)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:  # appointed at this very moment by another request
        return await _must_be_in_force(session, user_id=user.id, area_code=area_code), False
    audit.record(
        session,
        actor,
        "la_officer.appointed",
        "la_officer",
        officer.id,
        data={"user_id": user.id, "area_code": area_code},
        about=user.id,
    )
    return officer, True


async def _must_be_in_force(
    session: AsyncSession, *, user_id: uuid.UUID, area_code: str
) -> LaOfficer:
    found = await _in_force(session, user_id=user_id, area_code=area_code)
    if found is None:
        raise AppointmentNotFound
    return found


async def end_appointment(
    session: AsyncSession, actor: Actor, *, appointment_id: uuid.UUID, now: datetime
) -> LaOfficer:
    """End an appointment at once: the officer's next request for the area's figures is
    refused. Ending one that has ended changes nothing."""
    officer = await session.scalar(
        select(LaOfficer).where(LaOfficer.id == appointment_id).with_for_update()
    )
    if officer is None:
        raise AppointmentNotFound
    if officer.ended_at is None:
        officer.ended_at = now
        await session.flush()
        audit.record(
            session,
            actor,
            "la_officer.ended",
            "la_officer",
            officer.id,
            data={"user_id": officer.user_id, "area_code": officer.area_code},
            about=officer.user_id,
        )
    return officer


async def list_appointments(
    session: AsyncSession, page: PageRequest, *, area_code: str | None = None
) -> tuple[list[LaOfficer], str | None]:
    """Every appointment, ended ones included, in the order they were made."""
    stmt = select(LaOfficer)
    if area_code is not None:
        stmt = stmt.where(LaOfficer.area_code == area_code)
    return await paginate(
        session,
        stmt,
        page,
        order=[Sort(LaOfficer.appointed_at), Sort(LaOfficer.id)],
        key=lambda officer: (officer.appointed_at, officer.id),
    )


async def officer_area_codes(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    """The areas the person is an officer of now (appointments in force only)."""
    return list(
        (
            await session.scalars(
                select(LaOfficer.area_code)
                .where(LaOfficer.user_id == user_id, LaOfficer.ended_at.is_(None))
                .order_by(LaOfficer.area_code)
            )
        ).all()
    )
