"""libcoveocds, run with no network: the standard's schemas come from the copy kept beside this
file (ocds-1.1.5/standard-1__1__5.zip), and any other address is refused at once.

The tool reads the package schemas from the zip itself, but a record package's schema refers
to the versioned release schema by its address on the standard's site, which it would fetch.

Run as a script, either once on a file, with the tool's own options:
    python ocds_offline.py --standard-zip <zip> <file>
or as a reviewer that stays up (`--serve`): each line read on stdin names a file, and each is
answered with one line on stdout, the tool's report as JSON (or {"error": ...} when the tool
failed on it). Starting the tool costs more than reviewing a package: the suite keeps one
reviewer a worker (tests/tenders/ocds_review.py).
"""

import json
import shutil
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path
from typing import Any

import requests
import requests.adapters

STANDARD = "https://standard.open-contracting.org/schema/1__1__5/"


class _Answer:
    status_code = 200

    def __init__(self, content: bytes) -> None:
        self.content = content

    def raise_for_status(self) -> None:
        return None

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self.content, **kwargs)


def _offline(zip_path: Path) -> None:
    """Answer the standard's schema addresses from the zip; refuse every other address."""
    with zipfile.ZipFile(zip_path) as archive:
        schemas = {
            name.split("/schema/", 1)[1]: archive.read(name)
            for name in archive.namelist()
            if "/schema/" in name and not name.endswith("/")
        }

    def get(url: str, *_args: Any, **_kwargs: Any) -> _Answer:
        if url.startswith(STANDARD) and url[len(STANDARD) :] in schemas:
            return _Answer(schemas[url[len(STANDARD) :]])
        raise requests.ConnectionError(f"offline: {url} is not fetched")

    def refuse(
        _adapter: Any, request: requests.PreparedRequest, *_args: Any, **_kwargs: Any
    ) -> Any:
        raise requests.ConnectionError(f"offline: {request.url} is not fetched")

    requests.get = get  # type: ignore[assignment]
    requests.Session.get = lambda _self, url, *a, **k: get(url)  # type: ignore[assignment,method-assign]
    # Sessions that bring a `get` of their own (the extension registry's cached one) reach the
    # network through the transport: it refuses every address (without it, a package naming an
    # extension waited seconds for a name lookup that cannot succeed offline).
    requests.adapters.HTTPAdapter.send = refuse  # type: ignore[assignment,method-assign]


def _serve(zip_path: Path) -> None:
    """One report a line, for each file named a line, until stdin ends. The report is what the
    command line prints (`libcoveocds.__main__.main` with the same configuration)."""
    # Imported only now, so that the tool finds the patched functions.
    import libcoveocds.api
    from libcoveocds.__main__ import SetEncoder
    from libcoveocds.config import LibCoveOCDSConfig

    # The answers alone go to stdout: anything the tool itself prints goes to stderr.
    answers, sys.stdout = sys.stdout, sys.stderr
    for line in sys.stdin:
        filename = line.rstrip("\n")
        config = LibCoveOCDSConfig()
        config.config["standard_zip"] = f"file://{zip_path}"
        config.config["additional_checks"] = "all"
        config.config["skip_aggregates"] = False
        config.config["context"] = "api"
        output_dir = tempfile.mkdtemp(prefix="lib-cove-ocds-serve-")
        try:
            answer = json.dumps(
                libcoveocds.api.ocds_json_output(
                    output_dir, filename, None, convert=False, lib_cove_ocds_config=config
                ),
                cls=SetEncoder,
            )
        except Exception:  # the report says what failed; the reviewer stays up for the next
            answer = json.dumps({"error": traceback.format_exc()})
        finally:
            shutil.rmtree(output_dir, ignore_errors=True)
        answers.write(answer + "\n")
        answers.flush()


def main() -> None:
    zip_path = Path(sys.argv[sys.argv.index("--standard-zip") + 1])
    _offline(zip_path)
    if "--serve" in sys.argv:
        _serve(zip_path)
        return
    from libcoveocds.__main__ import main as review

    review()


if __name__ == "__main__":
    main()
