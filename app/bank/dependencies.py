"""A statement's body as sent: its format from the content type, its bytes within
DPC_MAX_IMPORT_BYTES (the request middleware holds that limit for this path)."""

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.bank.models import StatementFormat
from app.core.errors import UnsupportedMediaType

# The path whose bodies may be as large as DPC_MAX_IMPORT_BYTES.
STATEMENT_UPLOAD = re.compile(r"/api/v1/coops/[^/]+/bank/statements")
MEDIA_TYPES = {
    "text/csv": StatementFormat.csv,
    "application/x-ofx": StatementFormat.ofx,
    "application/ofx": StatementFormat.ofx,
}
EXPECTED = "text/csv (UTF-8) or application/x-ofx"


@dataclass(frozen=True, slots=True)
class StatementFile:
    format: StatementFormat
    body: bytes


def _charset(parameters: str) -> str:
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


async def statement_file(request: Request) -> StatementFile:
    """415 for any other content type, or CSV declared in another charset than UTF-8 (an OFX
    file declares its own in its header)."""
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    format_ = MEDIA_TYPES.get(media_type.strip().lower())
    if format_ is None:
        raise UnsupportedMediaType(expected=EXPECTED)
    if format_ is StatementFormat.csv and _charset(parameters) not in ("", "utf-8", "utf8"):
        raise UnsupportedMediaType(expected=EXPECTED)
    return StatementFile(format=format_, body=await request.body())


StatementBody = Annotated[StatementFile, Depends(statement_file)]
