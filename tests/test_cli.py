"""The command line, run as an operator would, against a fresh SQLite database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.ops import PROJECT_ROOT


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "app.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


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


def test_a_short_admin_password_is_refused(cli_env: dict[str, str]) -> None:
    run_cli("migrate", env=cli_env)
    result = run_cli(
        "create-admin", "--email", "a@example.org", env={**cli_env, "DPC_ADMIN_PASSWORD": "short"}
    )
    assert result.returncode == 2
    assert "12 characters" in result.stderr
