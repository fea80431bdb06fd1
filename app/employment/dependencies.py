"""Employments loaded and authorised for the caller, and the payroll results body (CSV or
JSON)."""

import json
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError

from app.auth.dependencies import AnyActor
from app.core.deps import SessionDep
from app.core.errors import MalformedBody, UnsupportedMediaType, ValidationFailed
from app.core.field_errors import from_pydantic
from app.employment.access import Seen, load_seen
from app.employment.exchange import ResultFigures, parse_results_csv
from app.employment.schemas import PayrollResultsCreate


async def seen_employment(employment_id: uuid.UUID, session: SessionDep, actor: AnyActor) -> Seen:
    """The employment, for its worker, its employer (or their representative with `view`)
    and the co-op's administrators; 404 for anyone else."""
    return await load_seen(session, actor, employment_id)


async def held_employment(employment_id: uuid.UUID, session: SessionDep, actor: AnyActor) -> Seen:
    """As `seen_employment`, its row held until the request ends (timesheet changes)."""
    return await load_seen(session, actor, employment_id, lock=True)


SeenEmployment = Annotated[Seen, Depends(seen_employment)]
HeldEmployment = Annotated[Seen, Depends(held_employment)]


@dataclass(frozen=True, slots=True)
class ResultsBody:
    lines: list[ResultFigures]
    # Each line's `loc` in validation errors: ["body", "lines", i], or ["body", <line>] of a file.
    where: list[list[str | int]]
    # Where a line missing from the whole is reported.
    whole: list[str | int]


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "application/json").partition(";")[0].strip().lower()


async def results_body(request: Request) -> ResultsBody:
    """The bureau's results: `application/json` `{lines: [...]}` or a `text/csv` file (415 for
    anything else)."""
    media_type = _media_type(request)
    raw = await request.body()
    if media_type == "text/csv":
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                [{"loc": ["body"], "msg": f"The file is not UTF-8 text (byte {exc.start} is not)."}]
            ) from exc
        numbered, errors = parse_results_csv(text)
        if errors:
            raise ValidationFailed(errors)
        return ResultsBody(
            lines=[line for _, line in numbered],
            where=[["body", n] for n, _ in numbered],
            whole=["body"],
        )
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        raise UnsupportedMediaType(expected="application/json or text/csv")
    try:
        data: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedBody from exc
    try:
        body = PayrollResultsCreate.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(
            [from_pydantic(e, loc=["body", *e["loc"]]) for e in exc.errors()]
        ) from exc
    return ResultsBody(
        lines=[
            ResultFigures(
                employment_id=line.employment_id,
                gross_pence=line.gross_pence,
                employer_ni_pence=line.employer_ni_pence,
                employer_pension_pence=line.employer_pension_pence,
                net_pence=line.net_pence,
            )
            for line in body.lines
        ],
        where=[["body", "lines", i] for i in range(len(body.lines))],
        whole=["body", "lines"],
    )


ResultsBodyDep = Annotated[ResultsBody, Depends(results_body)]
