"""The lines of a new invoice: typed by hand (naming visits or not) or built from the
confirmed visits of the period, with the visits each line bills.

Every visit an invoice touches is locked (in id order) under the contract's lock before it
is read, confirmed first if its hours have run out, and must be confirmed and on no line that
is not voided. A voided line's visits are never free again: only an upheld dispute voids a
line, and it rejects the line's visits with it. Whatever the contract's lock, a visit is put
on a line only where it is on none (`attach`), so it is invoiced once even by two invoices
racing.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops.models import Coop
from app.core.errors import ValidationFailed
from app.core.field_errors import FieldError, field_error
from app.tenders.invoices.errors import NoVisits, VisitInvoiced, VisitNotConfirmed, VisitsRequired
from app.tenders.invoices.schemas import InvoiceCreate, InvoiceLineCreate
from app.tenders.models import Contract, InvoiceLine, InvoiceLineStatus
from app.tenders.visits import service as visits
from app.tenders.visits.models import Visit, VisitStatus


@dataclass
class PlannedLine:
    member_id: uuid.UUID
    minutes: int
    description: str
    visits: list[Visit] = field(default_factory=list)

    def minutes_by_day(self) -> dict[date, int]:
        """A line from visits is priced by the day each began."""
        days: dict[date, int] = defaultdict(int)
        for visit in self.visits:
            days[visit.date] += visit.minutes
        return dict(days)


def check_body(body: InvoiceCreate) -> None:
    """Lines typed by hand, or `from_visits`: exactly one of the two."""
    if body.from_visits and body.lines is not None:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "lines"],
                    "Leave out lines when invoicing from visits.",
                    msg_cy="Gadewch lines allan wrth anfonebu o ymweliadau.",
                )
            ]
        )
    if not body.from_visits and body.lines is None:
        raise ValidationFailed(
            [
                field_error(
                    ["body", "lines"],
                    "Give the lines, or invoice from visits (from_visits: true).",
                    msg_cy="Rhowch y llinellau, neu anfonebwch o ymweliadau (from_visits: true).",
                    type="missing",
                )
            ]
        )


async def _locked(
    session: AsyncSession, stmt: Select[Visit], coop: Coop, *, now: datetime
) -> list[Visit]:
    """The visits, under their row locks in id order, those due confirmed automatically."""
    locked = (
        await session.scalars(
            stmt.order_by(Visit.id).with_for_update().execution_options(populate_existing=True)
        )
    ).all()
    for visit in locked:
        if visits.is_due(visit, coop.visit_confirm_hours, now):
            visits.confirm_automatically(
                session, visit, hours=coop.visit_confirm_hours, coop_id=coop.id
            )
    await session.flush()
    return list(locked)


def _description(first_day: date, last_day: date) -> str:
    period = f"{first_day.isoformat()}..{last_day.isoformat()}"
    return f"Visits {period} / Ymweliadau {period}"


async def from_visits(
    session: AsyncSession,
    contract: Contract,
    coop: Coop,
    *,
    period_start: date,
    period_end: date,
    now: datetime,
) -> list[PlannedLine]:
    """One line per member with confirmed visits in the period not yet invoiced, members in
    the order of their first visit (422 `no_visits` when there is none)."""
    candidates = await _locked(
        session,
        select(Visit).where(
            Visit.contract_id == contract.id,
            Visit.date >= period_start,
            Visit.date <= period_end,
            Visit.invoice_line_id.is_(None),
            Visit.status.in_([VisitStatus.to_confirm, VisitStatus.confirmed]),
        ),
        coop,
        now=now,
    )
    confirmed = sorted(
        (v for v in candidates if v.status == VisitStatus.confirmed),
        key=lambda v: (v.starts_at, v.id),
    )
    if not confirmed:
        raise NoVisits
    by_member: dict[uuid.UUID, list[Visit]] = {}
    for visit in confirmed:
        by_member.setdefault(visit.member_id, []).append(visit)
    return [
        PlannedLine(
            member_id=member_id,
            minutes=sum(v.minutes for v in billed),
            description=_description(period_start, period_end),
            visits=billed,
        )
        for member_id, billed in by_member.items()
    ]


def _line_error(
    position: int, name: str, msg: str, msg_cy: str, *, type: str = "value_error"
) -> FieldError:
    return field_error(["body", "lines", position, name], msg, msg_cy=msg_cy, type=type)


async def typed(
    session: AsyncSession,
    contract: Contract,
    coop: Coop,
    lines: Sequence[InvoiceLineCreate],
    *,
    period_start: date,
    period_end: date,
    now: datetime,
) -> list[PlannedLine]:
    """Lines as typed, each with the visits it names: the member's visits under this
    contract that began in the period, confirmed (409 `visit_not_confirmed`) and on no line
    not voided (409 `visit_invoiced`), whose minutes the line claims exactly. Under the
    co-op's `invoices_from_visits_only`, a line naming no visit is 422 `visits_required`."""
    if coop.invoices_from_visits_only:
        bare = [i for i, line in enumerate(lines) if not line.visit_ids]
        if bare:
            raise VisitsRequired(extra={"lines": bare})
    errors: list[FieldError] = []
    named: dict[uuid.UUID, int] = {}
    for position, line in enumerate(lines):
        for visit_id in line.visit_ids:
            if visit_id in named:
                errors.append(
                    _line_error(
                        position,
                        "visit_ids",
                        f"Visit {visit_id} is on another line of this invoice too.",
                        f"Mae ymweliad {visit_id} ar linell arall o'r anfoneb hon hefyd.",
                    )
                )
            named.setdefault(visit_id, position)
    found = {
        v.id: v
        for v in await _locked(
            session,
            select(Visit).where(Visit.id.in_(list(named)), Visit.contract_id == contract.id),
            coop,
            now=now,
        )
    }
    for visit_id, position in named.items():
        visit = found.get(visit_id)
        if visit is None or visit.member_id != lines[position].member_id:
            errors.append(
                _line_error(
                    position,
                    "visit_ids",
                    f"Visit {visit_id} is not one of this member's under this contract.",
                    f"Nid yw ymweliad {visit_id} yn un o rai'r aelod hwn o dan y contract hwn.",
                )
            )
        elif not period_start <= visit.date <= period_end:
            errors.append(
                _line_error(
                    position,
                    "visit_ids",
                    f"Visit {visit_id} began on {visit.date.isoformat()}, outside the period.",
                    f"Dechreuodd ymweliad {visit_id} ar {visit.date.isoformat()}, y tu allan "
                    "i'r cyfnod.",
                )
            )
    planned = []
    for position, line in enumerate(lines):
        billed = sorted(
            (found[v] for v in line.visit_ids if v in found), key=lambda v: (v.starts_at, v.id)
        )
        claimed = sum(v.minutes for v in billed)
        if not line.visit_ids and line.minutes is None:
            errors.append(
                _line_error(
                    position,
                    "minutes",
                    "Field required for a line without visits.",
                    "Mae angen y maes hwn ar gyfer llinell heb ymweliadau.",
                    type="missing",
                )
            )
        elif line.visit_ids and line.minutes is not None and line.minutes != claimed:
            errors.append(
                _line_error(
                    position,
                    "minutes",
                    f"The visits named come to {claimed} minutes: a line bills its visits.",
                    f"Mae'r ymweliadau a enwyd yn dod i {claimed} munud: mae llinell yn "
                    "bilio ei hymweliadau.",
                )
            )
        planned.append(
            PlannedLine(
                member_id=line.member_id,
                minutes=claimed if line.visit_ids else line.minutes or 0,
                description=line.description,
                visits=billed,
            )
        )
    if errors:
        raise ValidationFailed(errors)
    await _available(session, list(found.values()))
    return planned


