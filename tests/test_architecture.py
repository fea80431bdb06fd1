"""Imports between packages point one way, and no package reads another's queries."""

import ast
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"

# The domains from the bottom of the house up (docs/architecture.md). A module of a domain
# imports only its own package and those below it; only its routers also reach the
# workflows, which sit above every domain.
LAYERS = (
    "core",
    # Sends one message; knows nothing of who or why (the outbox decides both).
    "mail",
    "auth",
    "audit",
    "idempotency",
    "areas",
    "reference",
    "councils",
    "providers",
    "coops",
    "direct_payments",
    "representatives",
    # Below every domain whose changes it announces (ledger, governance, tenders, support
    # call `notify` at the point of change), above those whose tables it reads to resolve
    # who is told (co-ops' administrators, providers' staff, representatives with `view`).
    # Co-op and account events, which happen below it, are announced from the workflows.
    "notifications",
    "ledger",
    # Bank statements matched to the ledger's transactions.
    "bank",
    "governance",
    # Personal assistants, their timesheets and payroll (posted through the ledger).
    "employment",
    # Records with expiry dates, about members, workers and providers; tenders ask it who
    # may bid.
    "compliance",
    "tenders",
    "support",
    # Reads every domain that moves a holder's money to show the evidence behind it.
    "evidence",
    "stats",
    "me",
    "workflows",
    # The web pages: like the routers, they call services and workflows (and nothing imports
    # them but the app that mounts them).
    "web",
)
RANK = {name: rank for rank, name in enumerate(LAYERS)}

# Pairs allowed against the order, each with its reason. None today.
ALLOWED: set[tuple[str, str]] = set()


@dataclass(frozen=True, slots=True)
class Import:
    source: str
    target: str


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = APP.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(source: str, tree: ast.AST) -> list[Import]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(source, a.name) for a in node.names if a.name.startswith("app.")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module != "app" and not node.module.startswith("app."):
                continue
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                found.append(Import(source, whole if is_module(whole) else node.module))
    return found


def all_imports() -> list[Import]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        source = module_name(path)
        found += imports_of(source, ast.parse(path.read_text(encoding="utf-8")))
    return found


def package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in RANK) else None


def is_router(module: str) -> bool:
    return module.rsplit(".", 1)[-1].endswith("router")


def problem(found: Import) -> str | None:
    """Why this import points the wrong way, or None."""
    source, target = found.source, found.target
    mine, theirs = package(source), package(target)
    if theirs is None or mine == theirs or (source, target) in ALLOWED:
        return None
    if target.endswith(".repository"):
        return "reads another package's queries"
    if mine is None:
        return None  # main, api, cli: the top of the house, where routers are mounted
    if is_router(target):
        return "imports another package's router"
    if mine not in RANK or theirs not in RANK:
        return "a package missing from LAYERS"
    if theirs == "workflows":
        above = RANK[mine] > RANK["workflows"]
        return None if is_router(source) or above else "imports a workflow below the routers"
    if RANK[theirs] > RANK[mine]:
        return f"points up ({mine} is below {theirs})"
    return None


def test_imports_point_down_and_never_into_another_packages_queries() -> None:
    wrong = sorted(
        f"{found.source} -> {found.target}: {why}"
        for found in all_imports()
        if (why := problem(found)) is not None
    )
    assert wrong == []


def test_every_package_has_its_place() -> None:
    packages = {p.name for p in APP.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(LAYERS)


def test_the_check_sees_an_upward_import_a_reach_and_a_workflow_below_a_router() -> None:
    source = "from app.ledger import service as ledger\nfrom app.workflows import membership\n"
    wrong = [problem(i) for i in imports_of("app.coops.service", ast.parse(source))]
    assert wrong == ["points up (coops is below ledger)", "imports a workflow below the routers"]
    reach = imports_of("app.tenders.bids", ast.parse("from app.providers import repository\n"))
    assert [problem(i) for i in reach] == ["reads another package's queries"]
    mine = imports_of(
        "app.coops.members_router", ast.parse("from app.workflows import membership\n")
    )
    assert [problem(i) for i in mine] == [None]
