"""The pooled budget: accounts, transactions and their postings (append-only)."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, UUIDPrimaryKey, enum_column


class RefundStatus(StrEnum):
    posted = "posted"
    pending_second_approval = "pending_second_approval"
    pending_holder_approval = "pending_holder_approval"
    refused = "refused"


class AccountKind(StrEnum):
    member = "member"
    shared = "shared"
    provider = "provider"
    external = "external"


class ContributionSource(StrEnum):
    """Whose money a contribution is: only `direct_payment` money counts against the award's
    four-week cap and in the councils' figures."""

    direct_payment = "direct_payment"
    top_up = "top_up"
    client_contribution = "client_contribution"


class TransactionKind(StrEnum):
    contribution = "contribution"
    refund = "refund"
    leaving_refund = "leaving_refund"
    invoice_approval = "invoice_approval"
    invoice_payment = "invoice_payment"
    support_charge = "support_charge"
    payroll = "payroll"
    reversal = "reversal"


class LedgerAccount(UUIDPrimaryKey, Base):
    """One account of one co-op's ledger; its balance is the sum of its postings.

    The balance is kept on the row (updated under a row lock in the transaction that posts)
    so a check never has to sum history; the CHECK constraint makes the database itself
    refuse an overdrawn member, shared or provider account.
    """

    __tablename__ = "ledger_account"
    __table_args__ = (
        CheckConstraint("kind = 'external' OR balance_pence >= 0", name="balance_not_negative"),
        Index("uq_ledger_account_coop_id_code", "coop_id", "code", unique=True),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    code: Mapped[str] = mapped_column(String(80))
    kind: Mapped[AccountKind] = mapped_column(enum_column(AccountKind))
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coop_member.id"), index=True)
    # Becomes a foreign key to `provider` once providers exist in this schema.
    provider_id: Mapped[uuid.UUID | None] = mapped_column()
    balance_pence: Mapped[int] = mapped_column(BigInteger, default=0)
    opened_at: Mapped[datetime]


class LedgerTransaction(Base):
    __tablename__ = "ledger_transaction"
    __table_args__ = (
        Index("ix_ledger_transaction_coop_id_seq", "coop_id", "seq"),
        # The councils' figures: has a co-op a transaction of one kind in a period?
        Index("ix_ledger_transaction_coop_id_kind_created_at", "coop_id", "kind", "created_at"),
        # What a posting's (transaction, kind) refers to: the copy cannot disagree.
        Index("uq_ledger_transaction_id_kind", "id", "kind", unique=True),
    )

    # The database numbers transactions as they are written: the ledger's order, even when
    # two share a timestamp. The public id is the UUID.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    kind: Mapped[TransactionKind] = mapped_column(enum_column(TransactionKind))
    memo: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    on_behalf_of_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ledger_transaction.id"))

    postings: Mapped[list["LedgerPosting"]] = relationship(
        lazy="raise", order_by="LedgerPosting.position"
    )


class LedgerPosting(UUIDPrimaryKey, Base):
    __tablename__ = "ledger_posting"
    __table_args__ = (
        CheckConstraint("amount_pence <> 0", name="amount_not_zero"),
        # Every posting of a contribution names its source; a reversal may name the source of
        # the contribution it reverses; nothing else has one.
        CheckConstraint(
            "kind <> 'contribution' OR source IS NOT NULL", name="contribution_has_source"
        ),
        CheckConstraint(
            "source IS NULL OR kind IN ('contribution', 'reversal')", name="source_of_contributions"
        ),
        ForeignKeyConstraint(
            ["transaction_id", "kind"],
            ["ledger_transaction.id", "ledger_transaction.kind"],
            name="fk_ledger_posting_transaction_id_kind_ledger_transaction",
        ),
        # Covering on PostgreSQL: an account's postings of a kind in a period (statements,
        # the councils' figures) are read from the index alone.
        Index(
            "ix_ledger_posting_account_id_created_at",
            "account_id",
            "created_at",
            postgresql_include=["amount_pence", "transaction_id", "kind"],
        ),
        # The councils' figures: the postings made under one award version in a period.
        Index(
            "ix_ledger_posting_award_id_created_at",
            "award_id",
            "created_at",
            postgresql_include=["amount_pence", "transaction_id", "kind"],
        ),
    )

    transaction_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # Copied from the transaction (the foreign key above holds the two equal), so the
    # councils' figures pick contributions out of an account's postings without a look-up
    # per posting.
    kind: Mapped[TransactionKind] = mapped_column(enum_column(TransactionKind))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_account.id"))
    position: Mapped[int] = mapped_column(Integer)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    # Copied from the transaction so statements and returns filter postings without a join.
    created_at: Mapped[datetime]
    # A contribution's source, on each of its postings (see the CHECK constraints above), so
    # the cap and the councils' figures pick Direct Payment money without a look-up.
    source: Mapped[ContributionSource | None] = mapped_column(enum_column(ContributionSource))
    # On a member account's posting: the holder's Direct Payment award version in force on
    # the posting's day when it was made (for a contribution, the one its cap was checked
    # against). The councils' figures count the posting under that version's council, so a
    # holder who moves council leaves their past with the old one.
    award_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("direct_payment_award.id"))

    account: Mapped[LedgerAccount] = relationship(lazy="raise")


class Refund(UUIDPrimaryKey, Base):
    """Money paid back out of a member's account, possibly after approvals.

    A refund that waits reserves nothing: the balance is checked again when it posts. It
    carries its transaction exactly when it is posted (the CHECK constraint holds that).
    """

    __tablename__ = "refund"
    __table_args__ = (
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint(
            "(status = 'posted') = (transaction_id IS NOT NULL)", name="posted_has_transaction"
        ),
        Index("ix_refund_coop_id_status", "coop_id", "status"),
    )

    coop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coop_member.id"), index=True)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus))
    requested_at: Mapped[datetime]
    requested_by_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    # The holder a representative asked for; their approval comes first.
    on_behalf_of_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    decided_at: Mapped[datetime | None]
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    transaction_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ledger_transaction.id"), unique=True
    )
