"""Wire-format bases and shared field types."""

import re
import unicodedata
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from app.core.area_list import AREA_CODES
from app.core.disclosure import Figure

# Strict: a fraction (10.5), a number written as a fraction or with an exponent (100.0, 1e3),
# a boolean or a string is refused, never coerced. Money is never a float on the wire.
WholeNumber = Annotated[int, Field(strict=True)]
Pence = Annotated[int, Field(strict=True, description="An amount in integer pence.")]
PositivePence = Annotated[int, Field(strict=True, ge=1, description="An amount in integer pence.")]
DIGITS = re.compile(r"-?[0-9]{1,18}")


def _digits(value: Any) -> Any:
    if isinstance(value, str) and not DIGITS.fullmatch(value):
        raise ValueError("a whole number, written in digits")
    return value


# A query string is text, so integers there cannot be strict: "2500" is taken, but "2500.0",
# "2.5e3" and a number of a thousand digits are not whole numbers as written. Put it after the
# bounds (`Annotated[int, Field(ge=..., le=...), DigitsOnly]`) so the schema still shows them.
DigitsOnly = BeforeValidator(_digits)


# Deeper than any body the service takes: a request nested hundreds deep is refused before
# anything walks it recursively.
MAX_NESTING = 32


def _no_nul(data: Any) -> Any:
    """Refuse NUL in any text, and nesting beyond MAX_NESTING (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                # PostgreSQL text cannot hold NUL, and no person's text needs it.
                raise ValueError("text may not contain the NUL character")
        elif isinstance(value, dict | list):
            if depth >= MAX_NESTING:
                raise ValueError(f"the body may not be nested more than {MAX_NESTING} deep")
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return data


# The calendar the service counts in. Beyond it, a day plus one, a year before, a quarter's
# last day or a time moved to Europe/London would leave what dates can hold (year 1 to 9999),
# and no Direct Payment, tender or statement is about such a day.
FIRST_YEAR, LAST_YEAR = 1900, 2200
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
FIRST_MOMENT = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LAST_MOMENT = datetime(LAST_YEAR, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
YEAR_PATTERN = r"(19[0-9]{2}|2[01][0-9]{2}|2200)"
DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
RANGE_TEXT = f"between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"


def _plain_day(value: Any) -> Any:
    # A day is written YYYY-MM-DD: "2026-03-01T00:00:00" is a moment, not a day.
    if isinstance(value, datetime) or (isinstance(value, str) and not DAY_TEXT.fullmatch(value)):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


def _day_in_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"the day must be {RANGE_TEXT}")
    return value


def _moment_in_range(value: datetime) -> datetime:
    # The year as written, as the schema's pattern says; with any offset it stays far from
    # the ends of what datetimes can hold.
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the time must be {RANGE_TEXT}")
    return value


# The schema states the years too, so clients (and schema-driven tests) know the range.
Day = Annotated[
    date,
    BeforeValidator(_plain_day),
    AfterValidator(_day_in_range),
    Field(
        description=f"A day, YYYY-MM-DD, {RANGE_TEXT}.",
        json_schema_extra={"pattern": f"^{YEAR_PATTERN}-[0-9]{{2}}-[0-9]{{2}}$"},
    ),
]
Moment = Annotated[
    AwareDatetime,
    AfterValidator(_moment_in_range),
    Field(
        description=f"An ISO 8601 time with a UTC offset, {RANGE_TEXT}.",
        json_schema_extra={"pattern": f"^{YEAR_PATTERN}-"},
    ),
]
MONTH_PATTERN = rf"^{YEAR_PATTERN}-(0[1-9]|1[0-2])$"
QUARTER_PATTERN = rf"^{YEAR_PATTERN}-Q[1-4]$"


CLOCK_TIME_TEXT = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _clock_time_text(value: Any) -> Any:
    # A clock time is written HH:MM, nothing more: "8:00", "08:00:00" or a number of seconds
    # would each be read some other way by someone.
    if not isinstance(value, str) or not CLOCK_TIME_TEXT.fullmatch(value):
        raise ValueError("a time is written HH:MM (00:00 to 23:59)")
    return value


def clock_time_text(moment: time) -> str:
    return moment.strftime("%H:%M")


# Stated by a pattern, not as `format: time`: JSON Schema's `time` is RFC 3339's full time,
# with seconds and an offset ("08:30:00Z"), which no HH:MM is; a client checking answers
# against the schema would have refused every one, and no example could satisfy both.
_CLOCK_TIME_SCHEMA = WithJsonSchema(
    {"type": "string", "pattern": f"^{CLOCK_TIME_TEXT.pattern}$", "examples": ["08:30"]}
)
_CLOCK_TIME_DESCRIPTION = Field(description="A wall-clock time in Wales (Europe/London), HH:MM.")
ClockTime = Annotated[
    time, BeforeValidator(_clock_time_text), _CLOCK_TIME_SCHEMA, _CLOCK_TIME_DESCRIPTION
]
# As read back: the stored time, written HH:MM again.
ClockTimeRead = Annotated[
    time,
    PlainSerializer(clock_time_text, return_type=str),
    _CLOCK_TIME_SCHEMA,
    _CLOCK_TIME_DESCRIPTION,
]


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
    def _no_nul_anywhere(cls, data: Any) -> Any:
        return _no_nul(data)


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


class Published(Output):
    """A figure about people or their money under disclosure control (1-7 people suppressed, 8 or more rounded to 5):
    `value` is null exactly when `suppressed` (1-7 people, or money drawn from fewer than 8
    people); a count of 8 or more is rounded to the nearest 5 and a sum of money to the
    nearest £100 (10,000 pence); zero stays 0."""

    value: int | None
    suppressed: bool

    @classmethod
    def of(cls, figure: Figure) -> "Published":
        return cls(value=figure.value, suppressed=figure.suppressed)
