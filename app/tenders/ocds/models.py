"""Published OCDS releases: each stored once, as the exact text served, and never changed."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class OcdsRelease(Base):
    """One release, in publication order (`seq`).

    `body` is the release's JSON exactly as it is served; packages are built around these
    texts without parsing them, so a release reads the same, byte for byte, for ever. The
    database refuses any UPDATE or DELETE of a row (triggers of the migration); a correction
    is a new release.
    """

    __tablename__ = "ocds_release"
    __table_args__ = (
        Index("ix_ocds_release_tender_id_seq", "tender_id", "seq"),
        Index("ix_ocds_release_date", "date"),
    )

    # Given under the lock on the feed's head just before the transaction commits, so the feed
    # never shows a later number before an earlier one.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    release_id: Mapped[str] = mapped_column(String(300), unique=True)
    ocid: Mapped[str] = mapped_column(String(200), index=True)
    tender_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tender.id"))
    tag: Mapped[str] = mapped_column(String(40))
    # The release's `date`: when what it says happened (the deadline, for bids opened).
    date: Mapped[datetime]
    # When the row was written.
    recorded_at: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)


class OcdsFeedHead(Base):
    """The one row whose lock orders publication: the last `seq` given."""

    __tablename__ = "ocds_feed_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger)
