"""Wire-format bases and shared field types."""

import csv
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

# Strict: a fraction (10.5), a boolean or a string is refused, never coerced. (Input bodies
# take 5033.0 as the number 5033: JSON has one kind of number.)
WholeNumber = Annotated[int, Field(strict=True)]
Pence = Annotated[int, Field(strict=True, description="An amount in integer pence.")]
PositivePence = Annotated[int, Field(strict=True, ge=1, description="An amount in integer pence.")]


def _whole_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and "\x00" in value:
        # PostgreSQL text cannot hold NUL, and no person's text needs it.
        raise ValueError("text may not contain the NUL character")
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


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
EMAIL_MAX_LENGTH = 254
EMAIL_PATTERN = r"^[^@ \t\r\n\x00]+@[^@ \t\r\n\x00]+\.[^@ \t\r\n\x00]+$"
_EMAIL_RE = re.compile(EMAIL_PATTERN)


def normalise_email(email: str) -> str:
    """The one form an address is stored, compared and looked up in: trimmed, Unicode NFKC,
    then case-folded (and NFKC again, so normalising twice changes nothing). "É" written as
    one code point or as "E" + a combining accent is then the same address, and so is any
    case of it."""
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


def _normalised_email(value: str) -> str:
    email = normalise_email(value)
    # Checked after normalising: case folding can lengthen an address ("İ" becomes two code
    # points), and NFKC can turn look-alike characters into "@" or ".".
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValueError(
            f"the address is longer than {EMAIL_MAX_LENGTH} characters once normalised"
        )
    if not _EMAIL_RE.match(email):
        raise ValueError("not an e-mail address once normalised")
    return email


# A deliberately plain e-mail rule, stated in the schema itself: front ends and the OpenAPI
# see exactly what the service accepts (a stricter library check would refuse addresses the
# published schema allows). Addresses are normalised (`normalise_email`) before anything
# compares them.
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=3,
        max_length=EMAIL_MAX_LENGTH,
        pattern=EMAIL_PATTERN,
    ),
    AfterValidator(_normalised_email),
    Field(
        examples=["holder@example.org"],
        description="Compared after Unicode NFKC normalisation and case folding.",
    ),
]
# An address shown, never looked up (a provider's contact address): trimmed and lower-cased
# only, as written.
ContactEmail = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        min_length=3,
        max_length=EMAIL_MAX_LENGTH,
        pattern=EMAIL_PATTERN,
    ),
    Field(examples=["office@example.org"]),
]
# Text a person writes: trimmed, and holding at least one visible character (the pattern
# states in the schema what trimming enforces, so clients can check it themselves).
VISIBLE_TEXT = r"^[^\x00]*[^\s\x00-\x1f\x7f-\x9f][^\x00]*$"
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=VISIBLE_TEXT),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000, pattern=VISIBLE_TEXT),
]
# Secrets and opaque tokens are taken exactly as sent: never trimmed.
Opaque = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]


def distinct(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise ValueError("each value may appear once")
    return values


# A list whose items must differ: said in the schema (uniqueItems) and enforced.
Distinct = (Field(json_schema_extra={"uniqueItems": True}), AfterValidator(distinct))
AreaCodes = Annotated[list[AreaCode], Field(min_length=1, max_length=22), *Distinct]


def _known_area(code: str) -> str:
    if code not in AREA_CODES:
        raise ValueError(f"not a Welsh principal local authority: {code}")
    return code


class Input(BaseModel):
    """Request bodies: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _json_numbers(cls, data: Any) -> Any:
        # JSON has one kind of number, so 5033.0 is the number 5033; strict integer fields
        # still refuse 10.5, true and "5033".
        return _whole_numbers(data)


class Patch(Input):
    """A partial update: only the fields sent change.

    Fields named in `not_null` may be left out but never sent as null (their own validators
    refuse it); the schema says so, so clients are not told null is allowed.
    """

    not_null: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for name in cls.not_null:
            prop = target.get("properties", {}).get(name)
            if not prop or "anyOf" not in prop:
                continue
            kept = [option for option in prop["anyOf"] if option.get("type") != "null"]
            if len(kept) == 1:
                del prop["anyOf"]
                prop.update(kept[0])
                prop.pop("default", None)
        return schema


class Output(BaseModel):
    """Response bodies, read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)
