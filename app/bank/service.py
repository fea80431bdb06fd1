"""Importing a bank statement: every line stored once, whoever imports it and however often,
and matched to the ledger where exactly one transaction fits.

Lines are written with INSERT ... ON CONFLICT DO NOTHING on the co-op's dedup key (see
`lines.dedup_keys`), so two imports of overlapping files at once store each line once: the
second waits on the first's uncommitted row and then finds it there. Rows go in in key order,
so two such imports always meet their common lines in the same order and never wait for each
other in a circle. Matches are written the same way, keyed by the line and by the transaction
(each matched once at most), in transaction order.
"""

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.auth.actor import Actor
from app.bank import bulk, csv_statement, ofx_statement
from app.bank.lines import Problems, StatementLine, dedup_keys, in_order_of_movement
from app.bank.matching import WITHIN_DAYS, OpenLine, automatic_matches, words_of
from app.bank.models import (
    BankLine,
    BankLineDecision,
    BankStatement,
    LineState,
    MatchMethod,
    StatementFormat,
)
from app.bank.schemas import ImportRead
from app.core.clock import day_range
from app.ledger import movements


def read_lines(format_: StatementFormat, body: bytes) -> list[StatementLine]:
    """The file's lines in the order the money moved, or `ValidationFailed`."""
    if format_ is StatementFormat.ofx:
        lines = ofx_statement.parse(body)
    else:
        try:
            decoded = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems = Problems()
            line = body.count(b"\n", 0, exc.start) + 1
            problems.add(
                line,
                None,
                f"The file is not UTF-8 text (byte {exc.start} is not).",
                f"Nid yw'r ffeil yn destun UTF-8 (nid yw beit {exc.start}).",
            )
            problems.fail()
        lines = csv_statement.parse(decoded)
    return in_order_of_movement(lines)


async def _open_lines(session: AsyncSession, coop_id: uuid.UUID) -> list[OpenLine]:
    """The co-op's lines neither matched nor ignored."""
    rows = await session.execute(
        select(
            BankLine.id,
            BankLine.booked_on,
            BankLine.amount_pence,
            BankLine.description,
            BankLine.reference,
        ).where(
            BankLine.coop_id == coop_id,
            ~exists().where(BankLineDecision.line_id == BankLine.id),
        )
    )
    return [
        OpenLine(line_id, booked_on, amount, words_of(description, reference))
        for line_id, booked_on, amount, description, reference in rows.all()
    ]


def matched_transactions(coop_id: uuid.UUID) -> Any:
    return select(BankLineDecision.transaction_id).where(
        BankLineDecision.coop_id == coop_id, BankLineDecision.transaction_id.is_not(None)
    )


async def _match(
    session: AsyncSession,
    actor: Actor,
    *,
    coop_id: uuid.UUID,
    new: Sequence[OpenLine],
    others: Sequence[OpenLine],
    now: datetime,
) -> int:
    first = min(line.booked_on for line in new) - timedelta(days=WITHIN_DAYS)
    last = max(line.booked_on for line in new) + timedelta(days=WITHIN_DAYS)
    candidates = await movements.bank_movements(
        session,
        coop_id=coop_id,
        outgoing_between=day_range(first, last),
        excluding=matched_transactions(coop_id),
    )
    found = automatic_matches(new, others, candidates)
    pairs = sorted(found.items(), key=lambda pair: pair[1])
    table: Any = BankLineDecision.__table__
    written = await bulk.insert_new(
        session,
        table,
        columns={
            "line_id": [line_id for line_id, _ in pairs],
            "transaction_id": [transaction_id for _, transaction_id in pairs],
        },
        constants={
            "coop_id": coop_id,
            "state": LineState.matched,
            "method": MatchMethod.automatic,
            "decided_at": now,
            "decided_by_user_id": actor.user.id,
        },
        returning=table.c.line_id,
    )
    return len(written)


async def import_statement(
    session: AsyncSession,
    actor: Actor,
    *,
    coop_id: uuid.UUID,
    format_: StatementFormat,
    body: bytes,
    now: datetime,
) -> ImportRead:
    """Store the file's new lines and match them where exactly one transaction fits. A file
    with nothing new changes nothing at all (no statement, no audit entry)."""
    lines = read_lines(format_, body)
    if not lines:
        return ImportRead(imported=0, duplicates=0, matched=0)
    others = await _open_lines(session, coop_id)
    statement = BankStatement(
        id=uuid.uuid4(),
        coop_id=coop_id,
        format=format_,
        sha256=hashlib.sha256(body).hexdigest(),
        imported_at=now,
        imported_by_user_id=actor.user.id,
        lines=len(lines),
        imported=0,
        duplicates=0,
        matched=0,
    )
    session.add(statement)
    await session.flush()
    keys = dedup_keys(lines)
    # In key order (see the module's docstring); `position` keeps the order of the money.
    order = sorted(range(len(lines)), key=keys.__getitem__)
    ids = [uuid.uuid4() for _ in lines]
    table: Any = BankLine.__table__
    stored = set(
        await bulk.insert_new(
            session,
            table,
            columns={
                "id": [ids[i] for i in order],
                "position": order,
                "booked_on": [lines[i].booked_on for i in order],
                "amount_pence": [lines[i].amount_pence for i in order],
                "description": [lines[i].description for i in order],
                "reference": [lines[i].reference for i in order],
                "balance_pence": [lines[i].balance_pence for i in order],
                "bank_id": [lines[i].bank_id for i in order],
                "dedup_key": [keys[i] for i in order],
            },
            constants={"coop_id": coop_id, "statement_id": statement.id},
            returning=table.c.id,
        )
    )
    if not stored:
        await session.delete(statement)
        await session.flush()
        return ImportRead(imported=0, duplicates=len(lines), matched=0)
    new = [
        OpenLine(
            line_id, line.booked_on, line.amount_pence, words_of(line.description, line.reference)
        )
        for line_id, line in zip(ids, lines, strict=True)
        if line_id in stored
    ]
    matched = await _match(session, actor, coop_id=coop_id, new=new, others=others, now=now)
    statement.imported = len(stored)
    statement.duplicates = len(lines) - len(stored)
    statement.matched = matched
    await session.flush()
    audit.record(
        session,
        actor,
        "bank.statement_imported",
        "bank_statement",
        statement.id,
        coop_id=coop_id,
        data={
            "format": format_.value,
            "lines": len(lines),
            "imported": statement.imported,
            "duplicates": statement.duplicates,
            "matched": matched,
        },
    )
    return ImportRead(imported=statement.imported, duplicates=statement.duplicates, matched=matched)


async def bank_lines_for_transactions(
    session: AsyncSession, transaction_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """transaction id -> the bank line matched to it, for those that have one (the evidence
    behind a contribution or a payment)."""
    wanted = list(dict.fromkeys(transaction_ids))
    found: dict[uuid.UUID, uuid.UUID] = {}
    for start in range(0, len(wanted), bulk.CHUNK):
        rows = await session.execute(
            select(BankLineDecision.transaction_id, BankLineDecision.line_id).where(
                BankLineDecision.transaction_id.in_(wanted[start : start + bulk.CHUNK])
            )
        )
        found.update({t: line for t, line in rows.all() if t is not None})
    return found
