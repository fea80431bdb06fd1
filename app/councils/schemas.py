"""Council officers on the wire."""

import uuid
from datetime import datetime

from app.core.schemas import AreaCode, Input, Output


class LaOfficerCreate(Input):
    user_id: uuid.UUID
    area_code: AreaCode


class LaOfficerRead(Output):
    user_id: uuid.UUID
    area_code: str
    appointed_at: datetime
