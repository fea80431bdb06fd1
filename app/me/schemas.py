"""The caller's own view of themselves."""

import uuid

from pydantic import Field

from app.auth.models import PreferredLanguage
from app.core.schemas import Output


class MembershipSummary(Output):
    id: uuid.UUID
    coop_id: uuid.UUID
    member_class: str
    is_admin: bool
    status: str


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
