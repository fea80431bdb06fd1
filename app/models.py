"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.areas.models import Area
from app.audit.models import AuditChainHead, AuditEntry
from app.auth.models import AuthSession, LoginFailure, RefreshToken, User
from app.core.db import Base
from app.councils.models import LaOfficer
from app.idempotency.models import IdempotencyRecord
from app.providers.models import (
    Provider,
    ProviderArea,
    ProviderDirectoryStamp,
    ProviderServiceType,
    ProviderStaff,
)

__all__ = [
    "Area",
    "AuditChainHead",
    "AuditEntry",
    "AuthSession",
    "Base",
    "IdempotencyRecord",
    "LaOfficer",
    "LoginFailure",
    "Provider",
    "ProviderArea",
    "ProviderDirectoryStamp",
    "ProviderServiceType",
    "ProviderStaff",
    "RefreshToken",
    "User",
]
