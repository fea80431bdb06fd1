"""Signed access tokens (JWT, HS256 pinned) and opaque single-use refresh tokens."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import jwt

from app.core.config import Settings

ALGORITHM = "HS256"
TokenKind = Literal["access", "client"]


@dataclass(frozen=True, slots=True)
class AccessClaims:
    subject: uuid.UUID
    session_id: uuid.UUID
    kind: TokenKind


def issue_access_token(
    settings: Settings,
    *,
    subject: uuid.UUID,
    session_id: uuid.UUID,
    now: datetime,
    kind: TokenKind = "access",
) -> str:
    payload = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(subject),
        "sid": str(session_id),
        "typ": kind,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=settings.access_token_seconds)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, settings.signing_key, algorithm=ALGORITHM)


def read_access_token(settings: Settings, token: str, *, now: datetime) -> AccessClaims | None:
    """The token's claims, or None for anything forged, expired, mis-addressed or malformed."""
    try:
        payload = jwt.decode(
            token,
            settings.signing_key,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "sub", "sid", "iss", "aud"], "verify_exp": False},
        )
        # Expiry is judged by the service's clock (injectable), with no leeway.
        if int(payload["exp"]) <= int(now.timestamp()):
            return None
        kind = payload.get("typ")
        if kind not in ("access", "client"):
            return None
        return AccessClaims(
            subject=uuid.UUID(payload["sub"]), session_id=uuid.UUID(payload["sid"]), kind=kind
        )
    except (jwt.PyJWTError, ValueError, KeyError, TypeError):
        return None


def new_refresh_token() -> tuple[str, str]:
    """A refresh token and the SHA-256 under which it is stored (the token itself never is)."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_single_use_token() -> tuple[str, str]:
    """A token to mail (a password reset, an e-mail confirmation) and the SHA-256 it is kept
    under: 256 random bits, so a fast hash is enough and the database never holds the token."""
    return new_refresh_token()
