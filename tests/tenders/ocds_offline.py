"""libcoveocds, run with no network: the standard's schemas come from the copy kept beside this
file (ocds-1.1.5/standard-1__1__5.zip), and any other address is refused at once.

The tool reads the package schemas from the zip itself, but a record package's schema refers
to the versioned release schema by its address on the standard's site, which it would fetch.
Run as a script: `python ocds_offline.py --standard-zip <zip> <file>` (the tool's own options).
"""

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import requests

STANDARD = "https://standard.open-contracting.org/schema/1__1__5/"


class _Answer:
    status_code = 200

    def __init__(self, content: bytes) -> None:
        self.content = content

    def raise_for_status(self) -> None:
        return None

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self.content, **kwargs)


def main() -> None:
    zip_path = Path(sys.argv[sys.argv.index("--standard-zip") + 1])
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

    requests.get = get  # type: ignore[assignment]
    requests.Session.get = lambda _self, url, *a, **k: get(url)  # type: ignore[assignment,method-assign]

    # Imported only now, so that the tool finds the patched functions.
    from libcoveocds.__main__ import main as review

    review()


if __name__ == "__main__":
    main()
