"""Every answer the suite's in-process client receives is one the OpenAPI promises: its status
is documented for the operation, its content type is one documented for that status, and a
JSON body is valid against the documented schema (formats included).

The stories, the matrix and the checks of each domain then prove the contract along the way,
on every call they make, not only where a test looks at a field. Only the service's own
operations are checked (its published OpenAPI, built once): an address no operation has (a
404 for a path that does not exist, a test's own route, a web page) is not one of them.
"""

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx
import jsonschema_rs

from app.core.config import Settings
from app.main import create_app

JSON_TYPES = ("application/json", "application/problem+json")


@dataclass
class Contract:
    document: dict[str, Any]
    # (template, its pattern), fewest parameters first: `/members/me` before `/members/{id}`.
    templates: list[tuple[str, re.Pattern[str]]] = field(default_factory=list)
    validators: dict[tuple[str, str, str, str], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ordered = sorted(self.document["paths"], key=lambda template: template.count("{"))
        self.templates = [
            (template, re.compile(re.sub(r"\{[^}/]+\}", "[^/]+", template))) for template in ordered
        ]

    def template_of(self, path: str) -> str | None:
        return next((t for t, pattern in self.templates if pattern.fullmatch(path)), None)

    def problems(
        self, method: str, path: str, status: int, content_type: str, body: bytes
    ) -> list[str]:
        template = self.template_of(path)
        if template is None:
            return []
        operation = self.document["paths"][template].get(method.lower())
        if operation is None:
            return []  # a method the address does not have: 405, not an operation's answer
        responses = operation.get("responses", {})
        documented = responses.get(str(status)) or responses.get("default")
        if documented is None:
            return [f"status {status} is not documented (only {', '.join(responses)})"]
        content = documented.get("content")
        if not content or not body:
            return []
        if content_type not in content:
            return [f"content type {content_type!r} is not documented (only {', '.join(content)})"]
        schema = content[content_type].get("schema")
        if content_type not in JSON_TYPES or not schema:
            return []
        key = (template, method, str(status), content_type)
        if key not in self.validators:
            rooted = {**schema, "components": self.document.get("components", {})}
            self.validators[key] = jsonschema_rs.validator_for(rooted, validate_formats=True)
        try:
            answer = json.loads(body)
        except ValueError:
            return ["the body is not JSON"]
        return [
            f"{'/'.join(str(part) for part in error.instance_path) or 'body'}: {error.message}"
            for error in self.validators[key].iter_errors(answer)
        ][:3]


@cache
def contract() -> Contract:
    """The published OpenAPI (no database is opened to build it)."""
    app = create_app(
        Settings(env="test", database_url="sqlite+aiosqlite:///unused-by-the-contract.sqlite3")
    )
    return Contract(app.openapi())


async def check_answer(response: httpx.Response) -> None:
    """An httpx response hook: the answer is one the OpenAPI promises, or the test fails."""
    await response.aread()
    request = response.request
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    found = contract().problems(
        request.method, request.url.path, response.status_code, content_type, response.content
    )
    if found:
        raise AssertionError(
            f"{request.method} {request.url.path} answered {response.status_code} off its "
            f"OpenAPI: " + "; ".join(found) + f"\n{response.text[:500]}"
        )


# The hooks of a client whose every answer is checked: `httpx.AsyncClient(event_hooks=CHECKED)`.
CHECKED: dict[str, list[Callable[[httpx.Response], Awaitable[None]]]] = {"response": [check_answer]}
