"""A co-op's bank at month end (administrators): uploading a statement, and the month's lines
and the bank against the ledger, through the same services as the API's `.../bank/...`."""

import calendar
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from app.bank import decisions, reconciliation
from app.bank import service as bank
from app.bank.dependencies import MEDIA_TYPES
from app.bank.models import BankLine, LineState, StatementFormat
from app.core.clock import local_date
from app.core.errors import AppError, ValidationFailed
from app.core.field_errors import field_error, localise
from app.core.i18n import Language
from app.core.routing import Router
from app.core.schemas import FIRST_YEAR, LAST_YEAR
from app.notifications.catalogue import MONTHS_CY, MONTHS_EN
from app.web.forms import Refused, state_of
from app.web.membership import admin_of
from app.web.pages import EMPTY_FORM, FormState, Page, SignedInPage
from app.web.route import PageRoute
from app.web.texts import text

router = Router(route_class=PageRoute, include_in_schema=False)
MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
# Where an OFX file gives itself away when its name and type do not.
OFX_SUFFIXES = {".ofx", ".qfx"}


@dataclass(frozen=True, slots=True)
class Month:
    first: date
    last: date

    @property
    def value(self) -> str:
        return f"{self.first.year:04d}-{self.first.month:02d}"

    def name(self, language: Language) -> str:
        months = MONTHS_CY if language == "cy" else MONTHS_EN
        return f"{months[self.first.month - 1]} {self.first.year}"


def month_of(day: date) -> Month:
    last = calendar.monthrange(day.year, day.month)[1]
    return Month(day.replace(day=1), day.replace(day=last))


def month_asked(value: str | None, today: date) -> Month:
    """`YYYY-MM` as typed into the month field (this month when nothing was), or
    `ValidationFailed` naming the field."""
    if not value:
        return month_of(today)
    found = MONTH.fullmatch(value.strip())
    if found is None or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise ValidationFailed(
            [
                field_error(
                    ["query", "month"],
                    text("bank.error_month", "en"),
                    msg_cy=text("bank.error_month", "cy"),
                    type="value_error",
                )
            ]
        )
    return month_of(date(int(found[1]), int(found[2]), 1))


def reconciled_on(month: Month, today: date) -> date:
    """The day whose end the month is reconciled at: its last, or today while it runs."""
    if month.last < today:
        return month.last
    return max(today, month.first)


def statement_format(filename: str, content_type: str | None, body: bytes) -> StatementFormat:
    """What the file is: by its name, else the type the browser gave, else its first bytes
    (browsers send OFX files as anything from `application/x-ofx` to `octet-stream`)."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in OFX_SUFFIXES:
        return StatementFormat.ofx
    if suffix == ".csv":
        return StatementFormat.csv
    named = MEDIA_TYPES.get((content_type or "").partition(";")[0].strip().lower())
    if named is not None:
        return named
    head = body[:1024].upper()
    if b"OFXHEADER" in head or b"<OFX>" in head:
        return StatementFormat.ofx
    return StatementFormat.csv


def file_problems(error: ValidationFailed, language: Language) -> FormState:
    """The file's faults, each naming its line and column, all pointing at the file field."""
    messages = []
    for item in localise(error.extra["errors"], language):
        loc = [part for part in item["loc"] if part != "body"]
        line = next((part for part in loc if isinstance(part, int)), None)
        column = next((part for part in loc if isinstance(part, str) and part != "statement"), None)
        message = str(item["msg"])
        if line is not None and column is not None:
            message = text("bank.error_at_column", language, line=line, column=column, msg=message)
        elif line is not None:
            message = text("bank.error_at_line", language, line=line, msg=message)
        messages.append(message)
    return FormState(
        errors={"statement": messages[0]},
        summary=tuple(("statement", message) for message in messages),
    )


@dataclass
class Tally:
    lines: int = 0
    in_pence: int = 0
    out_pence: int = 0


async def month_tallies(page: Page, coop_id: uuid.UUID, month: Month) -> dict[LineState, Tally]:
    """The month's lines by state: how many, money in and money out."""
    tallies = {state: Tally() for state in LineState}
    stmt = decisions.lines_of(coop_id, state=None).where(
        BankLine.booked_on >= month.first, BankLine.booked_on <= month.last
    )
    for line, decision in (await page.session.execute(stmt)).all():
        tally = tallies[decisions.read(line, decision).state]
        tally.lines += 1
        if line.amount_pence > 0:
            tally.in_pence += line.amount_pence
        else:
            tally.out_pence -= line.amount_pence
    return tallies


def import_counts(query: Mapping[str, str]) -> dict[str, int] | None:
    """What the upload just imported, as its redirect carried it."""
    counts = {name: query.get(name, "") for name in ("imported", "duplicates", "matched")}
    if not all(value.isdigit() for value in counts.values()):
        return None
    return {name: int(value) for name, value in counts.items()}


async def show_month(page: Page, form: FormState) -> Response:
    coop_id = uuid.UUID(page.request.path_params["coop_id"])
    coop, admin = await admin_of(page, coop_id)
    query = page.request.query_params
    today = local_date(page.now)
    try:
        month = month_asked(query.get("month"), today)
    except AppError as error:
        form = state_of(error, page.language, dict(query))
        month = month_of(today)
    at = reconciled_on(month, today)
    return page.render(
        "coop/bank_month.html",
        coop=coop,
        membership=admin,
        current="bank",
        form=form,
        month=month,
        month_name=month.name(page.language),
        at=at,
        figures=await reconciliation.reconcile(page.session, coop_id=coop.id, on=at),
        tallies=await month_tallies(page, coop.id, month),
        states=list(LineState),
        max_megabytes=max(1, page.settings.max_body_bytes // 1_000_000),
        imported=import_counts(query),
    )


@router.get("/coops/{coop_id}/bank")
async def bank_month(coop_id: uuid.UUID, page: SignedInPage) -> Response:
    """The month's bank lines by state and the bank against the ledger at its end (as `GET
    .../bank/reconciliation?at=`), with the form to upload a statement."""
    del coop_id
    return await show_month(page, EMPTY_FORM)


@router.post("/coops/{coop_id}/bank/statements")
async def upload_statement(coop_id: uuid.UUID, request: Request, page: SignedInPage) -> Response:
    """Import a statement file (`POST .../bank/statements`): CSV or OFX, told apart by the
    file's name, type or first bytes. A faulty file is refused whole, each fault named by its
    line; the same file again imports nothing new."""
    coop, _ = await admin_of(page, coop_id)
    upload = (await request.form()).get("statement")
    try:
        body = await upload.read() if isinstance(upload, UploadFile) and upload.filename else b""
        if not isinstance(upload, UploadFile) or not body:
            raise ValidationFailed(
                [
                    field_error(
                        ["body", "statement"],
                        text("bank.error_no_file", "en"),
                        msg_cy=text("bank.error_no_file", "cy"),
                        type="missing",
                    )
                ]
            )
        answer = await bank.import_statement(
            page.session,
            page.me,
            coop_id=coop.id,
            format_=statement_format(upload.filename or "", upload.content_type, body),
            body=body,
            now=page.now,
        )
    except ValidationFailed as error:
        raise Refused(show_month, file_problems(error, page.language), 422) from error
    query = urlencode(answer.model_dump())
    return page.redirect(f"/coops/{coop.id}/bank?{query}")
