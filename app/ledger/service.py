"""The pooled budget: the only module that writes postings.

Every transaction's postings sum to exactly zero. The memberships whose accounts are touched
are locked first, then the touched accounts (`SELECT ... FOR UPDATE`), each in id order, their
new balances checked, then written with the postings in the caller's transaction; nothing is
ever updated or deleted afterwards (a mistake is corrected by a reversing transaction). Accounts are opened eagerly, when the
co-op, the membership or the contract comes into being, never on first use.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.coops import service as coops
from app.coops.models import Member, MemberStatus
from app.core.clock import local_date
from app.core.errors import InternalInconsistency
from app.direct_payments import service as direct_payments
from app.ledger import posting, repository, surplus
from app.ledger.codes import DEPOSITS as DEPOSITS
from app.ledger.codes import MEMBER_PREFIX as MEMBER_PREFIX
from app.ledger.codes import PAYOUTS as PAYOUTS
from app.ledger.codes import SHARED as SHARED
from app.ledger.codes import member_account as member_account
from app.ledger.codes import provider_account as provider_account
from app.ledger.errors import (
    InsufficientFunds,
    MemberNotActive,
    UnbalancedTransaction,
)
from app.ledger.models import (
    AccountKind,
    ContributionSource,
    LedgerAccount,
    LedgerTransaction,
    TransactionKind,
)
from app.ledger.schemas import LedgerTransactionRead
from app.ledger.shortfalls import Shortfall as Shortfall
from app.ledger.shortfalls import insufficient_member_funds as insufficient_member_funds
from app.ledger.shortfalls import member_shortfalls as member_shortfalls


@dataclass(frozen=True, slots=True)
class Line:
    account: str
    amount_pence: int


async def _open(
    session: AsyncSession,
    *,
    coop_id: uuid.UUID,
    code: str,
    kind: AccountKind,
    now: datetime,
    member_id: uuid.UUID | None = None,
    provider_id: uuid.UUID | None = None,
) -> LedgerAccount:
    found = select(LedgerAccount).where(
        LedgerAccount.coop_id == coop_id, LedgerAccount.code == code
    )
    existing = await session.scalar(found)
    if existing is not None:
        return existing
    account = LedgerAccount(
        coop_id=coop_id,
        code=code,
        kind=kind,
        member_id=member_id,
        provider_id=provider_id,
        balance_pence=0,
        opened_at=now,
    )
    session.add(account)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        # Opened by a simultaneous request (two approvals at once): that account is the one.
        existing = await session.scalar(found)
        if existing is None:  # pragma: no cover - the row that won the race is there
            raise
        return existing
    return account


async def open_coop_accounts(session: AsyncSession, *, coop_id: uuid.UUID, now: datetime) -> None:
    await _open(session, coop_id=coop_id, code=SHARED, kind=AccountKind.shared, now=now)
    await _open(session, coop_id=coop_id, code=DEPOSITS, kind=AccountKind.external, now=now)
    await _open(session, coop_id=coop_id, code=PAYOUTS, kind=AccountKind.external, now=now)


async def open_member_account(
    session: AsyncSession, *, coop_id: uuid.UUID, member_id: uuid.UUID, now: datetime
) -> LedgerAccount:
    return await _open(
        session,
        coop_id=coop_id,
        code=member_account(member_id),
        kind=AccountKind.member,
        member_id=member_id,
        now=now,
    )


async def open_provider_account(
    session: AsyncSession, *, coop_id: uuid.UUID, provider_id: uuid.UUID, now: datetime
) -> LedgerAccount:
    return await _open(
        session,
        coop_id=coop_id,
        code=provider_account(provider_id),
        kind=AccountKind.provider,
        provider_id=provider_id,
        now=now,
    )


def check_balanced(lines: Sequence[Line]) -> None:
    accounts = [line.account for line in lines]
    if len(lines) < 2 or len(set(accounts)) != len(accounts):
        raise UnbalancedTransaction
    if any(
        not isinstance(line.amount_pence, int)
        or isinstance(line.amount_pence, bool)
        or line.amount_pence == 0
        for line in lines
    ):
        raise UnbalancedTransaction
    if sum(line.amount_pence for line in lines) != 0:
        raise UnbalancedTransaction


def members_of(codes: Sequence[str]) -> list[uuid.UUID]:
    """The memberships whose accounts these are."""
    found = []
    for code in codes:
        if code.startswith(MEMBER_PREFIX):
            try:
                found.append(uuid.UUID(code.removeprefix(MEMBER_PREFIX)))
            except ValueError:
                continue  # not an account anyone opened: locking it finds nothing
    return found


# Built once (every posting sends it): composing it cost more than the round trip.
LOCK_ACCOUNTS = (
    select(LedgerAccount)
    .where(
        LedgerAccount.coop_id == bindparam("coop_id"),
        LedgerAccount.code.in_(bindparam("codes", expanding=True)),
    )
    .order_by(LedgerAccount.id)
    .with_for_update()
    .execution_options(populate_existing=True)
)


async def _lock(
    session: AsyncSession,
    *,
    coop_id: uuid.UUID,
    codes: Sequence[str],
    held: Mapping[uuid.UUID, MemberStatus] | None = None,
) -> tuple[dict[str, LedgerAccount], dict[uuid.UUID, MemberStatus]]:
    held = held or {}
    statuses = dict(held)
    to_lock = [m for m in members_of(codes) if m not in held]
    if to_lock:
        statuses |= await coops.lock_members(session, to_lock)
    accounts = (
        await session.scalars(LOCK_ACCOUNTS, {"coop_id": coop_id, "codes": list(codes)})
    ).all()
    return {account.code: account for account in accounts}, statuses


async def lock_accounts_if_open(
    session: AsyncSession, *, coop_id: uuid.UUID, codes: Sequence[str]
) -> dict[str, LedgerAccount]:
    """Lock the memberships whose accounts these are, then those of the accounts that exist,
    each in id order, and read their balances afresh.

    Every writer locks in the same order (memberships, the co-op, accounts: see
    `coops.lock_membership`), all its accounts in one statement (PostgreSQL locks the rows
    as they leave the sort), so two writers never wait for each other in a circle, and a
    posting into a member's account cannot slip past that member's leave. A caller that
    will post must lock everything the posting touches here, at once: locking one account
    first and the rest later breaks the order.
    """
    accounts, _ = await _lock(session, coop_id=coop_id, codes=codes)
    return accounts


async def lock_accounts(
    session: AsyncSession, *, coop_id: uuid.UUID, codes: Sequence[str]
) -> dict[str, LedgerAccount]:
    """Lock the accounts in id order (every writer uses the same order: no deadlock)."""
    found, _ = await _lock_all(session, coop_id=coop_id, codes=codes)
    return found


async def _lock_all(
    session: AsyncSession,
    *,
    coop_id: uuid.UUID,
    codes: Sequence[str],
    held: Mapping[uuid.UUID, MemberStatus] | None = None,
) -> tuple[dict[str, LedgerAccount], dict[uuid.UUID, MemberStatus]]:
    found, statuses = await _lock(session, coop_id=coop_id, codes=codes, held=held)
    if len(found) != len(set(codes)):
        raise UnbalancedTransaction  # an account that was never opened: a programming error
    return found, statuses


def short_accounts(accounts: dict[str, LedgerAccount], lines: Sequence[Line]) -> list[str]:
    """Accounts this transaction would overdraw (only external accounts may go below zero)."""
    return [
        line.account
        for line in lines
        if accounts[line.account].kind is not AccountKind.external
        and accounts[line.account].balance_pence + line.amount_pence < 0
    ]


@dataclass(frozen=True, slots=True)
class Known:
    """What a caller already read under the locks it holds, so `post` need not read it again:
    the memberships it locked (`lock_membership`) with their status as read then, and for
    each such member the holder and their award version in force on the posting's day (the
    caller held the holder, `direct_payments.hold_holder`, before reading it)."""

    statuses: Mapping[uuid.UUID, MemberStatus]
    holders: Mapping[uuid.UUID, surplus.HolderToday]


async def post(
    session: AsyncSession,
    actor: Actor | None,
    *,
    coop_id: uuid.UUID,
    kind: TransactionKind,
    memo: str,
    lines: Sequence[Line],
    now: datetime,
    reverses_id: uuid.UUID | None = None,
    about: uuid.UUID | None = None,
    source: ContributionSource | None = None,
    known: Known | None = None,
) -> LedgerTransaction:
    """Post one balanced transaction, or raise and post nothing: `InsufficientFunds`, or
    `MemberNotActive` for money paid into the account of a member who has left.

    A contribution names its `source` (a reversal may name the reversed contribution's;
    nothing else has one). Each posting on a member's
    account keeps the holder's Direct Payment award version in force that day, if any: the
    councils' figures count it under that version's council. `about` is the person the
    posting concerns, for their activity (default: the person acted for)."""
    check_balanced(lines)
    accounts, statuses = await _lock_all(
        session,
        coop_id=coop_id,
        codes=[line.account for line in lines],
        held=known.statuses if known else None,
    )
    for line in lines:
        member_id = accounts[line.account].member_id
        if line.amount_pence > 0 and member_id and statuses.get(member_id) == MemberStatus.left:
            raise MemberNotActive
    short = short_accounts(accounts, lines)
    if short:
        raise InsufficientFunds(extra={"accounts": short})
    if (kind is TransactionKind.contribution and source is None) or (
        source is not None and kind not in (TransactionKind.contribution, TransactionKind.reversal)
    ):
        raise InternalInconsistency(f"a {kind} transaction with source {source}")
    transaction = LedgerTransaction(
        id=uuid.uuid4(),
        coop_id=coop_id,
        kind=kind,
        memo=memo,
        created_at=now,
        actor_user_id=actor.user.id if actor else None,
        on_behalf_of_user_id=actor.on_behalf_of.id if actor and actor.on_behalf_of else None,
        reverses_id=reverses_id,
    )
    holders = dict(known.holders) if known else {}
    member_ids = [a.member_id for a in accounts.values() if a.member_id is not None]
    awards = {m: h.award.id for m, h in holders.items() if h.award is not None}
    unknown = [m for m in member_ids if m not in holders]
    awards |= await direct_payments.versions_in_force_for_members(
        session, unknown, on=local_date(now)
    )
    touched = [accounts[line.account] for line in lines]
    await posting.write(
        session,
        transaction,
        amounts=[(accounts[line.account], line.amount_pence) for line in lines],
        awards=awards,
        source=source,
    )
    await surplus.watch(session, touched, now=now, holders=holders)
    audit.record(
        session,
        actor,
        f"ledger.{kind.value}",
        "ledger_transaction",
        transaction.id,
        coop_id=coop_id,
        data={
            "postings": [[line.account, line.amount_pence] for line in lines],
            **({"source": source.value} if source is not None else {}),
        },
        about=about,
    )
    return transaction


async def balance_of(session: AsyncSession, *, coop_id: uuid.UUID, code: str) -> int:
    balance = await session.scalar(
        select(LedgerAccount.balance_pence).where(
            LedgerAccount.coop_id == coop_id, LedgerAccount.code == code
        )
    )
    return int(balance or 0)


async def totals_by_kind(session: AsyncSession, *, coop_id: uuid.UUID) -> dict[AccountKind, int]:
    rows = await session.execute(
        select(LedgerAccount.kind, func.coalesce(func.sum(LedgerAccount.balance_pence), 0))
        .where(LedgerAccount.coop_id == coop_id)
        .group_by(LedgerAccount.kind)
    )
    totals = dict.fromkeys(AccountKind, 0)
    for kind, total in rows.all():
        totals[kind] = int(total)
    return totals


def viewer(actor: Actor, member: Member) -> repository.Viewer:
    """What `actor`, through `member`, may see of the co-op's books."""
    return repository.viewer(actor, member)


async def as_posted(session: AsyncSession, transaction: LedgerTransaction) -> LedgerTransactionRead:
    """A transaction as its answer shows it, postings included."""
    return await repository.as_posted(session, transaction)
