"""The suite's own rules: an arranging call may not drop its answer unchecked.

A test that arranges its world through the API and ignores the response goes on to assert
against a world that may not exist: it then passes or fails for a reason other than its own.

A dropped answer is a statement that is nothing but such a call, awaited or not:

* an HTTP method called on anything that is not a module (`client.post(...)`,
  `site.api.get(...)`, `attacker.request(...)`), whatever the client is called; and
* a call of a function that answers an `httpx.Response` without checking it
  (`contribute`, `request_refund`, `login` in tests.factories, or a test module's own
  helper), found by its annotation.
"""

import ast
import functools
from pathlib import Path

TESTS = Path(__file__).parent
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "request", "options", "head", "stream"}
# Objects whose methods of these names are not HTTP calls (a session's `get` and `delete`,
# a queue's `get` and `put`): their names say what they are.
NOT_CLIENTS = ("session", "connection", "queue", "cache")
RESPONSE_TYPES = {"httpx.Response", "Response"}
# Dropped answers in tests another part of the suite owns, to be mended there: each named by
# its file and the statement's text (so it stays named when lines move).
PENDING = {("tests/web/test_language.py", 'await browser.get("/language/cy?next=/")')}


@functools.cache
def _parsed(source: str) -> ast.Module:
    """Each file parsed once, though it is read three ways (parsing is the scan's cost)."""
    return ast.parse(source)


def answering_functions(source: str) -> set[str]:
    """Functions defined in `source` that return an HTTP response unchecked (one that
    asserts on its answer before returning it, like `tests.web.pages.sign_in`, may be
    called for what it does)."""
    return {
        node.name
        for node in ast.walk(_parsed(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.returns is not None
        and ast.unparse(node.returns).strip("'\"") in RESPONSE_TYPES
        and not any(isinstance(inner, ast.Assert) for inner in ast.walk(node))
    }


def module_of(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)


def _names(
    tree: ast.Module, answering: dict[str, set[str]], own: set[str]
) -> tuple[set[str], set[str]]:
    """The names in this module that answer a response, and those bound to modules."""
    responding = set(own)
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            for alias in node.names:
                bound = alias.asname or alias.name
                if alias.name in answering.get(node.module, set()):
                    responding.add(bound)
                elif not alias.name[:1].isupper() and node.module.startswith("app"):
                    modules.add(bound)  # `from app.ledger import service as ledger`
    return responding, modules


def dropped_calls(source: str, answering: dict[str, set[str]] | None = None) -> list[int]:
    """Lines where an HTTP answer (awaited or not) stands alone as a statement, unused.
    `answering` maps modules to their functions that return responses."""
    answering = answering or {}
    tree = _parsed(source)
    responding, modules = _names(tree, answering, answering_functions(source))
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Expr):
            continue
        call = node.value.value if isinstance(node.value, ast.Await) else node.value
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in HTTP_METHODS:
            receiver = ast.unparse(func.value)
            root = receiver.split(".")[0].split("(")[0]
            if root in modules or any(word in receiver.lower() for word in NOT_CLIENTS):
                continue
            lines.append(node.lineno)
        elif isinstance(func, ast.Name) and func.id in responding:
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_a_dropped_call() -> None:
    source = (
        "import httpx\n"
        "from app.ledger import service as ledger\n"
        "from tests.factories import contribute, register_person\n"
        "async def send(client) -> httpx.Response:\n"
        "    return await client.post('/s')\n"
        "async def checked(client) -> httpx.Response:\n"
        "    answer = await client.post('/c')\n"
        "    assert answer.status_code == 201\n"
        "    return answer\n"
        "async def t(client, other_client, api, site, session, queue):\n"
        "    await client.post('/x')\n"
        "    ok(await client.post('/y'))\n"
        "    r = await client.get('/z')\n"
        "    other_client.delete('/w')\n"
        "    await api.post('/v')\n"
        "    await site.browser.get('/u')\n"
        "    await contribute(client, 1, 2, amount_pence=5)\n"
        "    await send(client)\n"
        "    await register_person(client)\n"
        "    await ledger.post(session, 1)\n"
        "    await session.delete(r)\n"
        "    await queue.put(1)\n"
        "    await checked(client)\n"
    )
    answering = {"tests.factories": {"contribute"}}
    assert dropped_calls(source, answering) == [11, 14, 15, 16, 17, 18]


def test_the_factories_answers_are_known() -> None:
    assert {"contribute", "request_refund", "login"} <= answering_functions(
        (TESTS / "factories.py").read_text(encoding="utf-8")
    )


def test_no_test_drops_a_response() -> None:
    paths = sorted(TESTS.rglob("*.py"))
    answering = {
        module_of(path): answering_functions(path.read_text(encoding="utf-8")) for path in paths
    }
    found: list[str] = []
    for path in paths:
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(TESTS.parent).as_posix()
        lines = source.splitlines()
        found.extend(
            f"{name}:{line}"
            for line in dropped_calls(source, answering)
            if (name, lines[line - 1].strip()) not in PENDING
        )
    assert not found, "check these responses (e.g. ok(await client.post(...))):\n" + "\n".join(
        found
    )