async def _available(session: AsyncSession, named: Sequence[Visit]) -> None:
    """Named visits must be on no line that is not voided (409 `visit_invoiced`), and
    confirmed (409 `visit_not_confirmed`: a visit on a voided line was rejected with it)."""
    line_ids = {v.invoice_line_id for v in named if v.invoice_line_id is not None}
    live = set(
        (
            await session.scalars(
                select(InvoiceLine.id).where(
                    InvoiceLine.id.in_(line_ids), InvoiceLine.status != InvoiceLineStatus.voided
                )
            )
        ).all()
        if line_ids
        else []
    )
    invoiced = sorted(str(v.id) for v in named if v.invoice_line_id in live)
    if invoiced:
        raise VisitInvoiced(extra={"visit_ids": invoiced})
    unconfirmed = sorted(
        str(v.id)
        for v in named
        if v.status != VisitStatus.confirmed or v.invoice_line_id is not None
    )
    if unconfirmed:
        raise VisitNotConfirmed(extra={"visit_ids": unconfirmed})


async def attach(session: AsyncSession, line_id: uuid.UUID, billed: Sequence[Visit]) -> None:
    """Put the visits on the line, each only if it is on no line yet: a visit some other
    invoice took meanwhile makes this one 409 `visit_invoiced` (and the request rolls back)."""
    if not billed:
        return
    ids = [v.id for v in billed]
    result = await session.execute(
        update(Visit)
        .where(Visit.id.in_(ids), Visit.invoice_line_id.is_(None))
        .values(invoice_line_id=line_id)
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != len(ids):  # type: ignore[attr-defined]
        raise VisitInvoiced(extra={"visit_ids": sorted(str(i) for i in ids)})
