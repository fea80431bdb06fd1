"""Payroll: the export that locks a period, and results posted once, all or nothing."""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.employment.models import PayrollExport, PayrollResult
from app.ledger.models import LedgerTransaction, TransactionKind
from tests.employment.conftest import FUNDS, Employer
from tests.factories import request_refund
from tests.helpers import ok, problem

FEB = "2026-02-02"
MONTH = "2026-02-01"


async def keep(
    client: httpx.AsyncClient,
    employer: Employer,
    employment: uuid.UUID,
    period_start: str,
    items: list[dict[str, Any]],
    *,
    confirm: bool = True,
) -> None:
    url = employer.timesheet(employment, period_start)
    ok(
        await client.put(
            url,
            json={"entries": items},
            headers=employer.admin.headers
            if employment == employer.coop_employment
            else employer.huw.headers,
        )
    )
    if confirm:
        who = employer.admin if employment == employer.coop_employment else employer.huw
        ok(await client.post(f"{url}/confirm", headers=who.headers))


def export_url(employer: Employer, period_start: str) -> str:
    return employer.url(f"/payroll/{period_start}/export")


def results_url(employer: Employer, period_start: str) -> str:
    return employer.url(f"/payroll/{period_start}/results")


async def post_results(
    client: httpx.AsyncClient,
    employer: Employer,
    period_start: str,
    lines: list[dict[str, Any]] | None = None,
    *,
    key: str | None = None,
    content: str | None = None,
) -> httpx.Response:
    headers = {**employer.admin.headers, "Idempotency-Key": key or uuid.uuid4().hex}
    if content is not None:
        return await client.post(
            results_url(employer, period_start),
            content=content.encode(),
            headers={**headers, "Content-Type": "text/csv"},
        )
    return await client.post(
        results_url(employer, period_start), json={"lines": lines}, headers=headers
    )


def line(
    employment: uuid.UUID, gross: int, ni: int = 0, pension: int = 0, net: int = 0
) -> dict[str, Any]:
    return {
        "employment_id": str(employment),
        "gross_pence": gross,
        "employer_ni_pence": ni,
        "employer_pension_pence": pension,
        "net_pence": net,
    }


async def payroll_transactions(session: AsyncSession) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(LedgerTransaction.kind == TransactionKind.payroll)
        )
        or 0
    )


@pytest.fixture
async def exported(client: httpx.AsyncClient, employer: Employer) -> Employer:
    """Huw's February period kept (450 minutes), confirmed and exported."""
    await keep(
        client,
        employer,
        employer.huw_employment,
        FEB,
        [{"date": "2026-02-03", "minutes": 240}, {"date": "2026-02-10", "minutes": 210}],
    )
    ok(await client.post(export_url(employer, FEB), headers=employer.admin.headers))
    return employer


