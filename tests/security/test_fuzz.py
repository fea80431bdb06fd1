"""Schemathesis, in process, against the app's own OpenAPI: no 5xx, no answer off-schema.

The fuzzed app runs on each backend with a database of its own (it commits for real), and is
called as a platform admin and as an ordinary user so that both the refusal paths and the
work itself are exercised. Each example is generated once and sent to every backend's app
(generating is half the cost of fuzzing, and the examples were the same on both anyway).
"""

import asyncio
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from requests.structures import CaseInsensitiveDict
from schemathesis.core.result import Ok
from schemathesis.python import asgi

from app.cli import create_admin
from app.main import create_app
from tests.conftest import (
    BACKENDS,
    IN_CI,
    POSTGRES_URL,
    ensure_database,
    make_test_settings,
    postgres_problem,
    suite_database_name,
)
from tests.helpers import migrated_database_url, ok

ADMIN_EMAIL = "fuzz-admin@example.org"
PASSWORD = "fuzzing password 123"
LOGOUT_EMAIL = "fuzz-logout@example.org"
USER_EMAIL = "fuzz-user@example.org"
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


# Access tokens live 15 minutes and the fuzzing spans the whole run: logins older than this
# are opened again, or every call after them would be fuzzing only the refusal of a stale token.
LOGIN_KEPT_SECONDS = 10 * 60


@dataclass
class Target:
    """One backend's fuzzed app, and the logins it is called with."""

    backend: str
    app: FastAPI
    _headers: dict[str, dict[str, str]] = field(default_factory=dict)
    _signed_in_at: float = float("-inf")

    @property
    def headers(self) -> dict[str, dict[str, str]]:
        """A live login for each role (admin and user)."""
        if time.monotonic() - self._signed_in_at > LOGIN_KEPT_SECONDS:
            self._headers = {
                "admin": {"Authorization": f"Bearer {_login(self.app, ADMIN_EMAIL)}"},
                "user": {"Authorization": f"Bearer {_login(self.app, USER_EMAIL)}"},
            }
            self._signed_in_at = time.monotonic()
        return self._headers


async def _fuzz_database_url(backend: str, tmp: Path) -> str | None:
    """A database of its own on `backend`, migrated; None when PostgreSQL cannot be reached
    outside CI (test_every_backend_is_fuzzed then skips, saying why)."""
    if backend == "sqlite":
        return await migrated_database_url("sqlite+aiosqlite:///", suffix="fuzz", tmp_dir=tmp)
    if await postgres_problem(POSTGRES_URL) is not None:
        return None
    worker = suite_database_name(POSTGRES_URL, os.environ.get("PYTEST_XDIST_WORKER"))
    base = await ensure_database(POSTGRES_URL, worker)
    return await migrated_database_url(base, suffix="fuzz", tmp_dir=tmp)


@pytest.fixture(scope="session")
def fuzz_targets(tmp_path_factory: pytest.TempPathFactory) -> list[Target]:
    targets = []
    for backend in BACKENDS:
        url = asyncio.run(_fuzz_database_url(backend, tmp_path_factory.mktemp(f"fuzz-{backend}")))
        if url is None:
            if IN_CI:
                pytest.fail(f"PostgreSQL is required in CI but unreachable at {POSTGRES_URL}")
            continue
        app = _fuzz_app(url)
        _register(app, USER_EMAIL)
        targets.append(Target(backend, app))
    return targets


def _fuzz_app(url: str) -> FastAPI:
    settings = make_test_settings(url)
    asyncio.run(create_admin(settings, email=ADMIN_EMAIL, password=PASSWORD, full_name="Fuzz"))
    # Every call reaches the app through schemathesis's ASGI client, which runs all apps on one
    # event loop of its own: the pool's connections stay on that loop, and are kept between
    # calls (a fresh PostgreSQL connection per call had cost some two fifths of its time).
    return create_app(settings)


def client_of(app: FastAPI) -> Any:
    """schemathesis's ASGI client for `app`. (schemathesis types an ASGI app's scope and
    messages as dicts, FastAPI as mutable mappings: the same protocol, spelt two ways.)"""
    return asgi.get_client(app)  # type: ignore[arg-type]


def _register(app: FastAPI, email: str) -> None:
    ok(
        client_of(app).post(
            "/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "full_name": "Fuzz User"},
        )
    )


