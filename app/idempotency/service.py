"""Idempotent POSTs: the same key and body give the first answer again, without the work.

The answer is stored in the same transaction as the work it describes, so the two can never
disagree: a request that fails stores nothing and may simply be retried. While a request is in
flight, a second one with the same key is told so (409) rather than waiting: on PostgreSQL a
transaction-scoped advisory lock marks it; SQLite serialises writers, so the second request
waits for the first to commit and then gets its stored answer.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from sqlalchemy import Table, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.replay import IdempotentReplay, stored_answer
from app.idempotency.errors import IdempotencyInProgress, IdempotencyKeyReused
from app.idempotency.models import IdempotencyRecord


def request_fingerprint(body: bytes) -> str:
    """The same JSON document gives the same fingerprint whatever its spacing or key order."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
        material = canonical.encode()
    except (ValueError, UnicodeDecodeError):
        material = body
    return hashlib.sha256(material).hexdigest()


SCOPE_LENGTH = 300  # the stored column's width


def canonical_param(value: str) -> str:
    """A path parameter as the route resolves it: a UUID in its one canonical spelling
    (upper case, braces or no hyphens name the same resource), anything else as given."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return value


def resource_scope(request: Request, *, principal_id: uuid.UUID) -> str:
    """What a key is scoped to besides the caller: the method, the route's template and its
    resolved path parameters (not the URL as typed), and the person acted for.

    So a retry that spells the co-op's id in upper case is the same request, and a
    representative's key for one holder is not the key for another. Over the column's width
    (never, with today's routes) the scope is kept as its SHA-256.
    """
    route = request.scope.get("route")
    template = getattr(route, "path", None) or request.url.path
    params = " ".join(
        f"{name}={canonical_param(str(value))}"
        for name, value in sorted(request.path_params.items())
    )
    scope = " ".join(
        part for part in (request.method, template, params, f"for={principal_id}") if part
    )
    if len(scope) > SCOPE_LENGTH:
        scope = "sha256:" + hashlib.sha256(scope.encode()).hexdigest()
    return scope


def _lock_id(user_id: uuid.UUID, endpoint: str, key: str) -> int:
    digest = hashlib.sha256(f"{user_id}\x00{endpoint}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


# Built once: composing a statement costs more than the database's round trip.
TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:id)")
_RECORDS: Table = IdempotencyRecord.__table__  # type: ignore[assignment]
FIND_RECORD = select(IdempotencyRecord).where(
    IdempotencyRecord.user_id == bindparam("user_id"),
    IdempotencyRecord.endpoint == bindparam("endpoint"),
    IdempotencyRecord.key == bindparam("key"),
)
INSERT_RECORD = _RECORDS.insert()


@dataclass(slots=True)
class IdempotencyGuard:
    """One request's claim on its key; `respond` stores and returns the answer."""

    session: AsyncSession
    user_id: uuid.UUID
    endpoint: str
    key: str | None
    fingerprint: str
    now: datetime
    retention: timedelta
    # What `claim` found under the key (an expired record, or none): the claim holds the key
    # until the transaction ends, so `respond` need not look again.
    claimed: bool = False
    found: IdempotencyRecord | None = None

    async def claim(self) -> None:
        """Replay a stored answer, refuse a reused or in-flight key, or let the work go on."""
        if self.key is None:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            locked = await self.session.scalar(
                TRY_LOCK, {"id": _lock_id(self.user_id, self.endpoint, self.key)}
            )
            if not locked:
                raise IdempotencyInProgress
        record = await self._record()
        if record is None or record.expires_at <= self.now:
            self.claimed, self.found = True, record
            return
        if record.request_hash != self.fingerprint:
            raise IdempotencyKeyReused
        raise IdempotentReplay(record.response_status, record.response_body)

    async def _record(self) -> IdempotencyRecord | None:
        return await self.session.scalar(
            FIND_RECORD, {"user_id": self.user_id, "endpoint": self.endpoint, "key": self.key}
        )

    async def respond(self, payload: Any, status_code: int = 200) -> Response:
        """Serialise the answer once; store those exact bytes when a key was sent."""
        body = json.dumps(
            jsonable_encoder(payload), ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
        if self.key is None:
            return stored_answer(status_code, body)
        record = self.found if self.claimed else await self._record()
        answer = {
            "request_hash": self.fingerprint,
            "response_status": status_code,
            "response_body": body,
            "created_at": self.now,
            "expires_at": self.now + self.retention,
        }
        if record is None:
            await self.session.execute(
                INSERT_RECORD,
                {"user_id": self.user_id, "endpoint": self.endpoint, "key": self.key, **answer},
            )
        else:
            for name, value in answer.items():
                setattr(record, name, value)
            await self.session.flush()
        return stored_answer(status_code, body)
