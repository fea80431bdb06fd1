"""Bank statements: the lines a co-op's bank reported, and what each was found to be.

A line is never changed once imported, and neither is what it was decided to be: matched to
one ledger transaction, or ignored with a reason (one decision per line; a transaction is
matched to one line at most, which the unique constraint holds under any concurrency). A line
with no decision is unmatched.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UUIDPrimaryKey, enum_column


class StatementFormat(StrEnum):
    csv = "csv"
    ofx = "ofx"


class LineState(StrEnum):
    unmatched = "unmatched"
    matched = "matched"
    ignored = "ignored"


class MatchMethod(StrEnum):
    """How a line came to be matched: by the import's own rule, by an administrator naming
    the transaction, or by the contribution posted from the line."""

    automatic = "automatic"
    manual = "manual"
    contribution = "contribution"


class BankStatement(UUIDPrimaryKey, Base):
    """One import that brought in at least one new line."""

    __tablename__ = "bank_statement"
    __table_args__ = (Index("ix_bank_statement_coop_id_imported_at", "coop_id", "imported_at"),)

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    format: Mapped[StatementFormat] = mapped_column(enum_column(StatementFormat))
    # The file as sent, by its digest (the file itself is not kept).
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]
    imported_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    lines: Mapped[int] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)
    matched: Mapped[int] = mapped_column(Integer)


class BankLine(UUIDPrimaryKey, Base):
    __tablename__ = "bank_line"
    __table_args__ = (
        CheckConstraint("amount_pence <> 0", name="amount_not_zero"),
        # The same line imported twice is stored once: by the bank's own id, else by its date,
        # amount, description and balance and how many identical lines came before it in its
        # file (so a file with two identical lines keeps both, and importing it again adds
        # neither).
        Index("uq_bank_line_coop_id_dedup_key", "coop_id", "dedup_key", unique=True),
        Index("ix_bank_line_coop_id_booked_on", "coop_id", "booked_on"),
        Index("ix_bank_line_statement_id", "statement_id"),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    statement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bank_statement.id"))
    # Its place in the order the money moved within its file (files list newest first or
    # oldest first; this is oldest first), so the last line of a day is known.
    position: Mapped[int] = mapped_column(Integer)
    booked_on: Mapped[date]
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    description: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(Text)
    balance_pence: Mapped[int | None] = mapped_column(BigInteger)
    bank_id: Mapped[str | None] = mapped_column(String(255))
    dedup_key: Mapped[str] = mapped_column(String(100))


class BankLineDecision(Base):
    """What a line was found to be: matched to a transaction, or ignored (with why)."""

    __tablename__ = "bank_line_decision"
    __table_args__ = (
        CheckConstraint("state <> 'unmatched'", name="decided"),
        CheckConstraint(
            "(state = 'matched') = (transaction_id IS NOT NULL AND method IS NOT NULL)",
            name="matched_has_transaction",
        ),
        CheckConstraint("(state = 'ignored') = (reason IS NOT NULL)", name="ignored_has_reason"),
        Index("ix_bank_line_decision_coop_id_state", "coop_id", "state"),
    )

    line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bank_line.id"), primary_key=True)
    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    state: Mapped[LineState] = mapped_column(enum_column(LineState))
    transaction_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_transaction.id"), unique=True
    )
    method: Mapped[MatchMethod | None] = mapped_column(enum_column(MatchMethod))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime]
    decided_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
