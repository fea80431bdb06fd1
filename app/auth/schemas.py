"""Accounts and tokens on the wire."""

import uuid
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import ConfigDict, Field, model_validator

from app.auth.models import PreferredLanguage
from app.core.schemas import Email, Input, Opaque, Output, Patch, ShortText

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


class PasswordResetRequest(Input):
    email: Email


class PasswordResetConfirm(Input):
    token: Annotated[Opaque, Field(max_length=512, description="The code from the e-mail.")]
    new_password: Password


class UserSummary(Output):
    id: uuid.UUID
    email: str
    full_name: str


def refuse_nulls(names: frozenset[str], data: Any) -> Any:
    """A field that may be left out is never sent as null."""
    if isinstance(data, dict):
        for name in sorted(names):
            if name in data and data[name] is None:
                raise ValueError(f"{name} may be left out but not null")
    return data


class PersonRef(Patch):
    """A registered person, named by `user_id` or by `email` (exactly one; the address is
    compared normalised, in any case). Nobody with that id or address: 404 `not_found`."""

    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["user_id"]}, {"required": ["email"]}]}
    )
    not_null: ClassVar[frozenset[str]] = frozenset({"user_id", "email"})
    user_id: uuid.UUID | None = None
    email: Email | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        return refuse_nulls(cls.not_null, data)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.user_id is None) == (self.email is None):
            raise ValueError("give exactly one of user_id and email")
        return self
