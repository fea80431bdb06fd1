"""Queries that decide what of the ledger a caller may see.

Administrators see every posting. Other members see the co-op's shared and provider
postings and their own; other members' postings reach them only summed, per transaction,
into one posting on the account `members` (a person's care spending is theirs), and a
transaction that is other members' alone is shown without its memo or the people behind it.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Member
from app.ledger.errors import NotYourAccount
from app.ledger.models import (
    AccountKind,
    ContributionSource,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
    TransactionKind,
)
from app.ledger.schemas import LedgerTransactionRead, PostingRead

MEMBERS = "members"


@dataclass(frozen=True, slots=True)
class PostingRow:
    transaction_id: uuid.UUID
    code: str
    kind: AccountKind
    member_id: uuid.UUID | None
    amount_pence: int
    source: ContributionSource | None = None


@dataclass(frozen=True, slots=True)
class Viewer:
    """Whose eyes: an administrator, or a member (`member_id`) acting as `user_id`."""

    is_admin: bool
    member_id: uuid.UUID
    user_id: uuid.UUID


def viewer(actor: Actor, member: Member) -> Viewer:
    # A representative sees what the holder would, but never as an administrator.
    return Viewer(
        is_admin=member.is_admin and not actor.is_representing,
        member_id=member.id,
        user_id=actor.principal.id,
    )


async def visible_member(
    session: AsyncSession, actor: Actor, caller: Member, member_id: uuid.UUID
) -> Member:
    """The member whose account the caller asks about: their own, or any of the co-op's
    when an administrator asks in person (another co-op's member does not exist here)."""
    if member_id == caller.id:
        return caller
    if not viewer(actor, caller).is_admin:
        raise NotYourAccount
    return await coops.get_member(session, coop_id=caller.coop_id, member_id=member_id)


def account_of(coop_id: uuid.UUID, code: str) -> Select[uuid.UUID]:
    return select(LedgerAccount.id).where(
        LedgerAccount.coop_id == coop_id, LedgerAccount.code == code
    )


def transactions_of(
    coop_id: uuid.UUID,
    *,
    account_code: str | None = None,
    between: tuple[datetime, datetime] | None = None,
    kinds: Sequence[TransactionKind] | None = None,
) -> Select[LedgerTransaction]:
    """The co-op's transactions, or only those touching one account, made within the
    instants `between` [start, end), of these kinds."""
    stmt = select(LedgerTransaction).where(LedgerTransaction.coop_id == coop_id)
    if between is not None:
        stmt = stmt.where(
            LedgerTransaction.created_at >= between[0], LedgerTransaction.created_at < between[1]
        )
    if kinds is not None:
        stmt = stmt.where(LedgerTransaction.kind.in_(list(kinds)))
    if account_code is not None:
        touching = select(LedgerPosting.transaction_id).where(
            LedgerPosting.account_id.in_(account_of(coop_id, account_code).scalar_subquery())
        )
        stmt = stmt.where(LedgerTransaction.id.in_(touching))
    return stmt


async def postings_of(
    session: AsyncSession, transaction_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[PostingRow]]:
    found: dict[uuid.UUID, list[PostingRow]] = defaultdict(list)
    if not transaction_ids:
        return found
    rows = await session.execute(
        select(
            LedgerPosting.transaction_id,
            LedgerAccount.code,
            LedgerAccount.kind,
            LedgerAccount.member_id,
            LedgerPosting.amount_pence,
            LedgerPosting.source,
        )
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerPosting.transaction_id.in_(list(transaction_ids)))
        .order_by(LedgerPosting.transaction_id, LedgerPosting.position)
    )
    for transaction_id, code, kind, member_id, amount, source in rows.all():
        found[transaction_id].append(
            PostingRow(transaction_id, code, kind, member_id, amount, source)
        )
    return found


def source_of(postings: Sequence[PostingRow]) -> ContributionSource | None:
    """A contribution's source (every posting of it carries the same)."""
    return next((p.source for p in postings if p.source is not None), None)


def as_seen_by(
    who: Viewer, transaction: LedgerTransaction, postings: Sequence[PostingRow]
) -> LedgerTransactionRead:
    """The transaction as `who` may see it (see the module's docstring)."""
    lines: list[PostingRead | None] = []
    others_at: int | None = None
    others_total = 0
    for posting in postings:
        private = posting.kind is AccountKind.member and posting.member_id != who.member_id
        if private and not who.is_admin:
            if others_at is None:
                others_at = len(lines)
                lines.append(None)
            others_total += posting.amount_pence
        else:
            lines.append(PostingRead(account=posting.code, amount_pence=posting.amount_pence))
    if others_at is not None and others_total:
        lines[others_at] = PostingRead(account=MEMBERS, amount_pence=others_total)
    # A transaction of other members' alone keeps its memo and people to itself; one the
    # viewer is party to (a shared charge split between them and others) does not.
    party = who.user_id in (transaction.actor_user_id, transaction.on_behalf_of_user_id) or any(
        posting.member_id == who.member_id for posting in postings
    )
    withheld = others_at is not None and not party
    return LedgerTransactionRead(
        id=transaction.id,
        kind=transaction.kind,
        created_at=transaction.created_at,
        memo=None if withheld else transaction.memo,
        actor_user_id=None if withheld else transaction.actor_user_id,
        on_behalf_of_user_id=None if withheld else transaction.on_behalf_of_user_id,
        source=None if withheld else source_of(postings),
        postings=[line for line in lines if line is not None],
    )


WRITTEN_KEY = "ledger_written"


def remember_written(
    session: AsyncSession, transaction_id: uuid.UUID, postings: list[PostingRow]
) -> None:
    """Keep the postings a transaction was just written with, in order, for its answer."""
    session.info.setdefault(WRITTEN_KEY, {})[transaction_id] = postings


async def as_posted(session: AsyncSession, transaction: LedgerTransaction) -> LedgerTransactionRead:
    """A transaction just posted, in full (its poster may see all of it): as this session
    wrote it, or read back."""
    written: dict[uuid.UUID, list[PostingRow]] = session.info.get(WRITTEN_KEY, {})
    postings = written.get(transaction.id)
    if postings is None:
        postings = (await postings_of(session, [transaction.id]))[transaction.id]
    return LedgerTransactionRead(
        id=transaction.id,
        kind=transaction.kind,
        created_at=transaction.created_at,
        memo=transaction.memo,
        actor_user_id=transaction.actor_user_id,
        on_behalf_of_user_id=transaction.on_behalf_of_user_id,
        source=source_of(postings),
        postings=[PostingRead(account=p.code, amount_pence=p.amount_pence) for p in postings],
    )
