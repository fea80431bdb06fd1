"""The audit log: every state change is recorded here, in the transaction that made it."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, Table, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.chain import (
    FIELDS_BY_FORM,
    FORM_ABOUT_WITHHELD,
    FORM_WITH_ABOUT,
    GENESIS_HASH,
    entry_hash,
    format_at,
)
from app.audit.models import AuditChainHead, AuditEntry
from app.auth.actor import Actor
from app.core.db import on_before_commit
from app.core.pagination import PageRequest, Sort, paginate

PENDING_KEY = "audit_pending"
VERIFY_BATCH = 5000


@dataclass(slots=True)
class PendingEntry:
    at: datetime | None
    actor_user_id: uuid.UUID | None
    on_behalf_of_user_id: uuid.UUID | None
    coop_id: uuid.UUID | None
    action: str
    subject_type: str
    subject_id: str
    data: dict[str, Any] = field(default_factory=dict)
    about_user_id: uuid.UUID | None = None
    withhold_about: bool = False


def record(
    session: AsyncSession,
    actor: Actor | None,
    action: str,
    subject_type: str,
    subject_id: uuid.UUID | str,
    *,
    coop_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
    about: uuid.UUID | None = None,
    withhold_about: bool = False,
    at: datetime | None = None,
) -> None:
    """Queue an entry; it is chained and written just before this transaction commits.

    `data` holds ids and figures only, never personal data, so erasure never breaks the chain.
    `about` names the person the entry concerns: an administrator's act on a holder's account
    passes the holder, so it is in the holder's GET /me/activity. Without it the entry is
    about the person acting (the holder, when a representative acts for them). It is
    published and covered by the hash. `withhold_about` is for an act whose doer is never to
    be named (a tender question's asker): the entry is still in their own activity, but is
    published and hashed with `about_user_id` null.
    """
    pending: list[PendingEntry] = session.info.setdefault(PENDING_KEY, [])
    pending.append(
        PendingEntry(
            at=at,
            actor_user_id=actor.user.id if actor else None,
            on_behalf_of_user_id=actor.on_behalf_of.id if actor and actor.on_behalf_of else None,
            coop_id=coop_id,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            data=_jsonable(data or {}),
            about_user_id=about or (actor.principal.id if actor else None),
            withhold_about=withhold_about,
        )
    )
    on_before_commit(session, write_pending)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, uuid.UUID):
            out[key] = str(value)
        elif isinstance(value, datetime):
            out[key] = format_at(value)
        elif isinstance(value, dict):
            out[key] = _jsonable(value)
        elif isinstance(value, list | tuple):
            out[key] = [str(v) if isinstance(v, uuid.UUID) else v for v in value]
        else:
            out[key] = value
    return out


# Built once (every write's commit sends them): composing them cost more than the round trip.
_HEADS: Table = AuditChainHead.__table__  # type: ignore[assignment]
_ENTRIES: Table = AuditEntry.__table__  # type: ignore[assignment]
READ_HEAD = select(_HEADS.c.last_seq, _HEADS.c.last_hash).where(_HEADS.c.id == 1).with_for_update()
MOVE_HEAD = (
    update(_HEADS)
    .where(_HEADS.c.id == 1)
    .values(last_seq=bindparam("head_seq"), last_hash=bindparam("head_hash"))
)
INSERT_ENTRIES = _ENTRIES.insert()
_ENTRY_COLUMNS = (
    "seq",
    "at",
    "actor_user_id",
    "on_behalf_of_user_id",
    "coop_id",
    "action",
    "subject_type",
    "subject_id",
    "data",
    "prev_hash",
    "hash",
    "about_user_id",
    "hash_form",
)
# PostgreSQL: the one entry of most transactions and the head's move in one statement.
APPEND_ONE = (
    _ENTRIES.insert()
    .values({name: bindparam(name, type_=_ENTRIES.c[name].type) for name in _ENTRY_COLUMNS})
    .add_cte(MOVE_HEAD.cte("moved_head"))
)


async def write_pending(session: AsyncSession) -> None:
    pending: list[PendingEntry] = session.info.pop(PENDING_KEY, [])
    if not pending:
        return
    head = (await session.execute(READ_HEAD)).first()
    if head is None:  # the migration creates it; this only guards a hand-built database
        await session.execute(_HEADS.insert(), {"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH})
        last_seq, last_hash = 0, GENESIS_HASH
    else:
        last_seq, last_hash = head
    now = datetime.now(UTC)
    rows = []
    for item in pending:
        seq = last_seq + 1
        at = (item.at or now).astimezone(UTC)
        # Stored and hashed at microsecond precision, which every backend keeps exactly.
        fields = {
            "seq": seq,
            "at": format_at(at),
            "actor_user_id": _str(item.actor_user_id),
            "on_behalf_of_user_id": _str(item.on_behalf_of_user_id),
            "coop_id": _str(item.coop_id),
            "action": item.action,
            "subject_type": item.subject_type,
            "subject_id": item.subject_id,
            "data": item.data,
            "about_user_id": None if item.withhold_about else _str(item.about_user_id),
        }
        form = FORM_ABOUT_WITHHELD if item.withhold_about else FORM_WITH_ABOUT
        digest = entry_hash(last_hash, fields, form=form)
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor_user_id": item.actor_user_id,
                "on_behalf_of_user_id": item.on_behalf_of_user_id,
                "coop_id": item.coop_id,
                "action": item.action,
                "subject_type": item.subject_type,
                "subject_id": item.subject_id,
                "data": item.data,
                "prev_hash": last_hash,
                "hash": digest,
                "about_user_id": item.about_user_id,
                "hash_form": form,
            }
        )
        last_seq, last_hash = seq, digest
    moved = {"head_seq": last_seq, "head_hash": last_hash}
    if len(rows) == 1 and session.get_bind().dialect.name == "postgresql":
        await session.execute(APPEND_ONE, {**rows[0], **moved})
        return
    await session.execute(MOVE_HEAD, moved)
    await session.execute(INSERT_ENTRIES, rows)


def _str(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def published_fields(entry: AuditEntry) -> dict[str, Any]:
    """The entry as published, but for prev_hash and hash: exactly the fields its hash covers,
    spelt exactly as they were hashed (an entry of form 1 has no `about_user_id`)."""
    every = {
        "seq": entry.seq,
        "at": format_at(entry.at),
        "actor_user_id": _str(entry.actor_user_id),
        "on_behalf_of_user_id": _str(entry.on_behalf_of_user_id),
        "coop_id": _str(entry.coop_id),
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "data": entry.data,
        "about_user_id": None
        if entry.hash_form == FORM_ABOUT_WITHHELD
        else _str(entry.about_user_id),
    }
    # An unknown form (only a hand-edited row has one) is shown whole; it never verifies.
    names = FIELDS_BY_FORM.get(entry.hash_form, tuple(every))
    return {name: every[name] for name in names}


def published(entry: AuditEntry) -> dict[str, Any]:
    return {**published_fields(entry), "prev_hash": entry.prev_hash, "hash": entry.hash}


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    entries_checked: int
    first_bad_seq: int | None


@dataclass(frozen=True, slots=True)
class KeptCheckpoint:
    """A checkpoint an auditor kept: the chain must still hold this hash at this seq."""

    seq: int
    hash: str


async def verify_chain(
    session: AsyncSession, *, checkpoint: KeptCheckpoint | None = None
) -> Verification:
    """Recompute every hash in order; the first entry that does not match is reported.

    On its own the chain cannot show that its newest entries were removed and the head wound
    back: what is left still chains. A kept checkpoint can: the entry at its seq must still
    be there with its hash, or the chain was cut short (first_bad_seq is the first entry
    missing) or rewritten (first_bad_seq is the checkpoint's seq).
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seq = 0
    if checkpoint is not None and checkpoint.seq == 0 and checkpoint.hash != GENESIS_HASH:
        return Verification(ok=False, entries_checked=0, first_bad_seq=0)
    while True:
        batch = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.seq > last_seq)
                .order_by(AuditEntry.seq)
                .limit(VERIFY_BATCH)
            )
        ).all()
        if not batch:
            break
        for entry in batch:
            checked += 1
            if entry.seq != expected_seq:  # a missing entry: the gap is where it breaks
                return Verification(ok=False, entries_checked=checked, first_bad_seq=expected_seq)
            if (
                entry.prev_hash != expected_prev
                or entry.hash_form not in FIELDS_BY_FORM
                or entry_hash(entry.prev_hash, published_fields(entry), form=entry.hash_form)
                != entry.hash
            ):
                return Verification(ok=False, entries_checked=checked, first_bad_seq=entry.seq)
            if checkpoint and checkpoint.seq == entry.seq and checkpoint.hash != entry.hash:
                # The chain was rewritten up to the checkpoint, consistently with itself.
                return Verification(ok=False, entries_checked=checked, first_bad_seq=entry.seq)
            expected_prev = entry.hash
            expected_seq += 1
            last_seq = entry.seq
        session.expunge_all()
    head = await session.get(AuditChainHead, 1)
    if head is not None and (head.last_seq != last_seq or head.last_hash != expected_prev):
        return Verification(ok=False, entries_checked=checked, first_bad_seq=last_seq + 1)
    if checkpoint is not None and checkpoint.seq > last_seq:  # cut short below the checkpoint
        return Verification(ok=False, entries_checked=checked, first_bad_seq=last_seq + 1)
    return Verification(ok=True, entries_checked=checked, first_bad_seq=None)


