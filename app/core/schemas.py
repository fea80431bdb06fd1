"""Wire-format bases and shared field types."""

import csv
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

Pence = Annotated[int, Field(strict=True, description="An amount in integer pence.")]
PositivePence = Annotated[int, Field(strict=True, ge=1, description="An amount in integer pence.")]


def _area_codes() -> tuple[str, ...]:
    # The same file the migration loads the areas from; read once, at import.
    path = Path(__file__).resolve().parents[1] / "areas" / "data" / "areas.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(row["code"] for row in csv.DictReader(handle))


AREA_CODES = _area_codes()
AreaCode = Annotated[
    str,
    Field(
        json_schema_extra={"enum": list(AREA_CODES)},
        description="ONS GSS code of one of the 22 Welsh principal local authorities (W06...).",
    ),
    AfterValidator(lambda code: _known_area(code)),
]
# A deliberately plain e-mail rule, stated in the schema itself: front ends and the OpenAPI
# see exactly what the service accepts (a stricter library check would refuse addresses the
# published schema allows).
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=3,
        max_length=254,
        pattern=r"^[^@ \t\r\n]+@[^@ \t\r\n]+\.[^@ \t\r\n]+$",
    ),
    Field(examples=["holder@example.org"]),
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


def _known_area(code: str) -> str:
    if code not in AREA_CODES:
        raise ValueError(f"not a Welsh principal local authority: {code}")
    return code


class Input(BaseModel):
    """Request bodies: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    """Response bodies, read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)
