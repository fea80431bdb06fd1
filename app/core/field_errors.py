"""The items of a validation problem: a machine `type`, its limits in `ctx`, `msg` in English
or Welsh.

Each item is `{"loc": [...], "msg": "...", "type": "<pydantic error type>", "ctx": {...}}`
(`ctx` only where the error has limits). Types are Pydantic's own (`missing`,
`string_too_short` with `ctx: {"min_length": 12}`, `int_type`, ...), so a front end can
write its own message from `type` and `ctx` alone. Errors the service finds itself use the
same types where one fits, else `value_error`. `ctx` holds JSON strings and numbers only.
The input is never echoed back: it may be a password.

Welsh messages are kept here for the common types; a type without one is answered with a
general Welsh sentence followed by the English message, so no information is lost.
"""

import math
import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.core.i18n import Language

FieldError = dict[str, Any]

# Welsh for Pydantic's messages, keyed by error type; the blanks are the error's `ctx` keys.
WELSH: dict[str, str] = {
    "missing": "Mae angen y maes hwn.",
    "extra_forbidden": "Nid yw'r maes hwn yn cael ei dderbyn.",
    "string_type": "Dylai hwn fod yn destun.",
    "string_too_short": "Dylai'r testun fod o leiaf {min_length} nod o hyd.",
    "string_too_long": "Dylai'r testun fod {max_length} nod o hyd ar y mwyaf.",
    "string_pattern_mismatch": "Nid yw'r testun ar y ffurf ddisgwyliedig ({pattern}).",
    "string_unicode": "Dylai hwn fod yn destun Unicode dilys.",
    "int_type": "Dylai hwn fod yn rhif cyfan.",
    "int_parsing": "Dylai hwn fod yn rhif cyfan; nid oedd modd ei ddarllen fel un.",
    "int_from_float": "Dylai hwn fod yn rhif cyfan, heb ran ffracsiynol.",
    "int_parsing_size": "Mae'r rhif yn rhy fawr i'w ddarllen.",
    "float_type": "Dylai hwn fod yn rhif.",
    "float_parsing": "Dylai hwn fod yn rhif; nid oedd modd ei ddarllen fel un.",
    "finite_number": "Dylai hwn fod yn rhif meidraidd.",
    "bool_type": "Dylai hwn fod yn wir neu'n gau (true/false).",
    "bool_parsing": "Dylai hwn fod yn wir neu'n gau; nid oedd modd ei ddarllen fel un.",
    "greater_than": "Dylai hwn fod yn fwy na {gt}.",
    "greater_than_equal": "Dylai hwn fod yn {ge} neu'n fwy.",
    "less_than": "Dylai hwn fod yn llai na {lt}.",
    "less_than_equal": "Dylai hwn fod yn {le} neu'n llai.",
    "multiple_of": "Dylai hwn fod yn lluosrif o {multiple_of}.",
    "too_short": "Dylai fod o leiaf {min_length} eitem yma.",
    "too_long": "Dylai fod {max_length} eitem yma ar y mwyaf.",
    "list_type": "Dylai hwn fod yn rhestr.",
    "set_type": "Dylai hwn fod yn set.",
    "tuple_type": "Dylai hwn fod yn rhestr.",
    "dict_type": "Dylai hwn fod yn wrthrych (geiriadur).",
    "model_type": "Dylai hwn fod yn wrthrych.",
    "model_attributes_type": "Dylai hwn fod yn wrthrych.",
    "enum": "Dylai hwn fod yn un o: {expected}.",
    "literal_error": "Dylai hwn fod yn un o: {expected}.",
    "none_required": "Dylai hwn fod yn null.",
    "uuid_type": "Dylai hwn fod yn UUID.",
    "uuid_parsing": "Dylai hwn fod yn UUID dilys.",
    "uuid_version": "Dylai hwn fod yn UUID fersiwn {expected_version}.",
    "date_type": "Dylai hwn fod yn ddyddiad.",
    "date_parsing": "Dylai hwn fod yn ddyddiad dilys (BBBB-MM-DD).",
    "date_from_datetime_parsing": "Dylai hwn fod yn ddyddiad dilys (BBBB-MM-DD).",
    "date_from_datetime_inexact": "Dylai hwn fod yn ddyddiad heb amser o'r dydd.",
    "date_past": "Dylai'r dyddiad fod yn y gorffennol.",
    "date_future": "Dylai'r dyddiad fod yn y dyfodol.",
    "time_type": "Dylai hwn fod yn amser.",
    "time_parsing": "Dylai hwn fod yn amser dilys.",
    "datetime_type": "Dylai hwn fod yn ddyddiad ac amser.",
    "datetime_parsing": "Dylai hwn fod yn ddyddiad ac amser dilys.",
    "datetime_from_date_parsing": "Dylai hwn fod yn ddyddiad ac amser dilys.",
    "datetime_object_invalid": "Nid yw'r dyddiad a'r amser yn ddilys.",
    "datetime_past": "Dylai'r amser fod yn y gorffennol.",
    "datetime_future": "Dylai'r amser fod yn y dyfodol.",
    "timezone_naive": "Ni ddylai'r amser gynnwys parth amser.",
    "timezone_aware": "Dylai'r amser gynnwys parth amser (er enghraifft +00:00).",
    "decimal_type": "Dylai hwn fod yn rhif degol.",
    "decimal_parsing": "Dylai hwn fod yn rhif degol dilys.",
    "decimal_max_digits": "Dylai fod {max_digits} digid ar y mwyaf.",
    "decimal_max_places": "Dylai fod {decimal_places} lle degol ar y mwyaf.",
    "decimal_whole_digits": "Dylai fod {whole_digits} digid ar y mwyaf cyn y pwynt degol.",
    "url_type": "Dylai hwn fod yn URL.",
    "url_parsing": "Dylai hwn fod yn URL dilys.",
    "url_scheme": "Dylai'r URL ddechrau gydag un o: {expected_schemes}.",
    "url_too_long": "Dylai'r URL fod {max_length} nod o hyd ar y mwyaf.",
    "json_invalid": "Nid yw hwn yn JSON dilys.",
    "json_type": "Dylai hwn fod yn destun JSON.",
    "union_tag_invalid": "Nid yw'r math hwn yn un o: {expected_tags}.",
    "union_tag_not_found": "Mae angen y maes {discriminator}.",
}
WELSH_FALLBACK = "Nid yw'r gwerth hwn yn ddilys ({msg})"
# Pydantic puts this before the message a validator raised; the message is the information.
VALUE_ERROR_PREFIX = "Value error, "


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def shown(text: str) -> str:
    """Text as an answer may carry it: a NUL (which no text the service keeps or sends may
    hold, as its OpenAPI says) becomes U+FFFD. A field's name in `loc` is the client's own
    key, and may hold one."""
    return text.replace("\x00", "\ufffd")


