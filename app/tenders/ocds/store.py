"""The stored releases: written once, in publication order, and read back as stored.

A release is rendered when its event happens and queued on the session; just before the
transaction commits (after the audit chain, whose entry for it is written first) the queue
takes the lock on the feed's one-row head and each release its number `seq`. Numbers are
therefore given in commit order, and a reader paging the feed by `seq` never finds an earlier
number appearing behind one it has passed. A rolled-back transaction publishes nothing.
Releases recorded by the transaction still running are read with the stored ones, after them.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.db import on_before_commit
from app.tenders.models import TenderArea
from app.tenders.ocds.models import OcdsFeedHead, OcdsRelease
from app.tenders.ocds.packages import Stored, parse, render

PENDING_KEY = "ocds_pending"
HEAD_ID = 1


@dataclass(frozen=True, slots=True)
class Pending:
    tender_id: uuid.UUID
    tag: str
    stored: Stored


def _pending(session: AsyncSession) -> list[Pending]:
    queue: list[Pending] = session.info.setdefault(PENDING_KEY, [])
    return queue


async def exists(session: AsyncSession, release_id: str) -> bool:
    if any(p.stored.release_id == release_id for p in _pending(session)):
        return True
    found = await session.scalar(
        select(OcdsRelease.seq).where(OcdsRelease.release_id == release_id)
    )
    return found is not None


async def add(
    session: AsyncSession, *, tender_id: uuid.UUID, coop_id: uuid.UUID, release: dict[str, Any]
) -> str | None:
    """Queue the release for publication with this transaction; a release of the same id
    already published (or queued) is left as it is, so writing one twice changes nothing."""
    release_id = str(release["id"])
    if await exists(session, release_id):
        return None
    [tag] = release["tag"]
    stored = Stored(
        release_id=release_id,
        ocid=str(release["ocid"]),
        date=datetime.fromisoformat(str(release["date"])),
        body=render(release),
    )
    # The audit entry first: its chain's head is locked before the feed's, in every
    # transaction, so the two locks are always taken in the same order.
    audit.record(
        session,
        None,
        "ocds.release_published",
        "tender",
        tender_id,
        coop_id=coop_id,
        data={"release_id": release_id, "tag": tag},
    )
    _pending(session).append(Pending(tender_id=tender_id, tag=tag, stored=stored))
    on_before_commit(session, write_pending)
    return release_id


async def write_pending(session: AsyncSession) -> None:
    queue: list[Pending] = session.info.pop(PENDING_KEY, [])
    if not queue:
        return
    head = await session.scalar(
        select(OcdsFeedHead).where(OcdsFeedHead.id == HEAD_ID).with_for_update()
    )
    if head is None:  # the migration creates it; this only guards a hand-built database
        last = await session.scalar(select(func.max(OcdsRelease.seq)))
        head = OcdsFeedHead(id=HEAD_ID, last_seq=last or 0)
        session.add(head)
    now = datetime.now(UTC)
    for item in queue:
        head.last_seq += 1
        session.add(
            OcdsRelease(
                seq=head.last_seq,
                release_id=item.stored.release_id,
                ocid=item.stored.ocid,
                tender_id=item.tender_id,
                tag=item.tag,
                date=item.stored.date,
                recorded_at=now,
                body=item.stored.body,
            )
        )
    await session.flush()


def _stored(row: OcdsRelease) -> Stored:
    return Stored(release_id=row.release_id, ocid=row.ocid, date=row.date, body=row.body)


async def _read(session: AsyncSession, stmt: Select[OcdsRelease]) -> list[Stored]:
    return [_stored(row) for row in (await session.scalars(stmt.order_by(OcdsRelease.seq))).all()]


async def of_tenders(session: AsyncSession, tender_ids: Sequence[uuid.UUID]) -> list[Stored]:
    """The tenders' releases in publication order, this transaction's own last."""
    ids = list(tender_ids)
    if not ids:
        return []
    stored = await _read(session, select(OcdsRelease).where(OcdsRelease.tender_id.in_(ids)))
    return stored + [p.stored for p in _pending(session) if p.tender_id in ids]


async def in_area(session: AsyncSession, area_code: str) -> list[Stored]:
    tender_ids = select(TenderArea.tender_id).where(TenderArea.area_code == area_code)
    stored = await _read(session, select(OcdsRelease).where(OcdsRelease.tender_id.in_(tender_ids)))
    mine = set((await session.scalars(tender_ids)).all()) if _pending(session) else set()
    return stored + [p.stored for p in _pending(session) if p.tender_id in mine]


async def of_ocid(session: AsyncSession, ocid: str) -> list[Stored]:
    stored = await _read(session, select(OcdsRelease).where(OcdsRelease.ocid == ocid))
    return stored + [p.stored for p in _pending(session) if p.stored.ocid == ocid]


async def tender_of_ocid(session: AsyncSession, ocid: str) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(
        select(OcdsRelease.tender_id).where(OcdsRelease.ocid == ocid).limit(1)
    )
    return found


async def ocid_of(session: AsyncSession, tender_id: uuid.UUID) -> str | None:
    """The ocid the tender's releases already carry: an ocid, once published, stays."""
    for item in _pending(session):
        if item.tender_id == tender_id:
            return item.stored.ocid
    found: str | None = await session.scalar(
        select(OcdsRelease.ocid).where(OcdsRelease.tender_id == tender_id).limit(1)
    )
    return found


async def published_bodies(
    session: AsyncSession, tender_id: uuid.UUID, *, tag: str
) -> list[dict[str, Any]]:
    """The tender's releases of one tag, as data (stored, then this transaction's)."""
    rows = await session.scalars(
        select(OcdsRelease.body)
        .where(OcdsRelease.tender_id == tender_id, OcdsRelease.tag == tag)
        .order_by(OcdsRelease.seq)
    )
    bodies = list(rows.all())
    bodies += [
        p.stored.body for p in _pending(session) if p.tender_id == tender_id and p.tag == tag
    ]
    return [parse(body) for body in bodies]


@dataclass(frozen=True, slots=True)
class FeedPage:
    releases: list[Stored]
    last_seq: int | None
    more: bool


async def feed(
    session: AsyncSession, *, since: datetime | None, after_seq: int | None, limit: int
) -> FeedPage:
    """Every release in publication order, from `since` (a release's `date`, inclusive)."""
    stmt = select(OcdsRelease)
    if since is not None:
        stmt = stmt.where(OcdsRelease.date >= since)
    if after_seq is not None:
        stmt = stmt.where(OcdsRelease.seq > after_seq)
    rows = list((await session.scalars(stmt.order_by(OcdsRelease.seq).limit(limit + 1))).all())
    more = len(rows) > limit
    rows = rows[:limit]
    return FeedPage(
        releases=[_stored(r) for r in rows],
        last_seq=rows[-1].seq if rows else None,
        more=more,
    )
