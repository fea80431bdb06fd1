"""API clients: councils' systems that read their own area's figures with client credentials."""

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.areas import service as areas
from app.audit import service as audit
from app.auth.actor import Actor
from app.councils.errors import ApiClientNotFound
from app.councils.models import ApiClient


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_client(
    session: AsyncSession, actor: Actor, *, name: str, area_code: str, now: datetime
) -> tuple[ApiClient, str]:
    """The new client and its secret (returned this once, never stored)."""
    await areas.require_codes(session, [area_code], loc=("body", "area_code"))
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id=f"dpc_{secrets.token_urlsafe(12)}",
        secret_hash=_hash(secret),
        name=name,
        area_code=area_code,
        created_at=now,
        created_by_user_id=actor.user.id,
    )
    session.add(client)
    await session.flush()
    audit.record(
        session, actor, "api_client.created", "api_client", client.id, data={"area_code": area_code}
    )
    return client, secret


async def revoke_client(
    session: AsyncSession, actor: Actor, *, client_uuid: uuid.UUID, now: datetime
) -> None:
    client = await session.get(ApiClient, client_uuid)
    if client is None:
        raise ApiClientNotFound
    if client.revoked_at is None:
        client.revoked_at = now
        await session.flush()
        audit.record(session, actor, "api_client.revoked", "api_client", client.id)


async def authenticate_client(
    session: AsyncSession, *, client_id: str, client_secret: str
) -> uuid.UUID | None:
    """The client's id when the credentials are right and it is not revoked."""
    client = await session.scalar(
        select(ApiClient).where(ApiClient.client_id == client_id, ApiClient.revoked_at.is_(None))
    )
    # Compare even when the client is unknown, so timing tells nothing.
    expected = client.secret_hash if client else _hash("no such client")
    ok = hmac.compare_digest(expected, _hash(client_secret))
    return client.id if ok and client is not None else None


async def active_client(session: AsyncSession, client_uuid: uuid.UUID) -> ApiClient | None:
    return await session.scalar(
        select(ApiClient).where(ApiClient.id == client_uuid, ApiClient.revoked_at.is_(None))
    )


async def list_clients(session: AsyncSession) -> list[ApiClient]:
    return list(
        (
            await session.scalars(select(ApiClient).order_by(ApiClient.created_at, ApiClient.id))
        ).all()
    )
