"""The hash-chained audit log and its one-row chain head.

`audit_entry` is append-only: database triggers refuse any UPDATE or DELETE (and TRUNCATE on
PostgreSQL), as on the ledger (revision 0019).
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_coop_id_seq", "coop_id", "seq"),
        Index("ix_audit_entry_actor_user_id_seq", "actor_user_id", "seq"),
        Index("ix_audit_entry_on_behalf_of_user_id_seq", "on_behalf_of_user_id", "seq"),
        Index("ix_audit_entry_about_user_id_seq", "about_user_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime]
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    on_behalf_of_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    coop_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The person the entry concerns (GET /me/activity finds entries by it). Published and
    # hashed in form 2; entries of form 1 were hashed without it and are published without it.
    about_user_id: Mapped[uuid.UUID | None]
    # Which fields the hash covers (app.audit.chain.FIELDS_BY_FORM); never published.
    hash_form: Mapped[int] = mapped_column(SmallInteger, server_default=text("1"))


class AuditChainHead(Base):
    """Appending locks this row, so two writers can never fork the chain."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    last_hash: Mapped[str] = mapped_column(String(64))