class TestExport:
    async def test_an_unconfirmed_timesheet_stops_the_export_and_is_named(
        self, client: httpx.AsyncClient, session: AsyncSession, employer: Employer
    ) -> None:
        await keep(
            client,
            employer,
            employer.huw_employment,
            FEB,
            [{"date": "2026-02-03", "minutes": 60}],
            confirm=False,
        )
        body = problem(
            await client.post(export_url(employer, FEB), headers=employer.admin.headers),
            409,
            "timesheets_unconfirmed",
        )
        assert body["employment_ids"] == [str(employer.huw_employment)]
        assert await session.scalar(select(func.count()).select_from(PayrollExport)) == 0

    async def test_a_day_no_pay_period_starts_on_is_refused(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        body = problem(
            await client.post(export_url(employer, "2026-02-03"), headers=employer.admin.headers),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["path", "period_start"]

    async def test_only_administrators_export_and_outsiders_are_told_nothing(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        for who, status, code in (
            (employer.huw, 403, "forbidden"),
            (employer.sian, 404, "not_found"),
            (employer.elsewhere, 404, "not_found"),
        ):
            problem(await client.post(export_url(employer, FEB), headers=who.headers), status, code)
            problem(await client.get(export_url(employer, FEB), headers=who.headers), status, code)

    async def test_the_export_locks_the_period_and_reads_back_unchanged(
        self, client: httpx.AsyncClient, exported: Employer
    ) -> None:
        employer = exported
        first = await client.get(export_url(employer, FEB), headers=employer.admin.headers)
        again = await client.post(export_url(employer, FEB), headers=employer.admin.headers)
        assert first.status_code == again.status_code == 200
        assert first.content == again.content
        assert first.headers["content-type"].startswith("text/csv")
        url = employer.timesheet(employer.huw_employment, FEB)
        problem(
            await client.put(url, json={"entries": []}, headers=employer.sian.headers),
            409,
            "period_exported",
        )
        problem(
            await client.post(f"{url}/confirm", headers=employer.huw.headers),
            409,
            "period_exported",
        )
        assert ok(await client.get(url, headers=employer.sian.headers)).json()["exported"] is True

    async def test_an_export_not_made_is_not_found(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        problem(
            await client.get(export_url(employer, FEB), headers=employer.admin.headers),
            404,
            "not_found",
        )


class TestResults:
    async def test_results_before_the_export_are_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, employer: Employer
    ) -> None:
        problem(
            await post_results(client, employer, FEB, [line(employer.huw_employment, 100)]),
            409,
            "period_not_exported",
        )
        assert await payroll_transactions(session) == 0

    async def test_an_idempotency_key_is_required(
        self, client: httpx.AsyncClient, exported: Employer
    ) -> None:
        problem(
            await client.post(
                results_url(exported, FEB),
                json={"lines": [line(exported.huw_employment, 9_375)]},
                headers=exported.admin.headers,
            ),
            400,
            "idempotency_key_required",
        )

    async def test_unknown_missing_doubled_or_negative_lines_post_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, exported: Employer
    ) -> None:
        employer = exported
        own = employer.huw_employment
        cases: list[tuple[list[dict[str, Any]], list[list[str | int]]]] = [
            (
                [line(own, 9_375), line(employer.coop_employment, 1)],
                [["body", "lines", 1, "employment_id"]],
            ),
            ([line(own, 9_375), line(own, 1)], [["body", "lines", 1, "employment_id"]]),
            ([line(uuid.uuid4(), 1)], [["body", "lines", 0, "employment_id"], ["body", "lines"]]),
            ([line(own, 9_375, ni=-1)], [["body", "lines", 0, "employer_ni_pence"]]),
        ]
        for lines, locs in cases:
            body = problem(
                await post_results(client, employer, FEB, lines), 422, "validation_error"
            )
            assert [e["loc"] for e in body["errors"]] == locs
        bad_file = problem(
            await post_results(
                client,
                employer,
                FEB,
                content="employment_id,gross_pence,employer_ni_pence,employer_pension_pence,"
                f"net_pence\n{own},9375,-1,0,0\n",
            ),
            422,
            "validation_error",
        )
        assert bad_file["errors"][0]["loc"] == ["body", 2, "employer_ni_pence"]
        assert await payroll_transactions(session) == 0
        assert await session.scalar(select(func.count()).select_from(PayrollResult)) == 0

    async def test_an_employer_short_of_money_is_named_and_nothing_is_posted(
        self, client: httpx.AsyncClient, session: AsyncSession, exported: Employer
    ) -> None:
        employer = exported
        body = problem(
            await post_results(
                client, employer, FEB, [line(employer.huw_employment, FUNDS, ni=1_000, pension=234)]
            ),
            409,
            "insufficient_member_funds",
        )
        assert body["members"] == [
            {
                "member_id": str(employer.huw_member),
                "holder_name": "Huw Holder",
                "short_by_pence": 1_234,
            }
        ]
        assert await payroll_transactions(session) == 0

    async def test_a_csv_file_posts_as_json_would_and_only_once(
        self, client: httpx.AsyncClient, session: AsyncSession, exported: Employer
    ) -> None:
        employer = exported
        content = (
            "employee,employment_id,gross_pence,employer_ni_pence,employer_pension_pence,net_pence\r\n"
            f"Siân,{employer.huw_employment},9375,0,281,9100\r\n"
        )
        posted = await post_results(client, employer, FEB, content=content)
        assert posted.status_code == 201, posted.text
        body = posted.json()
        assert body["lines"][0]["cost_pence"] == 9_656
        assert body["lines"][0]["shares"] == [
            {"member_id": str(employer.huw_member), "minutes": 450, "amount_pence": 9_656}
        ]
        problem(await post_results(client, employer, FEB, content=content), 409, "payroll_posted")
        assert await payroll_transactions(session) == 1
        read = ok(await client.get(results_url(employer, FEB), headers=employer.admin.headers))
        assert read.json() == body

    async def test_only_json_or_csv_bodies_are_read(
        self, client: httpx.AsyncClient, exported: Employer
    ) -> None:
        headers = {**exported.admin.headers, "Idempotency-Key": uuid.uuid4().hex}
        problem(
            await client.post(
                results_url(exported, FEB),
                content=b"x",
                headers={**headers, "Content-Type": "text/plain"},
            ),
            415,
            "unsupported_media_type",
        )
        problem(
            await client.post(
                results_url(exported, FEB),
                content=b"{",
                headers={**headers, "Content-Type": "application/json"},
            ),
            400,
            "malformed_body",
        )

    async def test_a_holders_money_is_refunded_away_before_payroll(
        self, client: httpx.AsyncClient, session: AsyncSession, exported: Employer
    ) -> None:
        """A member who has spent their money since the export is short when it posts."""
        employer = exported
        ok(
            await request_refund(
                client,
                employer.coop_id,
                employer.admin,
                member_id=employer.huw_member,
                amount_pence=FUNDS - 100,
            )
        )
        body = problem(
            await post_results(client, employer, FEB, [line(employer.huw_employment, 9_375)]),
            409,
            "insufficient_member_funds",
        )
        assert body["members"][0]["short_by_pence"] == 9_275
        assert await payroll_transactions(session) == 0
