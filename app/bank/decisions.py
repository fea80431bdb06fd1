"""What an administrator decides a bank line is: a transaction already in the ledger, a
contribution to post now, or nothing to match (ignored, with why). Each line is decided once.

The line's row is locked first (`SELECT ... FOR UPDATE`; on SQLite every writer holds the
database), so two decisions about one line are taken one after the other and the second
sees the first: posting the contribution a line shows twice, even at once, posts it once
and answers both with the same transaction. A transaction is matched to one line at most:
the unique constraint on the decision's transaction holds that against any race.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.bank.errors import (
    AlreadyMatched,
    BankLineNotFound,
    LedgerTransactionNotFound,
    LineIgnored,
    MatchMismatch,
    NotMoneyIn,
)
from app.bank.models import BankLine, BankLineDecision, LineState, MatchMethod
from app.bank.schemas import BankLineRead
from app.coops import service as coops
from app.coops.models import Member
from app.core.errors import must_exist
from app.ledger import contributions, movements
from app.ledger.models import ContributionSource, LedgerTransaction

# The most one contribution may be (as `POST .../pool/contributions` allows).
MAX_CONTRIBUTION_PENCE = 10_000_000
MAX_MEMO = 200


def lines_of(coop_id: uuid.UUID, *, state: LineState | None) -> Select[Any]:
    """The co-op's lines, each with its decision (None while unmatched)."""
    # Rows of two entities, typed loosely as pagination takes any statement.
    stmt = cast(
        "Select[Any]",
        select(BankLine, BankLineDecision)
        .outerjoin(BankLineDecision, BankLineDecision.line_id == BankLine.id)
        .where(BankLine.coop_id == coop_id),
    )
    if state is LineState.unmatched:
        stmt = stmt.where(BankLineDecision.line_id.is_(None))
    elif state is not None:
        stmt = stmt.where(BankLineDecision.state == state)
    return stmt


def read(line: BankLine, decision: BankLineDecision | None) -> BankLineRead:
    return BankLineRead(
        id=line.id,
        statement_id=line.statement_id,
        booked_on=line.booked_on,
        description=line.description,
        reference=line.reference,
        amount_pence=line.amount_pence,
        balance_pence=line.balance_pence,
        bank_id=line.bank_id,
        state=decision.state if decision else LineState.unmatched,
        transaction_id=decision.transaction_id if decision else None,
        method=decision.method if decision else None,
        reason=decision.reason if decision else None,
        decided_at=decision.decided_at if decision else None,
        decided_by_user_id=decision.decided_by_user_id if decision else None,
    )


async def get_line(
    session: AsyncSession, coop_id: uuid.UUID, line_id: uuid.UUID
) -> tuple[BankLine, BankLineDecision | None]:
    """The co-op's line and its decision; another co-op's line does not exist here."""
    row = (
        await session.execute(lines_of(coop_id, state=None).where(BankLine.id == line_id))
    ).first()
    if row is None:
        raise BankLineNotFound
    return row[0], row[1]


