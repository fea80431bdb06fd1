"""Consent a holder gives their council to read the evidence behind one membership's money."""

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey


class CouncilAccessGrant(UUIDPrimaryKey, Base):
    """One grant, from `granted_at` to the end of `until` (a day in Wales, inclusive; none:
    until ended) or until `ended_at`, whichever is first. Kept afterwards: who could read a
    holder's evidence, and when. At most one in force per membership, which the grant checks
    under the membership's lock (a lapsed grant stays as it was, so no unique index can say
    which are in force).

    `area_code` is the council the holder consented to: the one paying their award when they
    granted it. A holder who moves council grants the new one afresh.
    """

    __tablename__ = "council_access_grant"
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR ended_at >= granted_at", name="ends_after_start"),
        Index("ix_council_access_grant_area_code_ended_at", "area_code", "ended_at"),
    )

    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"), index=True)
    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    holder_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    granted_at: Mapped[datetime]
    # The person who granted it: the holder, or their representative with `share`.
    granted_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    until: Mapped[date | None]
    ended_at: Mapped[datetime | None]
    ended_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    def in_force_on(self, moment: datetime, today: date) -> bool:
        """Not ended by `moment`, and `today` (the day in Wales of `moment`) within `until`."""
        return (self.ended_at is None or self.ended_at > moment) and (
            self.until is None or today <= self.until
        )
