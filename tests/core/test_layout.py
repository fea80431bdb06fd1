"""The layout shows the architecture: one router per module, one `router.py` per domain that
gathers its sub-routers, and `app/api.py` including exactly one router per domain."""

import ast
import functools
from pathlib import Path

APP = Path(__file__).resolve().parent.parent.parent / "app"


def _calls_of(tree: ast.Module, name: str) -> int:
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
    )


def _router_calls(tree: ast.Module) -> int:
    """Routers made: the house's `Router` (app.core.routing), or FastAPI's own."""
    return _calls_of(tree, "Router") + _calls_of(tree, "APIRouter")


@functools.cache
def _modules() -> list[tuple[Path, int]]:
    """Every module of the app with the routers it defines, read once for all the tests here
    (parsing is their cost)."""
    return [
        (path, _router_calls(ast.parse(path.read_text(encoding="utf-8"))))
        for path in sorted(APP.rglob("*.py"))
    ]


def test_every_router_is_the_houses_router() -> None:
    """FastAPI's `APIRouter` tries every route of every router before it; the house's
    `Router` declines a path none of its routes serve (app.core.routing)."""
    fastapis = [
        str(path.relative_to(APP))
        for path in sorted(APP.rglob("*.py"))
        if path != APP / "core" / "routing.py"
        and _calls_of(ast.parse(path.read_text(encoding="utf-8")), "APIRouter")
    ]
    assert fastapis == []


def test_no_module_defines_several_routers() -> None:
    several = {str(p.relative_to(APP)): n for p, n in _modules() if n > 1}
    assert several == {}


def test_every_domain_with_routes_has_one_router_py() -> None:
    for path, routers in _modules():
        if routers and path.parent != APP and path.parent.name != "core":
            domain = path.relative_to(APP).parts[0]
            assert (APP / domain / "router.py").exists(), path


def test_the_api_includes_one_router_per_domain() -> None:
    tree = ast.parse((APP / "api.py").read_text(encoding="utf-8"))
    sources = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("router")
    ]
    domains = [module.split(".")[1] for module in sources]
    assert all(module == f"app.{d}.router" for module, d in zip(sources, domains, strict=True))
    assert len(domains) == len(set(domains))
    with_routes = {
        path.relative_to(APP).parts[0]
        for path, routers in _modules()
        if routers and path.parent != APP and path.parent.name != "core"
    }
    # The web pages are not the API: `create_app` mounts them at `/`, beside `/api/v1`.
    assert set(domains) == with_routes - {"web"}
    main = (APP / "main.py").read_text(encoding="utf-8")
    assert "from app.web import router as web" in main


MAX_LINES = 400


def _line_counts() -> dict[str, int]:
    return {
        str(path.relative_to(APP)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(APP.rglob("*.py"))
    }


def test_no_file_is_over_400_lines() -> None:
    counts = _line_counts()
    over = {name: n for name, n in counts.items() if n > MAX_LINES}
    assert over == {}
