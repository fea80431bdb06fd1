"""The published contract does not move: paths, methods, parameters, bodies, responses and
component schemas are compared with a committed snapshot. Operation ids are left out (they
name client methods, not the wire), and so are the names the framework derives from them
(the `Body_<operation id>` schemas of form bodies and the `Response <operation id>` titles
of inline answers), which are renamed after their route.

To regenerate after an intended change to the contract:
    DPC_WRITE_OPENAPI_SNAPSHOT=1 python -m pytest -n 0 tests/core/test_openapi_snapshot.py
"""

import json
import os
from pathlib import Path
from typing import Any

from app.main import create_app
from tests.conftest import make_test_settings

SNAPSHOT = Path(__file__).resolve().parent.parent / "openapi_snapshot.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BODY_REF = "#/components/schemas/Body_"


def published_openapi(tmp_path: Path) -> dict[str, Any]:
    app = create_app(make_test_settings(f"sqlite+aiosqlite:///{tmp_path / 'openapi.db'}"))
    return app.openapi()


def contract_shape(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without operation ids, with derived body schema names made stable."""
    paths = json.loads(json.dumps(schema["paths"]))
    components = json.loads(json.dumps(schema.get("components", {})))
    renames: dict[str, str] = {}
    for path, item in paths.items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            operation.pop("operationId", None)
            for status, response in operation.get("responses", {}).items():
                for media_type, media in response.get("content", {}).items():
                    inline = media.get("schema", {})
                    if str(inline.get("title", "")).startswith("Response "):
                        inline["title"] = f"Response[{method.upper()} {path} {status} {media_type}]"
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                if ref.startswith(BODY_REF):
                    renames[ref.removeprefix("#/components/schemas/")] = (
                        f"Body[{method.upper()} {path}]"
                    )
    text = json.dumps({"paths": paths, "components": components}, sort_keys=True)
    for old, new in sorted(renames.items(), key=lambda pair: -len(pair[0])):
        text = text.replace(f'"{old}"', f'"{new}"').replace(f'/{old}"', f'/{new}"')
    shape: dict[str, Any] = json.loads(text)
    return shape


def test_the_contract_matches_its_snapshot(tmp_path: Path) -> None:
    live = contract_shape(published_openapi(tmp_path))
    if os.environ.get("DPC_WRITE_OPENAPI_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(live, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert sorted(live["paths"]) == sorted(recorded["paths"])
    for path, item in recorded["paths"].items():
        assert sorted(live["paths"][path]) == sorted(item), path
        for method, operation in item.items():
            assert live["paths"][path][method] == operation, (method, path)
    assert sorted(live["components"]["schemas"]) == sorted(recorded["components"]["schemas"])
    assert live["components"] == recorded["components"]


def test_the_snapshot_is_not_empty() -> None:
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    operations = [m for item in recorded["paths"].values() for m in item if m in METHODS]
    assert len(operations) > 50
    assert "Problem" in recorded["components"]["schemas"]
    assert not any(
        "operationId" in op for item in recorded["paths"].values() for op in item.values()
    )