async def _locked(
    session: AsyncSession, coop_id: uuid.UUID, line_id: uuid.UUID
) -> tuple[BankLine, BankLineDecision | None]:
    line = await session.scalar(
        select(BankLine)
        .where(BankLine.coop_id == coop_id, BankLine.id == line_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if line is None:
        raise BankLineNotFound
    decision = await session.scalar(
        select(BankLineDecision)
        .where(BankLineDecision.line_id == line.id)
        .execution_options(populate_existing=True)
    )
    return line, decision


def _undecided(decision: BankLineDecision | None) -> None:
    if decision is None:
        return
    if decision.state is LineState.ignored:
        raise LineIgnored
    raise AlreadyMatched


async def _decide(
    session: AsyncSession,
    actor: Actor,
    line: BankLine,
    *,
    state: LineState,
    now: datetime,
    transaction_id: uuid.UUID | None = None,
    method: MatchMethod | None = None,
    reason: str | None = None,
) -> BankLineDecision:
    decision = BankLineDecision(
        line_id=line.id,
        coop_id=line.coop_id,
        state=state,
        transaction_id=transaction_id,
        method=method,
        reason=reason,
        decided_at=now,
        decided_by_user_id=actor.user.id,
    )
    session.add(decision)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        # The transaction was matched to another line meanwhile.
        raise AlreadyMatched from exc
    audit.record(
        session,
        actor,
        "bank.line_matched" if state is LineState.matched else "bank.line_ignored",
        "bank_line",
        line.id,
        coop_id=line.coop_id,
        data={
            "transaction_id": transaction_id,
            **({"method": method.value} if method else {}),
        },
    )
    return decision


async def match(
    session: AsyncSession,
    actor: Actor,
    *,
    coop_id: uuid.UUID,
    line_id: uuid.UUID,
    transaction_id: uuid.UUID,
    now: datetime,
) -> BankLineRead:
    """Match the line to one of the co-op's transactions that moved the same amount the same
    way through the bank (422 `match_mismatch` otherwise); a line or a transaction already
    matched: 409 `already_matched`."""
    line, decision = await _locked(session, coop_id, line_id)
    _undecided(decision)
    movement = await movements.movement_of(session, coop_id=coop_id, transaction_id=transaction_id)
    if movement is None:
        raise LedgerTransactionNotFound
    if movement.amount_pence != line.amount_pence:
        raise MatchMismatch(line_pence=line.amount_pence, transaction_pence=movement.amount_pence)
    taken = await session.scalar(
        select(BankLineDecision.line_id).where(BankLineDecision.transaction_id == transaction_id)
    )
    if taken is not None:
        raise AlreadyMatched
    made = await _decide(
        session,
        actor,
        line,
        state=LineState.matched,
        transaction_id=transaction_id,
        method=MatchMethod.manual,
        now=now,
    )
    return read(line, made)


async def ignore(
    session: AsyncSession,
    actor: Actor,
    *,
    coop_id: uuid.UUID,
    line_id: uuid.UUID,
    reason: str,
    now: datetime,
) -> BankLineRead:
    line, decision = await _locked(session, coop_id, line_id)
    _undecided(decision)
    made = await _decide(session, actor, line, state=LineState.ignored, reason=reason, now=now)
    return read(line, made)


@dataclass(frozen=True, slots=True)
class Posted:
    transaction: LedgerTransaction
    created: bool


async def create_contribution(
    session: AsyncSession,
    actor: Actor,
    caller: Member,
    *,
    line_id: uuid.UUID,
    member_id: uuid.UUID,
    source: ContributionSource,
    now: datetime,
) -> Posted:
    """Post the contribution the line shows, for `member_id`, through the ledger's
    contribution service (its rules all apply: an active holder, the Direct Payment cap), and
    match the line to it. Asked again for the same line, the same transaction is the answer
    and nothing is posted (`created` false)."""
    line, decision = await _locked(session, caller.coop_id, line_id)
    if decision is not None and decision.method is MatchMethod.contribution:
        transaction = await session.scalar(
            select(LedgerTransaction).where(LedgerTransaction.id == decision.transaction_id)
        )
        return Posted(must_exist(transaction, "a decision's transaction exists"), created=False)
    _undecided(decision)
    if not 0 < line.amount_pence <= MAX_CONTRIBUTION_PENCE:
        raise NotMoneyIn(line_pence=line.amount_pence)
    target = await coops.get_member(session, coop_id=caller.coop_id, member_id=member_id)
    memo = (line.reference or line.description)[:MAX_MEMO]
    transaction = await contributions.contribute(
        session,
        actor,
        caller,
        target,
        amount_pence=line.amount_pence,
        reference=memo,
        now=now,
        source=source,
    )
    await _decide(
        session,
        actor,
        line,
        state=LineState.matched,
        transaction_id=transaction.id,
        method=MatchMethod.contribution,
        now=now,
    )
    return Posted(transaction, created=True)
