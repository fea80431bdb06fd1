"""Small helpers for the tender tests (no fixtures here)."""

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry


async def count(session: AsyncSession, model: type, **where: object) -> int:
    stmt = select(func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return await session.scalar(stmt) or 0


async def audit_entries(
    session: AsyncSession, *, prefix: str, subject_id: uuid.UUID | str | None = None
) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action.startswith(prefix)).order_by(AuditEntry.seq)
    if subject_id is not None:
        stmt = stmt.where(AuditEntry.subject_id == str(subject_id))
    return list((await session.scalars(stmt)).all())


def without(body: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in names}
