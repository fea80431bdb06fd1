"""App code states what it relies on with a named error, never `assert` (which `python -O`
strips and which would answer a bare 500 without a problem body)."""

import ast
from pathlib import Path

import pytest

from app.core.errors import InternalInconsistency, must_exist

APP = Path(__file__).resolve().parent.parent.parent / "app"


def test_no_assert_statement_in_app_code() -> None:
    found = [
        f"{path.relative_to(APP.parent)}:{node.lineno}"
        for path in sorted(APP.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
    ]
    assert found == []


def test_a_broken_promise_is_a_named_internal_error() -> None:
    with pytest.raises(InternalInconsistency) as caught:
        must_exist(None, "a tender's co-op exists")
    assert caught.value.status == 500
    assert caught.value.code == "internal_error"
    assert caught.value.reason == "a tender's co-op exists"
    assert must_exist(0, "zero is a value") == 0
