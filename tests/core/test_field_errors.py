"""Validation problems: a machine type, limits in ctx (strings and numbers only), msg in English
or Welsh."""

import re
import string

import pytest
from pydantic_core import PydanticKnownError

from app.core.field_errors import WELSH, clean_ctx, field_error, from_pydantic, localise


def blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# Pydantic's own blanks that only shape its English (a plural "s"), never in ctx.
ENGLISH_ONLY = {"expected_plural"}


def english_template(error_type: str) -> str:
    """Pydantic's own English template for the type (raises for a type Pydantic lacks)."""
    ctx: dict[str, object] = {}
    for _ in range(8):
        try:
            return PydanticKnownError(error_type, ctx).message_template  # type: ignore[arg-type]
        except TypeError as exc:
            text = str(exc)
            name = re.search(r"'(\w+)'", text)
            if name is None:
                raise
            ctx[name.group(1)] = "x" if "must be a String" in text else 1
    raise AssertionError(f"no context satisfies {error_type}")


@pytest.mark.parametrize("error_type", sorted(WELSH))
def test_each_welsh_message_is_for_a_pydantic_type_and_uses_its_blanks(error_type: str) -> None:
    english = english_template(error_type)
    assert blanks(WELSH[error_type]) <= blanks(english) - ENGLISH_ONLY
    assert WELSH[error_type] != english


def test_the_common_types_have_welsh() -> None:
    common = {
        "missing",
        "extra_forbidden",
        "string_too_short",
        "string_too_long",
        "string_type",
        "string_pattern_mismatch",
        "int_type",
        "int_parsing",
        "greater_than_equal",
        "less_than_equal",
        "literal_error",
        "enum",
        "uuid_parsing",
        "date_from_datetime_parsing",
        "datetime_parsing",
        "bool_type",
        "value_error",
    }
    assert common - set(WELSH) <= {"value_error"}


def test_ctx_holds_only_strings_and_numbers() -> None:
    assert clean_ctx(
        {"min_length": 12, "error": ValueError("bad"), "flag": True, "limit": float("inf")}
    ) == {"min_length": 12, "error": "bad", "flag": "True", "limit": "inf"}


def test_a_pydantic_error_keeps_its_type_and_limits_and_never_its_input() -> None:
    item = from_pydantic(
        {
            "type": "string_too_short",
            "loc": ("body", "password"),
            "msg": "String should have at least 12 characters",
            "input": "secret",
            "ctx": {"min_length": 12},
            "url": "https://errors.pydantic.dev",
        }
    )
    assert item == {
        "loc": ["body", "password"],
        "msg": "String should have at least 12 characters",
        "type": "string_too_short",
        "ctx": {"min_length": 12},
    }
    [welsh] = localise([item], "cy")
    assert welsh["msg"] == "Dylai'r testun fod o leiaf 12 nod o hyd."


def test_an_error_without_welsh_says_so_in_welsh_and_keeps_the_english_reason() -> None:
    item = from_pydantic(
        {
            "type": "value_error",
            "loc": ("body",),
            "msg": "Value error, give exactly one",
            "ctx": {"error": ValueError("give exactly one")},
        }
    )
    assert "ctx" not in item  # the reason is in msg; ctx is for limits
    [welsh] = localise([item], "cy")
    assert welsh["msg"] == "Nid yw'r gwerth hwn yn ddilys (give exactly one)"
    [english] = localise([item], "en")
    assert english["msg"] == "Value error, give exactly one"


def test_the_services_own_errors_carry_their_welsh_and_a_type() -> None:
    item = field_error(["query", "x"], "Unknown query parameter.", msg_cy="Anhysbys.")
    assert localise([item], "cy") == [
        {"loc": ["query", "x"], "msg": "Anhysbys.", "type": "value_error"}
    ]
    assert localise([{"loc": ["body"], "msg": "old style"}], "en") == [
        {"loc": ["body"], "msg": "old style", "type": "value_error"}
    ]
