"""The caller's own view of themselves."""

import uuid
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import Field, model_validator

from app.audit.schemas import AuditEntryRead
from app.auth.models import PreferredLanguage
from app.auth.schemas import FullName, Password, refuse_nulls
from app.core.schemas import Email, Input, Opaque, Output, Patch


class MembershipSummary(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    coop_name: str
    member_class: str
    is_admin: bool
    status: str
    balance_pence: int = Field(
        description="What the member account holds now (0 before it is opened, at approval)."
    )


class PersonSummary(Output):
    """Someone you act for (`representing`) or who acts for you (`represented_by`)."""

    user_id: uuid.UUID
    full_name: str
    scopes: list[str] = Field(default_factory=list)
    mandate_id: uuid.UUID


class MeRead(Output):
    id: uuid.UUID
    email: str
    full_name: str
    preferred_language: PreferredLanguage
    is_platform_admin: bool
    memberships: list[MembershipSummary] = Field(default_factory=list)
    provider_ids: list[uuid.UUID] = Field(default_factory=list)
    la_area_codes: list[str] = Field(default_factory=list)
    representing: list[PersonSummary] = Field(default_factory=list)
    represented_by: list[PersonSummary] = Field(default_factory=list)


class MeUpdate(Patch):
    """Only the fields sent change."""

    not_null: ClassVar[frozenset[str]] = frozenset({"full_name", "preferred_language"})
    full_name: FullName | None = None
    preferred_language: PreferredLanguage | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        return refuse_nulls(cls.not_null, data)


class PasswordChange(Input):
    current_password: Annotated[Opaque, Field(max_length=1024)]
    new_password: Password


class EmailChangeRequest(Input):
    new_email: Email
    current_password: Annotated[Opaque, Field(max_length=1024)]


class EmailChangeConfirm(Input):
    token: Annotated[Opaque, Field(max_length=512, description="The code from the e-mail.")]


class LoginRead(Output):
    """One of your logins (a device or browser you signed in on)."""

    id: uuid.UUID
    created_at: datetime = Field(description="When you signed in.")
    last_used_at: datetime = Field(description="The sign-in or the latest token refresh.")
    user_agent: str | None = Field(description="The client's User-Agent at sign-in.")
    current: bool = Field(description="True for the login this request's token came from.")


class ActivityItemRead(AuditEntryRead):
    """An audit entry about you, with a `description` of it in your language. `description`
    is not part of the entry: leave it out to re-hash the entry."""

    description: str = Field(examples=["Signed in"])
