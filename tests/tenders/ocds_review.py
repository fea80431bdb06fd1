"""The OCDS data review tool (libcoveocds) run offline on a package, against the copy of the
standard kept beside this file (ocds-1.1.5/, with its notice)."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.tenders.ocds.packages import PAGINATION_EXTENSION

HERE = Path(__file__).resolve().parent
STANDARD_ZIP = HERE / "ocds-1.1.5" / "standard-1__1__5.zip"
OFFLINE = HERE / "ocds_offline.py"


def review(package: bytes, tmp_path: Path) -> dict[str, Any]:
    """The tool's report. It runs in a process of its own: it is a command-line tool, exits 0
    even when the data is invalid, and its own warnings are not this suite's business."""
    path = tmp_path / "package.json"
    path.write_bytes(package)
    completed = subprocess.run(  # noqa: S603 - a fixed command on a file the test wrote
        [sys.executable, str(OFFLINE), "--standard-zip", str(STANDARD_ZIP), str(path)],
        capture_output=True,
        check=True,
        cwd=tmp_path,
        timeout=120,
    )
    report: dict[str, Any] = json.loads(completed.stdout)
    return report


def assert_valid(package: bytes, tmp_path: Path, *, paged: bool = False) -> None:
    """Acceptable OCDS: no validation errors, no value outside a closed codelist, no
    conformance errors, and no field the core schema does not define.

    `paged` (the feed): its `links` are defined by the pagination extension it declares,
    which the tool cannot fetch offline (and would not apply to a package's own fields if it
    could): it is the one extension reported, and `links` the only field beyond the core.
    """
    report = review(package, tmp_path)
    assert report["validation_errors"] == [], report["validation_errors"]
    assert report["additional_closed_codelist_values"] == {}, report[
        "additional_closed_codelist_values"
    ]
    assert not report.get("conformance_errors"), report.get("conformance_errors")
    extra = {f"{f['path']}/{f['field_name']}" for f in report["all_additional_fields"]}
    if not paged:
        assert extra == set(), report["all_additional_fields"]
        return
    assert extra <= {"/links", "/links/next"}, report["all_additional_fields"]
    assert set(report["extensions"]["invalid_extension"]) == {PAGINATION_EXTENSION}
