"""CSV answers: the one writer every CSV the service sends goes through."""

import csv
import io
import re
from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Query, Request
from fastapi.responses import Response

from app.core.http_cache import conditional, rendered

CSV_MEDIA_TYPE = "text/csv"
# Excel reads a CSV file as the machine's legacy code page unless it starts with a byte-order
# mark: without it, "ŵ" and "ŷ" arrive as mojibake.
BYTE_ORDER_MARK = "\ufeff"
# A spreadsheet runs a cell as a formula when it starts with one of these. The separator it
# splits on depends on the locale ("," in English, ";" across much of Europe, a tab when
# pasted, "|" in some tools), and a reader splitting on another separator than the file's
# no longer sees the quotes around a cell: "x;=1+1" becomes the cells "x" and "=1+1". So a
# trigger after any separator or line break (past spaces and quotes) is a start too.
_TRIGGER = r"[ \t\r\n\"]*[=+\-@\t\r]"
_STARTS_WITH_TRIGGER = re.compile(_TRIGGER)
_SEPARATOR_BEFORE_TRIGGER = re.compile(rf"([,;\t|\r\n])(?={_TRIGGER})")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def safe_cell(value: object) -> object:
    """A value as a cell: numbers as numbers; text that a spreadsheet in any locale could take
    for a formula, in whole or after a separator inside it, gets a `'` before the cell and
    before each such part, so every way of splitting it reads as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return value
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    if _NUMBER.fullmatch(text):
        return text
    inner = _SEPARATOR_BEFORE_TRIGGER.sub(r"\1'", text)
    if inner == text and not _STARTS_WITH_TRIGGER.match(text):
        return text
    return "'" + inner


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV text: every cell through `safe_cell` and quoted (so a reader splitting on
    the file's own separator never splits a cell), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_bytes(text: str) -> bytes:
    """CSV text as it is sent: UTF-8 with a byte-order mark first."""
    return (BYTE_ORDER_MARK + text).encode("utf-8")


def csv_download_headers(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(text: str, *, filename: str) -> Response:
    """A CSV answer to download: UTF-8 with a byte-order mark first."""
    return Response(
        content=csv_bytes(text), media_type=CSV_MEDIA_TYPE, headers=csv_download_headers(filename)
    )


def wants_csv(format_: str | None, accept: str | None) -> bool:
    """`?format=` decides; else the first media range of the Accept header (by quality,
    then the order given) that this answer can take."""
    if format_ is not None:
        return format_ == "csv"
    ranges: list[tuple[float, str]] = []
    for part in (accept or "").split(","):
        media, *params = (piece.strip().lower() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((quality, media))
    for quality, media in sorted(ranges, key=lambda r: -r[0]):  # stable: ties keep order
        if quality <= 0:
            break
        if media in (CSV_MEDIA_TYPE, "text/*"):
            return True
        if media in ("application/json", "application/*", "*/*"):
            return False
    return False


# `?format=` on an answer that can also be CSV.
FormatQuery = Annotated[
    Literal["json", "csv"] | None,
    Query(alias="format", description="`csv` for CSV (as `Accept: text/csv`)."),
]


def csv_alternative(description: str, *, example: str) -> dict[str, Any]:
    """The OpenAPI 200 answer of a route that answers JSON or, when asked, CSV."""
    return {
        "description": description,
        "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}, "example": example}},
    }


_Answer = TypeVar("_Answer")


def json_or_csv(
    request: Request,
    format_: str | None,
    answer: _Answer,
    *,
    to_csv: Callable[[_Answer], str],
    filename: str,
) -> _Answer | Response:
    """The answer as it is (JSON), or as a CSV download when `?format=` or Accept asks."""
    if not wants_csv(format_, request.headers.get("accept")):
        return answer
    return csv_response(to_csv(answer), filename=filename)


async def json_or_csv_read(
    request: Request,
    format_: str | None,
    *,
    answer: Callable[[], Awaitable[_Answer]],
    csv: Callable[[], Awaitable[str]],
    filename: str,
) -> _Answer | Response:
    """As `json_or_csv`, when the two forms read differently (a page of JSON, but every row
    as CSV): only the form asked for is read."""
    if wants_csv(format_, request.headers.get("accept")):
        return csv_response(await csv(), filename=filename)
    return await answer()


def conditional_json_or_csv(
    request: Request,
    format_: str | None,
    answer: _Answer,
    *,
    to_json: Callable[[_Answer], bytes],
    to_csv: Callable[[_Answer], str],
    filename: str,
) -> Response:
    """As `json_or_csv`, for an answer that is the same bytes whenever its data is the same:
    each form carries a strong ETag of its exact bytes, and a client holding them gets 304."""
    if wants_csv(format_, request.headers.get("accept")):
        return conditional(
            request,
            rendered(csv_bytes(to_csv(answer))),
            media_type=CSV_MEDIA_TYPE,
            vary="Accept",
            headers=csv_download_headers(filename),
        )
    return conditional(request, rendered(to_json(answer)), vary="Accept")