def _where(loc: Iterable[Any]) -> list[str | int]:
    return [part if isinstance(part, int) else shown(str(part)) for part in loc]


def clean_ctx(ctx: Mapping[str, Any] | None) -> dict[str, str | int | float]:
    """`ctx` as JSON strings and numbers only: a raised exception becomes its message, any other
    value its text (a boolean is not a number here)."""
    clean: dict[str, str | int | float] = {}
    for key, value in (ctx or {}).items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            clean[key] = value if math.isfinite(value) else str(value)
        else:
            clean[key] = shown(str(value))
    return clean


def field_error(
    loc: Sequence[str | int],
    msg: str,
    *,
    msg_cy: str | None = None,
    type: str = "value_error",
    ctx: Mapping[str, Any] | None = None,
) -> FieldError:
    """One item of a validation problem found by the service itself (`msg_cy` its Welsh)."""
    item: FieldError = {"loc": _where(loc), "msg": msg, "type": type}
    if ctx:
        item["ctx"] = clean_ctx(ctx)
    if msg_cy is not None:
        item["msg_cy"] = msg_cy
    return item


def from_pydantic(
    error: Mapping[str, Any], *, loc: Sequence[str | int] | None = None
) -> FieldError:
    """An item from one of Pydantic's errors (`loc` replaces the error's own where given).
    The input is left out."""
    where = loc if loc is not None else error.get("loc", ())
    item: FieldError = {
        "loc": _where(where),
        "msg": shown(str(error.get("msg", ""))),
        "type": str(error.get("type", "value_error")),
    }
    # `error` in Pydantic's ctx is the reason a validator gave (already in `msg`), not a limit.
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if k != "error"}
    if ctx:
        item["ctx"] = clean_ctx(ctx)
    return item


def _welsh(item: FieldError) -> str:
    if isinstance(item.get("msg_cy"), str):
        return str(item["msg_cy"])
    template = WELSH.get(str(item.get("type")))
    ctx = item.get("ctx") or {}
    if template is not None and _fields(template) <= set(ctx):
        return template.format(**ctx)
    english = str(item.get("msg", ""))
    return WELSH_FALLBACK.format(msg=english.removeprefix(VALUE_ERROR_PREFIX))


def localise(errors: Iterable[FieldError], language: Language) -> list[FieldError]:
    """The items as sent: each with a `type`, `msg` in `language`, and no Welsh-only key."""
    out = []
    for item in errors:
        sent = {k: v for k, v in item.items() if k != "msg_cy"}
        sent.setdefault("type", "value_error")
        if language == "cy":
            sent["msg"] = _welsh(item)
        out.append(sent)
    return out
