"""Payroll under parallel requests through a real server on PostgreSQL: results imported at
once post once, and a timesheet changed while its period is exported is either in the export
as it was confirmed or refused, never both."""

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.employment.models import PayrollResult
from app.ledger.models import LedgerTransaction, TransactionKind
from tests.contract import CHECKED
from tests.helpers import ok
from tests.ledger.checks import assert_books_balance
from tests.ledger.test_concurrency import person
from tests.servers import Server

pytestmark = pytest.mark.postgresql_only

PARALLEL = 12
RETRIES = 4
FUNDS = 100_000
# The server runs on the real clock: these periods are long past.
FIRST = "2026-01-05"


@dataclass
class World:
    coop: str
    admin: dict[str, str]
    holder: dict[str, str]
    member: str
    employment: str


async def world(client: httpx.AsyncClient) -> World:
    admin, holder = await person(client, "Admin"), await person(client, "Holder")
    coop = ok(
        await client.post(
            "/api/v1/coops",
            json={
                "name": "Cydweithfa",
                "description": "Payroll.",
                "area_codes": ["W06000015"],
                "rules": {},
            },
            headers=admin,
        )
    ).json()["id"]
    member = ok(
        await client.post(
            f"/api/v1/coops/{coop}/applications",
            json={"member_class": "service_user"},
            headers=holder,
        )
    ).json()["id"]
    ok(await client.post(f"/api/v1/coops/{coop}/members/{member}/approve", headers=admin))
    ok(
        await client.put(
            "/api/v1/me/direct-payment",
            json={"area_code": "W06000015", "weekly_amount_pence": FUNDS, "start_date": FIRST},
            headers=holder,
        )
    )
    ok(
        await client.post(
            f"/api/v1/coops/{coop}/pool/contributions",
            json={"amount_pence": FUNDS, "reference": "seed"},
            headers={**holder, "Idempotency-Key": "seed"},
        )
    )
    worker = ok(
        await client.post(f"/api/v1/coops/{coop}/workers", json={"full_name": "PA"}, headers=holder)
    ).json()["id"]
    employment = ok(
        await client.post(
            f"/api/v1/coops/{coop}/employments",
            json={
                "worker_id": worker,
                "employer_kind": "member",
                "hourly_rate_pence": 1_200,
                "contracted_hours_per_week": 10,
                "pay_frequency": "weekly",
                "first_period_start": FIRST,
            },
            headers=holder,
        )
    ).json()["id"]
    return World(coop, admin, holder, member, employment)


async def keep_and_confirm(client: httpx.AsyncClient, w: World, start: str, day: str) -> str:
    url = f"/api/v1/employments/{w.employment}/timesheets/{start}"
    ok(await client.put(url, json={"entries": [{"date": day, "minutes": 60}]}, headers=w.holder))
    ok(await client.post(f"{url}/confirm", headers=w.holder))
    return url


async def test_results_imported_at_once_post_once(server: Server) -> None:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=2)
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, limits=limits, event_hooks=CHECKED
    ) as client:
        w = await world(client)
        await keep_and_confirm(client, w, FIRST, "2026-01-06")
        ok(await client.post(f"/api/v1/coops/{w.coop}/payroll/{FIRST}/export", headers=w.admin))
        body = {
            "lines": [
                {
                    "employment_id": w.employment,
                    "gross_pence": 1_200,
                    "employer_ni_pence": 0,
                    "employer_pension_pence": 36,
                    "net_pence": 1_200,
                }
            ]
        }
        keys = [f"k{n}" for n in range(PARALLEL)]

        async def send(key: str) -> httpx.Response:
            return await client.post(
                f"/api/v1/coops/{w.coop}/payroll/{FIRST}/results",
                json=body,
                headers={**w.admin, "Idempotency-Key": key},
            )

        answers = await asyncio.gather(*(send(k) for k in keys + keys[:RETRIES]))
    posted = [a for a in answers if a.status_code == 201]
    assert posted, server.log.read_text()
    # Every success is the one posting (its retries replay it).
    assert all(a.json() == posted[0].json() for a in posted)
    for answer in answers:
        if answer.status_code != 201:
            assert answer.status_code == 409, (answer.text, server.log.read_text())
            assert answer.json()["code"] in ("payroll_posted", "idempotency_in_progress")
    async with server.engine.connect() as connection:
        books = await assert_books_balance(connection, uuid.UUID(w.coop))
        payroll = await connection.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(
                LedgerTransaction.coop_id == uuid.UUID(w.coop),
                LedgerTransaction.kind == TransactionKind.payroll,
            )
        )
        results = await connection.scalar(
            select(func.count())
            .select_from(PayrollResult)
            .where(PayrollResult.coop_id == uuid.UUID(w.coop))
        )
    assert (payroll, results) == (1, 1)
    assert books.balance(f"member:{w.member}") == FUNDS - 1_236


async def test_a_timesheet_changed_while_exported_is_in_the_export_or_refused(
    server: Server,
) -> None:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100, keepalive_expiry=2)
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, limits=limits, event_hooks=CHECKED
    ) as client:
        w = await world(client)
        starts = ["2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02"]
        for start in starts:
            day = start[:-2] + f"{int(start[-2:]) + 1:02d}"
            url = await keep_and_confirm(client, w, start, day)
            change: dict[str, Any] = {"entries": [{"date": day, "minutes": 120}]}
            puts = [client.put(url, json=change, headers=w.holder) for _ in range(6)]
            export = client.post(f"/api/v1/coops/{w.coop}/payroll/{start}/export", headers=w.admin)
            exported, *changed = await asyncio.gather(export, *puts)
            kept = [c for c in changed if c.status_code == 200]
            if exported.status_code == 201:
                # Exported first: the export holds the confirmed hour, every change is refused.
                assert '"60","1.00"' in exported.text
                assert kept == []
                assert {c.json()["code"] for c in changed} == {"period_exported"}
            else:
                # A change came first: the timesheet waits for confirming again.
                assert exported.status_code == 409, exported.text
                assert exported.json()["code"] == "timesheets_unconfirmed"
                assert len(kept) == len(changed)
            read = ok(await client.get(url, headers=w.holder)).json()
            assert read["exported"] is (exported.status_code == 201)