def _login(app: FastAPI, email: str) -> str:
    response = client_of(app).post(
        "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


# Operations whose schema-valid bodies can still break a rule no schema can state; for them a
# 422 is a right answer to positive data. Everything else must accept what its schema allows.
RULES_BEYOND_THE_SCHEMA = {
    "POST /api/v1/auth/token": "which fields are required depends on grant_type",
    "PUT /api/v1/me/direct-payment": "end_date may not be before start_date, nor start_date "
    "before the latest version's (and a confirmed version is the council's to correct)",
    "POST /api/v1/auth/register": "the e-mail is checked again once normalised: NFKC and case "
    "folding can lengthen it or change its shape",
    "POST /api/v1/me/representatives": "the e-mail may not be the holder's own, and is checked "
    "again once normalised",
    "POST /api/v1/coops": "class weights must add up to exactly 100",
    "POST /api/v1/providers/import": "a CSV file's rows are checked as rows, not by a schema",
    "PATCH /api/v1/coops/{coop_id}": "class weights must add up to exactly 100",
    "POST /api/v1/coops/{coop_id}/tenders": "price and quality weights must add up to 100, "
    "and the areas must be the co-op's own",
    "PATCH /api/v1/tenders/{tender_id}": "the weights, with the draft's, must add up to 100",
    "POST /api/v1/tenders/{tender_id}/bids": "staff of several providers must name the bidder",
    "POST /api/v1/contracts/{contract_id}/invoices": "period_end may not be before "
    "period_start, and exactly one of lines and from_visits is given",
    "GET /api/v1/admin/audit/verify": "a kept checkpoint is given as seq and hash together",
    "GET /api/v1/la/areas/{code}/summary": "from and to must fall on whole calendar months "
    "(from a first day to a last day, or today), and from not after to",
    # JSON Schema counts 201.0 as an integer; money is refused written with a fraction part
    # (tests/security/test_inputs.py, TestMoneyIsNeverAFloat).
    "POST /api/v1/providers": "hourly_rate_pence may not be written as 201.0",
    "PATCH /api/v1/providers/{provider_id}": "hourly_rate_pence may not be written as 201.0",
    "PUT /api/v1/areas/{code}/monitoring-profile": "weeks may not be written as 9.0",
    "GET /api/v1/coops/{coop_id}/members/{member_id}/dp-return": "exactly one of period, or "
    "from with to, and from not after to",
    "GET /api/v1/coops/{coop_id}/members/{member_id}/evidence": "from may not be after to",
    "POST /api/v1/coops/{coop_id}/payroll/{period_start}/results": "the figures may not be "
    "written as 201.0, and the lines must be exactly the export's employments",
    "POST /api/v1/auth/password-reset": "the e-mail is checked again once normalised",
    "POST /api/v1/auth/password-reset/confirm": "only a code the service mailed is valid",
    "POST /api/v1/me/email/confirm": "only a code the service mailed is valid",
    "POST /api/v1/me/email": "the e-mail is checked again once normalised, and may not be the "
    "caller's own",
    "POST /api/v1/admin/la-officers": "the e-mail is checked again once normalised",
    "POST /api/v1/providers/{provider_id}/staff": "the e-mail is checked again once normalised",
    "PUT /api/v1/me/notification-preferences": "e-mails about one's account and approvals "
    "cannot be turned off",
    "POST /api/v1/coops/{coop_id}/webhooks": "account.* events never go to a webhook, and a "
    "port must be at most 65535",
    "POST /api/v1/admin/webhooks": "account.* events never go to a webhook, and a port must be "
    "at most 65535",
}
# Operations that end the login they are called with: each call gets a login of its own, so
# the operations fuzzed after them keep working tokens.
ENDS_THE_LOGIN = {"POST /api/v1/auth/logout"}
# Operations that end the account itself (closing it revokes its logins and pseudonymises
# it): each call is made by an account of its own, signed up for it. Called with the shared
# logins, the first call closed the fuzzing's own account, and every operation fuzzed after
# it was answered 401 alone.
ENDS_THE_ACCOUNT = {"DELETE /api/v1/me"}

MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


def fuzz_operation(
    operation: schemathesis.APIOperation[Any, Any, Any, Any],
    mode: schemathesis.GenerationMode,
    targets: list[Target],
    fresh_headers: Callable[[Target], dict[str, dict[str, str]]] | None = None,
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case: schemathesis.Case[Any]) -> None:
        if case.query and "cursor" in case.query:
            # A cursor is opaque: only one the service gave is valid, so a made-up one is
            # rightly refused (tested on its own in tests/core).
            case.query = {k: v for k, v in case.query.items() if k != "cursor"}
        generated = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        # Refusing bad or missing tokens is proven route by route in the authorisation
        # matrix; here every call carries a real token on purpose.
        excluded = [schemathesis.checks.ignored_auth]
        if operation.label in RULES_BEYOND_THE_SCHEMA:
            excluded.append(schemathesis.checks.positive_data_acceptance)
        for target in targets:
            for role, headers in (
                fresh_headers(target) if fresh_headers else target.headers
            ).items():
                # Set on the case (not only sent) so schemathesis knows the request carries a
                # valid token and judges the answer by what else it made invalid.
                case.headers = CaseInsensitiveDict({**generated, **headers})
                try:
                    case.call_and_validate(app=target.app, excluded_checks=excluded)
                except (Exception, BaseExceptionGroup) as exc:
                    exc.add_note(f"on {target.backend}, as the {role}")
                    raise

    exercise()


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _operation_labels() -> list[str]:
    """Every operation of the app's OpenAPI, known at collection time (no database is opened)."""
    spec = create_app(make_test_settings("sqlite+aiosqlite:///unused-at-collection.sqlite3"))
    paths = spec.openapi()["paths"]
    return [
        f"{method.upper()} {path}"
        for path, item in paths.items()
        for method in item
        if method in HTTP_METHODS
    ]


OPERATIONS = _operation_labels()


@pytest.fixture(scope="session")
def fuzz_schema(fuzz_targets: list[Target]) -> schemathesis.BaseSchema:
    """The OpenAPI (the same on every backend), read from the first backend's app: its cases
    are sent to each backend's app in turn."""
    if not fuzz_targets:
        pytest.skip("no backend to fuzz can be reached")
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_targets[0].app)


