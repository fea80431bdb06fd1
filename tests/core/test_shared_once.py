"""Pieces every domain uses are written once, in app/core or app/auth, and nowhere else."""

import re
from pathlib import Path

import app

APP = Path(app.__file__).resolve().parent


def _modules_matching(pattern: str) -> list[str]:
    found = re.compile(pattern, re.MULTILINE)
    return sorted(
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if found.search(path.read_text(encoding="utf-8"))
    )


def test_scoped_actors_are_defined_once() -> None:
    assert _modules_matching(r"def acting_for\(") == ["auth/dependencies.py"]
    # A page acting for a holder asks the API's own rule (web/acting.py), never a copy of it.
    assert _modules_matching(r"acting_for\(") == ["auth/dependencies.py", "web/acting.py"]
    assert _modules_matching(r"^\w+Actor = Annotated\[Actor, Depends\(acting_for") == [
        "auth/dependencies.py"
    ]


def test_json_or_csv_is_decided_in_one_place() -> None:
    assert _modules_matching(r"\bwants_csv\(") == ["core/csv_answer.py"]
    # The payroll bureau's file and a council page's download link are CSV whatever is asked
    # (nothing to decide), so their routes build a CSV answer themselves; every answer that may
    # be either is decided in core.
    assert _modules_matching(r"\bcsv_response\(") == [
        "core/csv_answer.py",
        "employment/payroll_router.py",
        "web/council_holders_router.py",
        "web/council_router.py",
    ]


def test_the_areas_file_is_read_in_one_place() -> None:
    assert _modules_matching(r"areas\.csv|DictReader") == ["core/area_list.py"]


def test_stored_answers_are_built_in_one_place() -> None:
    """The first answer to an idempotent request and its replays are one builder's bytes."""
    assert _modules_matching(r"class IdempotentReplay\b") == ["core/replay.py"]
    assert _modules_matching(r'status_code=\w+, media_type="application/json"') == [
        "core/replay.py"
    ]


def test_disclosure_control_is_core() -> None:
    from app.core import disclosure

    assert not (APP / "stats" / "disclosure.py").exists()
    assert not re.search(r"^from app\.(?!core)", Path(disclosure.__file__).read_text(), re.M)
