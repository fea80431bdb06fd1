"""Operation ids are what generated clients name their methods: `<tag>-<function name>`,
readable and unique across the whole API."""

import re
from collections import Counter
from pathlib import Path

from tests.core.test_openapi_snapshot import METHODS, published_openapi

READABLE = re.compile(r"^[a-z][a-z_-]*-[a-z][a-z0-9_]*$")


def test_operation_ids_are_the_tag_and_the_function_name(tmp_path: Path) -> None:
    schema = published_openapi(tmp_path)
    ids = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            op_id = operation["operationId"]
            ids.append(op_id)
            assert READABLE.match(op_id), (method, path, op_id)
            tag = re.sub(r"[^a-z0-9]+", "_", operation["tags"][0].lower())
            assert op_id.startswith(f"{tag}-"), (method, path, op_id)
            assert "api_v1" not in op_id, op_id
            assert not op_id.endswith(f"_{method}"), op_id
    assert "tenders-submit_bid" in ids
    duplicates = [op_id for op_id, count in Counter(ids).items() if count > 1]
    assert duplicates == []
