"""Compliance records of a co-op: DBS checks, right to work, insurance, registrations,
training and contracts, with their expiry."""

import uuid
from typing import Annotated

from fastapi import Query
from pydantic import Field

from app.auth.dependencies import CurrentActor, ViewActor
from app.auth.errors import NoMandate, OutsideMandate
from app.compliance import service
from app.compliance.errors import NotYourRecord
from app.compliance.models import ComplianceKind, ComplianceRecord, SubjectKind
from app.compliance.rules import KINDS_FOR
from app.compliance.schemas import ComplianceRecordCreate, ComplianceRecordRead, record_read
from app.coops.dependencies import CurrentMembership
from app.coops.errors import CoopNotFound
from app.core.clock import local_date
from app.core.deps import NowDep, SessionDep
from app.core.errors import problems
from app.core.pagination import CursorPage, PageDep, Sort, paginate
from app.core.routing import Router
from app.core.schemas import DigitsOnly

router = Router(prefix="/coops/{coop_id}/compliance", tags=["compliance"])
MEMBER_PROBLEMS = (CoopNotFound, OutsideMandate, NoMandate)
KINDS_TABLE = "; ".join(
    f"`{subject.value}`: " + ", ".join(f"`{k.value}`" for k in sorted(KINDS_FOR[subject]))
    for subject in SubjectKind
)
MAX_DUE_DAYS = 3650


@router.post(
    "",
    status_code=201,
    response_model=ComplianceRecordRead,
    responses=problems(*MEMBER_PROBLEMS, NotYourRecord),
    description=f"""File a compliance record (co-op administrators, about any subject; any other
active member about themselves only, `subject_kind: member` with their own membership id,
else 403 `forbidden` before anything about the subject is looked at). Acting in person only:
a representative gets 403 `outside_mandate`.

The subject must belong with the co-op, else 422 naming `subject_id`: a `member` is a
membership of this co-op that has not ended (an applicant's check may come before approval);
a `worker` is a worker of this co-op; a `provider` is a verified provider serving at least one
of the co-op's areas (one it can tender to). Providers are platform-wide, so each co-op keeps
its own records about them, and only the tendering co-op's records decide whether a provider
may bid.

Kinds kept about each subject (else 422 naming `kind`): {KINDS_TABLE}.

`issued_on` may not be after today (a day in Wales), and `expires_on`, the last day the
document is good for, must be after `issued_on` (422 naming the field). Records are never
changed: a renewal or a correction is a new record, and the last one filed for a subject and
kind is the one in force (`in_force`). `compliance.expiring` is sent to the co-op's
administrators and the subject (the member, the worker if they have an account, or the
provider's staff) 30 and 7 days before `expires_on`, once each, for the record in force only:
a renewal filed before a reminder is due means none for the old record.""",
)
async def file_record(
    body: ComplianceRecordCreate,
    session: SessionDep,
    member: CurrentMembership,
    actor: CurrentActor,
    now: NowDep,
) -> ComplianceRecordRead:
    record = await service.file_record(
        session,
        actor,
        member,
        service.Filing(
            subject_kind=body.subject_kind,
            subject_id=body.subject_id,
            kind=body.kind,
            reference=body.reference,
            issued_on=body.issued_on,
            expires_on=body.expires_on,
            document_sha256=body.document_sha256,
        ),
        now=now,
    )
    return record_read(record, state=service.state_of(record, today=local_date(now)), in_force=True)


@router.get(
    "",
    response_model=CursorPage[ComplianceRecordRead],
    responses=problems(*MEMBER_PROBLEMS),
)
async def list_records(
    session: SessionDep,
    member: CurrentMembership,
    actor: ViewActor,
    page: PageDep,
    now: NowDep,
    due_within_days: Annotated[
        Annotated[int, Field(ge=0, le=MAX_DUE_DAYS), DigitsOnly] | None,
        Query(
            description="Only records in force whose `expires_on` is at most this many days "
            "after today (lapsed ones included): what needs renewing."
        ),
    ] = None,
    subject_kind: Annotated[SubjectKind | None, Query()] = None,
    subject_id: Annotated[uuid.UUID | None, Query()] = None,
    kind: Annotated[ComplianceKind | None, Query()] = None,
    in_force: Annotated[
        bool | None,
        Query(description="true: only the records in force; false: only those replaced since."),
    ] = None,
) -> CursorPage[ComplianceRecordRead]:
    """The co-op's compliance records, newest filed first: administrators see all of them;
    any other member (or their representative with `view`) only those about their own
    membership. Each carries its `state` on today's date in Wales (`current`, `expiring`
    within 30 days of `expires_on`, `lapsed` after it) and whether it is `in_force` (the last
    filed for its subject and kind). A non-member, even of another co-op, gets 404."""
    today = local_date(now)
    rows, next_cursor = await paginate(
        session,
        service.visible_records(
            actor,
            member,
            service.Filters(
                subject_kind=subject_kind,
                subject_id=subject_id,
                kind=kind,
                in_force=in_force,
                due_within_days=due_within_days,
            ),
            today=today,
        ),
        page,
        order=[Sort(ComplianceRecord.seq, descending=True)],
        key=lambda row: (row[0].seq,),
        scalars=False,
    )
    return CursorPage[ComplianceRecordRead](
        items=[
            record_read(
                record, state=service.state_of(record, today=today), in_force=record.seq == latest
            )
            for record, latest in rows
        ],
        next_cursor=next_cursor,
    )
