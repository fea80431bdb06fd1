"""Safeguarding concerns: what a member has seen that may put another member at risk."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey


class SafeguardingConcern(UUIDPrimaryKey, Base):
    """A concern raised about `member_id`, read only by the co-op's safeguarding leads and
    platform administrators, never by that member or their representatives. Kept as raised:
    what follows is recorded outside this service (the council's safeguarding team)."""

    __tablename__ = "safeguarding_concern"
    __table_args__ = (Index("ix_safeguarding_concern_coop_id_raised_at", "coop_id", "raised_at"),)

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"), index=True)
    raised_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
