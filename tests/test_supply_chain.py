"""Installs are reproducible: every package comes pinned and hashed from a lock file.

The locks are made by scripts/lock (pip-compile) from pyproject.toml; the Dockerfile and the
scripts install only from them, and scripts/install skips the index when nothing changed.
"""

import json
import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from app.core.ops import PROJECT_ROOT

RUNTIME = PROJECT_ROOT / "requirements.lock"
DEV = PROJECT_ROOT / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: Path) -> dict[str, Version]:
    """name -> version, checking that every requirement is exact and carries a hash."""
    found: dict[str, Version] = {}
    text = lock.read_text()
    assert "--index-url" not in text
    assert "--extra-index-url" not in text
    assert "--find-links" not in text
    entries = re.split(r"\n(?=\S)", text)
    for entry in entries:
        line = entry.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"{lock.name}: not an exact pin: {line[:80]}"
        assert "--hash=sha256:" in entry, f"{lock.name}: {match[1]} has no hash"
        name = canonicalize_name(match[1])
        assert name not in found, f"{lock.name}: {name} twice"
        found[name] = Version(match[2])
    return found


def project() -> dict[str, list[str]]:
    data = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    return {
        "runtime": data["project"]["dependencies"],
        "dev": data["project"]["optional-dependencies"]["dev"],
        "build": data["build-system"]["requires"],
    }


def test_every_dependency_is_pinned_hashed_and_within_its_range() -> None:
    runtime, dev = pins(RUNTIME), pins(DEV)
    declared = project()
    for lock, names in (
        (runtime, declared["runtime"] + declared["build"]),
        (dev, declared["runtime"] + declared["dev"] + declared["build"]),
    ):
        for spec in names:
            requirement = Requirement(spec)
            name = canonicalize_name(requirement.name)
            assert name in lock, f"{name} is not locked"
            assert lock[name] in requirement.specifier, (name, lock[name], requirement)


def test_the_tests_run_on_exactly_what_production_runs_on() -> None:
    runtime, dev = pins(RUNTIME), pins(DEV)
    assert set(runtime) <= set(dev)
    differing = {name: (v, dev[name]) for name, v in runtime.items() if dev[name] != v}
    assert not differing


def test_every_install_goes_through_the_hashed_locks() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert "--no-deps --no-build-isolation ." in dockerfile
    installer = (PROJECT_ROOT / "scripts" / "install").read_text()
    assert '--require-hashes -r "$lock"' in installer
    assert "--no-deps" in installer
    for script in ("serve", "test"):
        text = (PROJECT_ROOT / "scripts" / script).read_text()
        assert "pip install" not in text, script
        assert "scripts/install requirements" in text, script
    assert "scripts/audit requirements-dev.lock" in (PROJECT_ROOT / "scripts" / "test").read_text()
    assert (PROJECT_ROOT / ".ci" / "run").read_text().rstrip().endswith("exec scripts/test")


FAKE_PYTHON = """#!/bin/sh
# Stands in for .venv/bin/python: says which Python it is, and logs every pip call.
if [ "$1" = "-VV" ]; then echo "Python 3.11.7 (fake)"; exit 0; fi
echo "$*" >> "$(dirname "$0")/../../pip.log"
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the scripts and the locks, with a .venv whose python only logs pip calls."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(PROJECT_ROOT / "scripts" / "install", tmp_path / "scripts" / "install")
    for name in ("pyproject.toml", "requirements.lock", "requirements-dev.lock"):
        shutil.copy2(PROJECT_ROOT / name, tmp_path / name)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    return tmp_path


def install(checkout: Path, *locks: str) -> list[str]:
    log = checkout / "pip.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "PIP_INDEX_URL": "http://127.0.0.1:9/unreachable"}
    subprocess.run(  # noqa: S603
        ["bash", str(checkout / "scripts" / "install"), *locks],  # noqa: S607
        check=True,
        env=env,
        capture_output=True,
    )
    return log.read_text().splitlines() if log.exists() else []


def test_a_complete_venv_is_not_reinstalled(checkout: Path) -> None:
    first = install(checkout, "requirements.lock", "requirements-dev.lock")
    assert any("--require-hashes -r requirements.lock" in call for call in first), first
    assert any("--no-deps" in call and "-e ." in call for call in first), first
    # The second start touches neither pip nor the index.
    assert install(checkout, "requirements.lock", "requirements-dev.lock") == []
    # The tests' install (the development lock) also serves the service unchanged...
    assert install(checkout, "requirements-dev.lock") != []
    assert install(checkout, "requirements.lock", "requirements-dev.lock") == []
    # ...until a lock changes: then, and only then, it installs again.
    with (checkout / "requirements-dev.lock").open("a") as lock:
        lock.write("# changed\n")
    again = install(checkout, "requirements.lock", "requirements-dev.lock")
    assert any("--require-hashes -r requirements.lock" in call for call in again), again
    assert install(checkout, "requirements.lock", "requirements-dev.lock") == []


FAKE_AUDIT = """#!/bin/sh
# Stands in for pip-audit: writes the report it is given in $REPORT where --output says.
while [ $# -gt 0 ]; do
  if [ "$1" = "--output" ]; then cp "$REPORT" "$2"; fi
  shift
done
exit "$EXIT"
"""


@pytest.mark.parametrize(
    ("dependencies", "exit_code", "passes"),
    [
        ([{"name": "a", "version": "1", "vulns": []}], 0, True),
        (
            [{"name": "a", "version": "1", "vulns": [{"id": "PYSEC-1", "fix_versions": ["2"]}]}],
            1,
            False,
        ),
        # Advisory data for some packages only: what could not be checked fails the run.
        (
            [{"name": "a", "version": "1", "vulns": []}, {"name": "b", "skip_reason": "x"}],
            0,
            False,
        ),
        # None reachable at all: nothing checked, the run says so and goes on.
        ([{"name": "a", "skip_reason": "x"}, {"name": "b", "skip_reason": "x"}], 0, True),
        # pip-audit broke without a report (not for want of a network): the run fails.
        (None, 2, False),
    ],
)
def test_the_audit_fails_on_a_known_vulnerability(
    tmp_path: Path, dependencies: list[dict[str, object]] | None, exit_code: int, passes: bool
) -> None:
    fake = tmp_path / "pip-audit"
    fake.write_text(FAKE_AUDIT)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    report = tmp_path / "report.json"
    report.write_text(
        "" if dependencies is None else json.dumps({"dependencies": dependencies, "fixes": []})
    )
    env = {**os.environ, "PIP_AUDIT": str(fake), "REPORT": str(report), "EXIT": str(exit_code)}
    result = subprocess.run(  # noqa: S603
        ["bash", str(PROJECT_ROOT / "scripts" / "audit")],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode == 0) is passes, result.stdout + result.stderr
    if not passes and any(d.get("vulns") for d in dependencies or []):
        assert "VULNERABLE a 1: PYSEC-1" in result.stdout
