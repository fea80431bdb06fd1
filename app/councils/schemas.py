"""Council officers on the wire."""

import uuid
from datetime import datetime

from pydantic import Field

from app.auth.schemas import PersonRef
from app.core.schemas import AreaCode, Input, Output, ShortText


class LaOfficerCreate(PersonRef):
    """The person (by `user_id` or `email`) and the council area they will serve."""

    area_code: AreaCode


class LaOfficerRead(Output):
    """An officer's appointment: in force while `ended_at` is null."""

    id: uuid.UUID
    user_id: uuid.UUID
    area_code: str
    appointed_at: datetime
    ended_at: datetime | None


class ApiClientCreate(Input):
    name: ShortText
    area_code: AreaCode


class ApiClientRead(Output):
    id: uuid.UUID
    client_id: str
    name: str
    area_code: str
    created_at: datetime
    revoked_at: datetime | None


class ApiClientCreated(ApiClientRead):
    client_secret: str = Field(description="Shown this once; only a hash of it is kept.")
