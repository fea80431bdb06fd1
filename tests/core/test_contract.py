"""The check every in-process answer of the suite goes through (tests.contract) finds what it
is there to find: an undocumented status, an undocumented content type, a body off its
schema; and lets a documented answer, and an address that is no operation, pass."""

import json

from tests.contract import contract

PROBLEM = json.dumps(
    {
        "type": "https://dpc.cymru/problems/not_authenticated",
        "title": "Not authenticated",
        "status": 401,
        "detail": "Sign in first.",
        "code": "not_authenticated",
    }
).encode()


def test_a_documented_answer_passes() -> None:
    problems = contract().problems("GET", "/api/v1/me", 401, "application/problem+json", PROBLEM)
    assert problems == []


def test_an_undocumented_status_is_found() -> None:
    (problem,) = contract().problems("GET", "/api/v1/me", 409, "application/problem+json", PROBLEM)
    assert problem.startswith("status 409 is not documented")


def test_an_undocumented_content_type_is_found() -> None:
    (problem,) = contract().problems("GET", "/api/v1/me", 401, "text/html", b"<p>no</p>")
    assert "content type 'text/html' is not documented" in problem


def test_a_body_off_its_schema_is_found() -> None:
    body = json.dumps({**json.loads(PROBLEM), "status": "401"}).encode()
    (problem,) = contract().problems("GET", "/api/v1/me", 401, "application/problem+json", body)
    assert problem.startswith("status: ")


def test_an_address_that_is_no_operation_is_not_checked() -> None:
    assert contract().problems("GET", "/api/v1/nowhere", 404, "text/html", b"x") == []
    assert contract().problems("PATCH", "/api/v1/me/", 404, "text/html", b"x") == []


def test_a_literal_address_is_its_own_operation_not_a_parameter() -> None:
    assert contract().template_of("/api/v1/providers/import") == "/api/v1/providers/import"
    assert contract().template_of("/api/v1/providers/42") == "/api/v1/providers/{provider_id}"
