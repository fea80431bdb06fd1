"""Workers (personal assistants) known to a co-op.

A worker may have no account: the employer keeps their timesheets. When the worker's e-mail
belongs to an account, that person may keep their own.
"""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey


class Worker(UUIDPrimaryKey, Base):
    __tablename__ = "worker"
    __table_args__ = (Index("ix_worker_coop_id_full_name", "coop_id", "full_name"),)

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id", ondelete="CASCADE"))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
