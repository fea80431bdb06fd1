"""The OCDS data review tool (libcoveocds) run offline on a package, against the copy of the
standard kept beside this file (ocds-1.1.5/, with its notice)."""

import atexit
import json
import select
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

from app.tenders.ocds.packages import PAGINATION_EXTENSION

HERE = Path(__file__).resolve().parent
STANDARD_ZIP = HERE / "ocds-1.1.5" / "standard-1__1__5.zip"
OFFLINE = HERE / "ocds_offline.py"
ANSWER_SECONDS = 120


@cache
def _reviewer() -> "subprocess.Popen[str]":
    """The tool, in a process of its own that stays up for the worker's whole run: it is a
    command-line tool, its own warnings are not this suite's business, and starting it (some
    half a second) cost more than reviewing a package."""
    process = subprocess.Popen(  # noqa: S603 - a fixed command; it reads files the tests wrote
        [sys.executable, str(OFFLINE), "--standard-zip", str(STANDARD_ZIP), "--serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    atexit.register(_stop, process)
    return process


def _stop(process: "subprocess.Popen[str]") -> None:
    if process.stdin is not None:
        process.stdin.close()
    process.wait(timeout=30)


def review(package: bytes, tmp_path: Path) -> dict[str, Any]:
    """The tool's report on `package` (it exits 0, and reports, even when the data is
    invalid)."""
    path = tmp_path / "package.json"
    path.write_bytes(package)
    process = _reviewer()
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(f"{path}\n")
    process.stdin.flush()
    ready, _, _ = select.select([process.stdout], [], [], ANSWER_SECONDS)
    if not ready:
        # Its late answer would be read as the next package's: the next review starts a new one.
        process.kill()
        _reviewer.cache_clear()
        raise TimeoutError(f"the OCDS reviewer did not answer within {ANSWER_SECONDS} s")
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"the OCDS reviewer ended (exit status {process.poll()})")
    report: dict[str, Any] = json.loads(line)
    if "error" in report and len(report) == 1:
        raise RuntimeError(f"the OCDS reviewer failed on {path}:\n{report['error']}")
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
