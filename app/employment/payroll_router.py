"""Payroll as a shared service: the export for the bureau, and the results it returns."""

from typing import Annotated, Any

from fastapi import Path, Response

from app.auth.dependencies import CurrentActor
from app.auth.errors import OutsideMandate
from app.coops.dependencies import CoopAdmin
from app.coops.errors import CoopAdminRequired, CoopNotFound
from app.core.csv_answer import CSV_MEDIA_TYPE, csv_response
from app.core.deps import NowDep, SessionDep
from app.core.errors import MalformedBody, UnsupportedMediaType, problems
from app.core.routing import Router
from app.core.schemas import Day
from app.employment import exports, results
from app.employment import service as employment
from app.employment.dependencies import ResultsBodyDep
from app.employment.errors import (
    PayrollExportNotFound,
    PayrollPosted,
    PayrollResultNotFound,
    PeriodNotExported,
    TimesheetsUnconfirmed,
)
from app.employment.exchange import EXPORT_COLUMNS, RESULT_COLUMNS
from app.employment.schemas import PayrollResultRead, PayrollResultsCreate
from app.idempotency.dependencies import IdempotencyRequired
from app.idempotency.errors import (
    IdempotencyInProgress,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
)
from app.ledger.errors import InsufficientMemberFunds

router = Router(prefix="/coops/{coop_id}/payroll/{period_start}", tags=["employment"])
ADMIN_PROBLEMS = (CoopNotFound, CoopAdminRequired, OutsideMandate)
PeriodStart = Annotated[
    Day,
    Path(description="A day on which pay periods of the co-op's employments start."),
]
EXPORT_EXAMPLE = (
    ",".join(f'"{c}"' for c in EXPORT_COLUMNS)
    + "\r\n"
    + '"5f0c...","Siân Jones","Huw Holder","2026-03-02","2026-03-29","450","7.50","1250","9375"\r\n'
)


def _csv_answer(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}, "example": EXPORT_EXAMPLE}},
    }


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its `$defs` written in place (a request body declared by
    hand cannot refer to them)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(dict(defs[ref.removeprefix("#/$defs/")]))
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


RESULTS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inline(PayrollResultsCreate.model_json_schema())},
            CSV_MEDIA_TYPE: {
                "schema": {"type": "string"},
                "example": ",".join(RESULT_COLUMNS) + "\n5f0c...,9375,0,281,9375\n",
            },
        },
    }
}


def _export_answer(export_text: str, period_start: Day, status_code: int) -> Response:
    answer = csv_response(export_text, filename=exports.export_filename(period_start))
    answer.status_code = status_code
    return answer


@router.post(
    "/export",
    status_code=201,
    response_class=Response,
    responses={
        **problems(*ADMIN_PROBLEMS, TimesheetsUnconfirmed),
        201: _csv_answer("The export, made now."),
        200: _csv_answer("The export made before, unchanged."),
    },
)
async def export_payroll(
    period_start: PeriodStart,
    session: SessionDep,
    member: CoopAdmin,
    actor: CurrentActor,
    now: NowDep,
) -> Response:
    """Export the payroll for the pay periods starting on `period_start` (co-op
    administrators) as CSV for the payroll bureau, and lock those periods' timesheets for good
    (a later change -> 409 `period_exported`). The rows are the employments of the co-op,
    whatever their pay frequency, whose pay period starts that day and that have a timesheet
    for it, by worker name (letter case aside) then employment id; employments with no
    timesheet are left out. Columns: `employment_id, worker_name, employer, period_start,
    period_end, minutes, hours, hourly_rate_pence, gross_pence`; `employer` is the holder's
    name or the co-op's, `hours` has 2 places and `gross_pence = (hourly_rate_pence x minutes
    + 30) // 60`. UTF-8 with a byte-order mark, every cell quoted, CRLF line ends.

    An unconfirmed timesheet -> 409 `timesheets_unconfirmed` naming `employment_ids`, nothing
    exported; a day on which no employment's pay period starts -> 422. Exporting again
    answers 200 with the export made the first time, byte for byte."""
    export, made = await exports.export_payroll(
        session, actor, member, period_start=period_start, now=now
    )
    return _export_answer(export.csv_text, period_start, 201 if made else 200)


@router.get(
    "/export",
    response_class=Response,
    responses={**problems(*ADMIN_PROBLEMS, PayrollExportNotFound), 200: _csv_answer("The export.")},
)
async def get_payroll_export(
    period_start: PeriodStart, session: SessionDep, member: CoopAdmin
) -> Response:
    """The export for `period_start` exactly as first answered (co-op administrators); 404
    before it is made."""
    export = await exports.read_export(session, member, period_start)
    return _export_answer(export.csv_text, period_start, 200)


@router.post(
    "/results",
    status_code=201,
    response_model=PayrollResultRead,
    openapi_extra=RESULTS_BODY,
    responses=problems(
        *ADMIN_PROBLEMS,
        PeriodNotExported,
        PayrollPosted,
        InsufficientMemberFunds,
        MalformedBody,
        UnsupportedMediaType,
        IdempotencyKeyRequired,
        IdempotencyKeyReused,
        IdempotencyInProgress,
    ),
)
async def post_payroll_results(
    period_start: PeriodStart,
    session: SessionDep,
    member: CoopAdmin,
    actor: CurrentActor,
    guard: IdempotencyRequired,
    body: ResultsBodyDep,
    now: NowDep,
) -> Response:
    """Post the bureau's results for the exported period (co-op administrators;
    `Idempotency-Key` required): `application/json` `{lines: [...]}`, or a `text/csv` file
    whose header names at least `employment_id, gross_pence, employer_ni_pence,
    employer_pension_pence, net_pence` (other columns are ignored). One line for each
    employment of the export, figures whole pence, none negative (422 naming the field,
    nothing posted).

    Each employer's cost (gross + employer NI + employer pension) leaves the pool as `payroll`
    ledger transactions, all in this request or none: a holder's own employees are one
    transaction `member:<id> -> external:payouts`; the co-op's employees one transaction in
    which each member pays for the entries worked for them, pro rata by minutes (largest
    remainder, the earliest approved first on a tie). Before the export -> 409
    `period_not_exported`; a second import -> 409 `payroll_posted`; a member short of money
    -> 409 `insufficient_member_funds` naming every member short (`members`). PAYE, pensions
    and holiday pay are the bureau's to compute, not this service's."""
    result = await results.post_results(
        session,
        actor,
        member,
        period_start=period_start,
        lines=body.lines,
        where=body.where,
        whole=body.whole,
        now=now,
    )
    export = await exports.read_export(session, member, period_start)
    return await guard.respond(await employment.result_read(session, result, export), 201)


@router.get(
    "/results",
    response_model=PayrollResultRead,
    responses=problems(*ADMIN_PROBLEMS, PayrollResultNotFound),
)
async def get_payroll_results(
    period_start: PeriodStart, session: SessionDep, member: CoopAdmin
) -> PayrollResultRead:
    """The posted results for `period_start`, each line with its transaction and who paid
    what (co-op administrators); 404 before they are posted."""
    return await employment.read_result(session, member, period_start)
