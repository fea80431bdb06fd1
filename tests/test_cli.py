"""The command line, run as an operator would, against a fresh SQLite database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import migrate
from app.core.config import Settings
from app.core.ops import PROJECT_ROOT


def run_cli(
    *args: str, env: dict[str, str], cwd: Path = PROJECT_ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "app.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def migrated(env: dict[str, str]) -> None:
    """The database of `env` migrated in this process: for tests where migrating only
    arranges (starting the command line costs seconds; `migrate` itself is run as a command
    in the tests about it)."""
    migrate(Settings(database_url=env["DPC_DATABASE_URL"]))


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DPC_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DPC_ADMIN_PASSWORD": "an admin password that is long",
    }


def test_migrate_then_create_admin_makes_a_platform_admin_who_can_log_in(
    cli_env: dict[str, str],
) -> None:
    migrated = run_cli("migrate", env=cli_env)
    assert migrated.returncode == 0, migrated.stderr
    created = run_cli("create-admin", "--email", "Admin@Example.org", env=cli_env)
    assert created.returncode == 0, created.stderr
    assert "admin@example.org" in created.stdout
    again = run_cli("create-admin", "--email", "admin@example.org", env=cli_env)
    assert again.returncode == 0, again.stderr

    import sqlite3

    db = sqlite3.connect(cli_env["DPC_DATABASE_URL"].removeprefix("sqlite:///"))
    try:
        rows = db.execute(
            "SELECT email, is_platform_admin, password_hash FROM user_account"
        ).fetchall()
    finally:
        db.close()
    assert len(rows) == 1
    email, is_admin, password_hash = rows[0]
    assert email == "admin@example.org"
    assert is_admin == 1
    assert password_hash.startswith("$argon2id$")


def test_the_worker_runs_a_pass_and_says_what_it_did(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, "DPC_MAIL_DIR": str(tmp_path / "mail")}
    migrated(env)
    assert run_cli("create-admin", "--email", "admin@example.org", env=env).returncode == 0
    worked = run_cli("worker", "--once", env=env)
    assert worked.returncode == 0, worked.stderr
    assert "closed 0 proposals, confirmed 0 visits, announced 0, sent 0 e-mails" in worked.stdout
    empty = {**cli_env, "DPC_DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    refused = run_cli("worker", "--once", env=empty)
    assert refused.returncode == 1
    assert "migrate" in refused.stderr


def test_a_short_admin_password_is_refused(cli_env: dict[str, str]) -> None:
    migrated(cli_env)
    result = run_cli(
        "create-admin", "--email", "a@example.org", env={**cli_env, "DPC_ADMIN_PASSWORD": "short"}
    )
    assert result.returncode == 2
    assert "12 characters" in result.stderr


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # a sentence, not a traceback
    assert "Traceback" not in result.stderr
    return lines[0]


def _elsewhere(env: dict[str, str]) -> dict[str, str]:
    """Run from another directory, importing this tree as an installed package would be."""
    return {**env, "PYTHONPATH": str(PROJECT_ROOT)}


def test_demo_data_is_refused_in_production(cli_env: dict[str, str]) -> None:
    migrated(cli_env)
    production = {
        **cli_env,
        "DPC_ENV": "production",
        "DPC_SECRET_KEY": "p" * 48,
        "DPC_SMTP_URL": "smtp://127.0.0.1:2525",
        "DPC_PUBLIC_BASE_URL": "https://care.example.org",
    }
    line = _one_line(run_cli("demo", env=production))
    assert "production" in line
    import sqlite3

    db = sqlite3.connect(cli_env["DPC_DATABASE_URL"].removeprefix("sqlite:///"))
    try:
        assert db.execute("SELECT count(*) FROM provider").fetchone() == (0,)
    finally:
        db.close()


def test_production_without_a_secret_key_is_one_line(cli_env: dict[str, str]) -> None:
    env = {k: v for k, v in cli_env.items() if k != "DPC_SECRET_KEY"}
    line = _one_line(run_cli("demo", env={**env, "DPC_ENV": "production"}))
    assert "DPC_SECRET_KEY" in line


def test_create_admin_before_migrate_says_what_to_do(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    line = _one_line(run_cli("create-admin", "--email", "a@example.org", env=cli_env))
    assert "has no schema yet" in line
    assert "python -m app.cli migrate" in line
    assert not (tmp_path / "cli.sqlite3").exists()  # nothing made on the way


def test_create_admin_in_an_empty_database_says_what_to_do(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    import sqlite3

    sqlite3.connect(tmp_path / "cli.sqlite3").close()
    line = _one_line(run_cli("create-admin", "--email", "a@example.org", env=cli_env))
    assert "has no schema yet" in line


@pytest.mark.parametrize("command", ["migrate", "create-admin", "purge-expired"])
def test_an_unreachable_database_is_one_line_without_its_password(
    cli_env: dict[str, str], command: str
) -> None:
    env = {**cli_env, "DPC_DATABASE_URL": "postgresql://someone:hunter2@127.0.0.1:9/dpc"}
    args = [command, "--email", "a@example.org"] if command == "create-admin" else [command]
    line = _one_line(run_cli(*args, env=env))
    assert line.startswith(f"python -m app.cli {command}: cannot reach the database at ")
    assert "127.0.0.1:9/dpc" in line
    assert "hunter2" not in line


def test_migrate_and_create_admin_work_from_any_directory(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _elsewhere(cli_env)
    migrated = run_cli("migrate", env=env, cwd=elsewhere)
    assert migrated.returncode == 0, migrated.stderr
    created = run_cli("create-admin", "--email", "a@example.org", env=env, cwd=elsewhere)
    assert created.returncode == 0, created.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_complete_venv_starts_without_the_package_index(tmp_path: Path) -> None:
    """scripts/install (run by scripts/serve) reaches pip only when the lock, pyproject.toml
    or the Python changed since the last install: the second start never calls pip."""
    import shutil

    tree = tmp_path / "tree"
    (tree / "scripts").mkdir(parents=True)
    for name in ("requirements.lock", "requirements-dev.lock", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, tree / name)
    shutil.copy(PROJECT_ROOT / "scripts" / "install", tree / "scripts" / "install")
    calls = tmp_path / "pip-calls"
    fake = tree / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-VV" ]; then echo "Python 3.11.9 (fake)"; exit 0; fi\n'
        f'echo "$@" >> "{calls}"\n'
        'exit "${PIP_FAILS:-0}"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)

    def install(*extra: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - the project's own script
            [str(tree / "scripts" / "install"), "requirements.lock", *extra],
            env={**os.environ, "PYTHON": sys.executable, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    first = install()
    assert first.returncode == 0, first.stderr
    assert len(calls.read_text().splitlines()) == 2  # the lock, then the project
    offline = {"PIP_FAILS": "1", "PIP_INDEX_URL": "http://127.0.0.1:9/"}
    again = install("requirements-dev.lock", **offline)
    assert again.returncode == 0, again.stderr
    assert len(calls.read_text().splitlines()) == 2  # pip was not asked again
    (tree / "requirements.lock").write_text("changed\n", encoding="utf-8")
    changed = install(**offline)
    assert changed.returncode != 0  # a changed lock does reach pip
    assert len(calls.read_text().splitlines()) == 3


def test_the_readme_docs_and_openapi_stand_alone() -> None:
    """A clone has nothing beside it: nothing it reads or points readers to is outside it."""
    import json
    import re

    from app.main import create_app

    texts = {
        str(path.relative_to(PROJECT_ROOT)): path.read_text(encoding="utf-8")
        for path in [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
    }
    texts["openapi"] = json.dumps(create_app().openapi())
    texts.update(
        {
            str(path.relative_to(PROJECT_ROOT)): path.read_text(encoding="utf-8")
            for path in (PROJECT_ROOT / "app").rglob("*.py")
        }
    )
    outside = {name for name, text in texts.items() if re.search(r"\.\./shared|SPEC\.md", text)}
    assert outside == set()
    assert not re.search(r"\bSPEC\b", texts["openapi"])


def test_every_setting_the_scripts_read_is_in_the_readme() -> None:
    import re

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    scripts = (PROJECT_ROOT / "scripts" / "serve").read_text(encoding="utf-8")
    scripts += (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    for name in sorted(set(re.findall(r"\bDPC_[A-Z_]+", scripts))):
        assert f"`{name}`" in readme, name