def test_every_backend_is_fuzzed(fuzz_targets: list[Target]) -> None:
    reached = [target.backend for target in fuzz_targets]
    if reached != BACKENDS:
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_URL}: fuzzed on {reached} only")


def test_each_operation_is_fuzzed(fuzz_schema: schemathesis.BaseSchema) -> None:
    """The tests below are one per operation: none of the schema's operations is left out."""
    labels = []
    for result in fuzz_schema.get_all_operations():
        assert isinstance(result, Ok), result
        labels.append(result.ok().label)
    assert sorted(OPERATIONS) == sorted(labels)


@pytest.mark.parametrize("label", OPERATIONS)
def test_every_operation_holds_its_schema(
    label: str, fuzz_targets: list[Target], fuzz_schema: schemathesis.BaseSchema
) -> None:
    method, path = label.split(" ", 1)
    operation = fuzz_schema[path][method]
    fresh = None
    if label in ENDS_THE_LOGIN:
        for target in fuzz_targets:
            _register(target.app, LOGOUT_EMAIL)  # each call signs in anew

        def fresh(target: Target) -> dict[str, dict[str, str]]:
            return {"user": {"Authorization": f"Bearer {_login(target.app, LOGOUT_EMAIL)}"}}

    if label in ENDS_THE_ACCOUNT:

        def fresh(target: Target) -> dict[str, dict[str, str]]:
            email = f"fuzz-closing-{uuid.uuid4().hex[:12]}@example.org"
            _register(target.app, email)
            return {"user": {"Authorization": f"Bearer {_login(target.app, email)}"}}

    failures: list[str] = []
    for mode in MODES:
        try:
            fuzz_operation(operation, mode, fuzz_targets, fresh)
        except Unsatisfiable as exc:
            if mode is schemathesis.GenerationMode.NEGATIVE:
                continue  # nothing that can be made invalid (no body; a path's own words)
            # A schema no valid example satisfies (as `format: time` with an HH:MM pattern
            # was) left the operation unfuzzed with valid data, and clients unable to use it.
            failures.append(f"{operation.label} [{mode.value}]: no valid example exists: {exc}")
        except (Exception, BaseExceptionGroup) as exc:  # report both modes' failures
            notes = " ".join(getattr(exc, "__notes__", []))
            failures.append(f"{operation.label} [{mode.value}] {notes}: {exc}")
    # The operations fuzzed after this one are called with the same logins: had this one
    # ended them, those would be fuzzing the refusal of a dead token and nothing else.
    for target in fuzz_targets:
        for role, headers in target.headers.items():
            alive = client_of(target.app).get("/api/v1/me", headers=headers)
            if alive.status_code != 200:
                failures.append(f"{label} ended the {role}'s login on {target.backend}")
    assert not failures, "\n\n".join(failures)
