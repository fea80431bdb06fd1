"""The suite's own rules: an arranging call may not drop its answer unchecked.

A test that arranges its world through the API and ignores the response goes on to assert
against a world that may not exist: it then passes or fails for a reason other than its own.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).parent
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "request", "options", "head"}


def dropped_calls(source: str) -> list[int]:
    """Lines where a client's HTTP call (awaited or not) stands alone, its response unused."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Expr):
            continue
        call = node.value.value if isinstance(node.value, ast.Await) else node.value
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in HTTP_METHODS
            and "client" in ast.unparse(call.func.value).lower()
        ):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_dropped_call() -> None:
    source = (
        "async def t(client, other_client):\n"
        "    await client.post('/x')\n"
        "    ok(await client.post('/y'))\n"
        "    r = await client.get('/z')\n"
        "    other_client.delete('/w')\n"
    )
    assert dropped_calls(source) == [2, 5]


def test_no_test_drops_a_response() -> None:
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in dropped_calls(path.read_text(encoding="utf-8"))
    ]
    assert not found, "check these responses (e.g. ok(await client.post(...))):\n" + "\n".join(
        found
    )