def about_person(user_id: uuid.UUID) -> Any:
    """Entries a person did, had done on their behalf, or that concern them."""
    return or_(
        AuditEntry.actor_user_id == user_id,
        AuditEntry.on_behalf_of_user_id == user_id,
        AuditEntry.about_user_id == user_id,
    )


async def _newest_first(
    session: AsyncSession, stmt: Select[Any], page: PageRequest
) -> tuple[list[AuditEntry], str | None]:
    items, next_cursor = await paginate(
        session, stmt, page, order=[Sort(AuditEntry.seq, descending=True)], key=lambda e: (e.seq,)
    )
    return list(items), next_cursor


async def coop_trail(
    session: AsyncSession,
    coop_id: uuid.UUID,
    page: PageRequest,
    *,
    hidden_subject_types: tuple[str, ...] = (),
) -> tuple[list[AuditEntry], str | None]:
    """A page of the co-op's audit trail, newest first, and the cursor of the next; entries
    about subjects of `hidden_subject_types` left out (what this reader may not see)."""
    stmt = select(AuditEntry).where(AuditEntry.coop_id == coop_id)
    if hidden_subject_types:
        stmt = stmt.where(AuditEntry.subject_type.not_in(hidden_subject_types))
    return await _newest_first(session, stmt, page)


async def activity_of(
    session: AsyncSession, user_id: uuid.UUID, page: PageRequest
) -> tuple[list[AuditEntry], str | None]:
    """A page of every entry about the person (acts on their behalf included), newest first."""
    return await _newest_first(session, select(AuditEntry).where(about_person(user_id)), page)
