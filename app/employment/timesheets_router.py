"""Timesheets of an employment, one per pay period: kept, confirmed, read."""

from typing import Annotated

from fastapi import Path

from app.auth.errors import NoMandate, OutsideMandate
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, page_of_list
from app.core.routing import Router
from app.core.schemas import Day
from app.employment import timesheets
from app.employment.dependencies import HeldEmployment, SeenEmployment
from app.employment.errors import (
    EmploymentNotFound,
    NotTheEmployer,
    OwnTimesheet,
    PeriodExported,
    TimesheetNotFound,
)
from app.employment.schemas import TimesheetRead, TimesheetWrite

router = Router(prefix="/employments/{employment_id}/timesheets", tags=["employment"])
SEEN = (EmploymentNotFound, OutsideMandate, NoMandate)
PeriodStart = Annotated[
    Day, Path(description="The first day of one of the employment's pay periods.")
]


@router.put(
    "/{period_start}",
    response_model=TimesheetRead,
    responses=problems(*SEEN, NotTheEmployer, PeriodExported),
)
async def put_timesheet(
    period_start: PeriodStart,
    body: TimesheetWrite,
    session: SessionDep,
    seen: HeldEmployment,
    now: NowDep,
) -> TimesheetRead:
    """Write the pay period's entries (replacing the ones before; earlier revisions are
    kept): the worker (when linked to an account), the holder who employs (or their
    representative with `view`), or, for the co-op's own employees, an administrator. An
    administrator reads a holder's employee's timesheets but does not keep them (403
    `forbidden`); anyone else is told the employment does not exist (404).

    Each entry's `date` is in the pay period and not after today, and a day's entries add up
    to at most 24 hours (422 naming the field); for the co-op's employees each entry names the
    active member of the co-op the work was for (`member_id`), who pays for it. A
    `period_start` that starts no pay period of the employment -> 422; a period whose payroll
    is exported -> 409 `period_exported`. The timesheet is then `submitted` until its
    employer confirms it again."""
    return await timesheets.put_timesheet(
        session, seen, period_start=period_start, entries=body.entries, now=now
    )


@router.post(
    "/{period_start}/confirm",
    response_model=TimesheetRead,
    responses=problems(*SEEN, NotTheEmployer, OwnTimesheet, TimesheetNotFound, PeriodExported),
)
async def confirm_timesheet(
    period_start: PeriodStart, session: SessionDep, seen: HeldEmployment, now: NowDep
) -> TimesheetRead:
    """Confirm the timesheet as it stands: the holder who employs (or their representative
    with `view`), or an administrator for the co-op's own employees (others who see it: 403
    `forbidden`). Nobody confirms their own work (403 `conflict_of_interest`). Confirming again
    changes nothing; a period whose payroll is exported -> 409 `period_exported`."""
    return await timesheets.confirm_timesheet(session, seen, period_start=period_start, now=now)


@router.get(
    "/{period_start}",
    response_model=TimesheetRead,
    responses=problems(*SEEN, TimesheetNotFound),
)
async def get_timesheet(
    period_start: PeriodStart, session: SessionDep, seen: SeenEmployment
) -> TimesheetRead:
    """One pay period's timesheet, its current entries: the worker, the employer (or their
    representative with `view`) and the co-op's administrators."""
    return await timesheets.read_timesheet(session, seen, period_start=period_start)


@router.get("", response_model=CursorPage[TimesheetRead], responses=problems(*SEEN))
async def list_timesheets(
    session: SessionDep, seen: SeenEmployment, page: PageDep
) -> CursorPage[TimesheetRead]:
    """The employment's timesheets, latest pay period first: the worker, the employer (or
    their representative with `view`) and the co-op's administrators."""
    items, next_cursor = page_of_list(await timesheets.list_timesheets(session, seen), page)
    return CursorPage[TimesheetRead](items=items, next_cursor=next_cursor)
