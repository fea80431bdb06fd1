"""Accounts and tokens on the wire."""

import uuid
from typing import Annotated, Literal

from pydantic import Field

from app.auth.models import PreferredLanguage
from app.core.schemas import Email, Input, Opaque, Output, ShortText

Password = Annotated[Opaque, Field(min_length=12, max_length=1024)]
FullName = ShortText


class UserCreate(Input):
    email: Email
    password: Password
    full_name: FullName
    preferred_language: PreferredLanguage = PreferredLanguage.en


class UserRead(Output):
    id: uuid.UUID
    email: str
    full_name: str
    preferred_language: PreferredLanguage
    is_platform_admin: bool


class TokenRead(Output):
    access_token: str
    refresh_token: str | None = None
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int = Field(le=900, description="Seconds until the access token expires.")


class RefreshRequest(Input):
    refresh_token: Annotated[Opaque, Field(max_length=512)]
