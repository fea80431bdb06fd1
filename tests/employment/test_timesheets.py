"""Timesheets: who keeps and confirms them, the rules of their entries, and what the
worker, the employer and everyone else may see."""

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.employment.models import Timesheet, TimesheetEntry
from tests.employment.conftest import Employer
from tests.factories import sign_in_again
from tests.helpers import ok, problem

FEB = "2026-02-02"  # Huw's employment: the four-weekly period 2 Feb - 1 Mar
MONTH = "2026-02-01"  # the co-op's employment: February


def entries(*items: tuple[str, int]) -> dict[str, Any]:
    return {"entries": [{"date": day, "minutes": minutes} for day, minutes in items]}


async def entry_rows(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(TimesheetEntry)) or 0)


class TestPutTimesheet:
    async def test_the_worker_writes_their_own_timesheet(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        response = await client.put(
            employer.timesheet(employer.huw_employment, FEB),
            json=entries(("2026-02-03", 240), ("2026-02-10", 210)),
            headers=employer.sian.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["period_start"], body["period_end"]) == ("2026-02-02", "2026-03-01")
        assert (body["status"], body["revision"], body["total_minutes"]) == ("submitted", 1, 450)
        assert body["entries"][0] == {
            "date": "2026-02-03",
            "minutes": 240,
            "member_id": str(employer.huw_member),
        }
        assert body["submitted_by_user_id"] == str(employer.sian.id)
        assert body["exported"] is False

    async def test_the_employer_or_their_representative_may_write_it_and_each_write_is_kept(
        self, client: httpx.AsyncClient, session: AsyncSession, employer: Employer
    ) -> None:
        url = employer.timesheet(employer.huw_employment, FEB)
        ok(await client.put(url, json=entries(("2026-02-03", 60)), headers=employer.huw.headers))
        second = ok(
            await client.put(
                url,
                json=entries(("2026-02-04", 90)),
                headers=employer.rep.on_behalf_of(employer.huw),
            )
        ).json()
        assert (second["revision"], second["total_minutes"]) == (2, 90)
        # The first revision's entry is still stored, for the record.
        assert await entry_rows(session) == 2

    async def test_the_co_ops_employee_names_the_member_of_each_entry(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        url = employer.timesheet(employer.coop_employment, MONTH)
        body = {
            "entries": [
                {"date": "2026-02-03", "minutes": 120, "member_id": str(employer.bryn_member)},
                {"date": "2026-02-03", "minutes": 60, "member_id": str(employer.carys_member)},
            ]
        }
        for who in (employer.gareth, employer.admin):
            ok(await client.put(url, json=body, headers=who.headers))
        missing = problem(
            await client.put(
                url, json=entries(("2026-02-03", 60)), headers=employer.gareth.headers
            ),
            422,
            "validation_error",
        )
        assert missing["errors"][0]["loc"] == ["body", "entries", 0, "member_id"]
        body["entries"][1]["member_id"] = str(employer.elsewhere.id)
        unknown = problem(
            await client.put(url, json=body, headers=employer.gareth.headers),
            422,
            "validation_error",
        )
        assert unknown["errors"][0]["loc"] == ["body", "entries", 1, "member_id"]

    async def test_entries_outside_the_period_after_today_or_beyond_a_day_are_named(
        self, client: httpx.AsyncClient, session: AsyncSession, employer: Employer
    ) -> None:
        before = await entry_rows(session)
        body = problem(
            await client.put(
                employer.timesheet(employer.huw_employment, FEB),
                json=entries(("2026-03-02", 60), ("2026-02-05", 1_000), ("2026-02-05", 441)),
                headers=employer.sian.headers,
            ),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [
            ["body", "entries", 0, "date"],
            ["body", "entries", 2, "minutes"],
        ]
        future = problem(
            await client.put(
                employer.timesheet(employer.huw_employment, "2026-03-02"),
                json=entries(("2026-03-03", 60)),
                headers=employer.sian.headers,
            ),
            422,
            "validation_error",
        )
        assert future["errors"][0]["loc"] == ["body", "entries", 0, "date"]
        too_long = problem(
            await client.put(
                employer.timesheet(employer.huw_employment, FEB),
                json=entries(("2026-02-05", 1_441)),
                headers=employer.sian.headers,
            ),
            422,
            "validation_error",
        )
        assert too_long["errors"][0]["loc"] == ["body", "entries", 0, "minutes"]
        assert await entry_rows(session) == before

    async def test_a_day_that_starts_no_pay_period_is_refused(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        for employment, day, who in (
            (employer.huw_employment, "2026-02-03", employer.huw),
            (employer.huw_employment, "2026-01-05", employer.sian),  # before the first period
            (employer.coop_employment, "2026-02-02", employer.admin),
        ):
            body = problem(
                await client.put(
                    employer.timesheet(employment, day), json=entries(), headers=who.headers
                ),
                422,
                "validation_error",
            )
            assert body["errors"][0]["loc"] == ["path", "period_start"]

    async def test_an_administrator_does_not_keep_a_holders_employees_timesheets(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        url = employer.timesheet(employer.huw_employment, FEB)
        problem(
            await client.put(url, json=entries(), headers=employer.admin.headers), 403, "forbidden"
        )
        ok(await client.put(url, json=entries(("2026-02-03", 60)), headers=employer.sian.headers))
        assert (
            ok(await client.get(url, headers=employer.admin.headers)).json()["total_minutes"] == 60
        )

    async def test_anyone_else_is_told_the_employment_does_not_exist(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        url = employer.timesheet(employer.huw_employment, FEB)
        for who in (employer.bryn, employer.gareth, employer.outsider, employer.elsewhere):
            problem(await client.put(url, json=entries(), headers=who.headers), 404, "not_found")
            problem(await client.get(url, headers=who.headers), 404, "not_found")
        # The representative of someone else's employer sees nothing either.
        problem(
            await client.get(
                employer.timesheet(employer.coop_employment, MONTH),
                headers=employer.rep.on_behalf_of(employer.huw),
            ),
            404,
            "not_found",
        )


class TestConfirmTimesheet:
    async def test_the_employer_confirms_and_a_change_needs_confirming_again(
        self, client: httpx.AsyncClient, employer: Employer, clock: FrozenClock
    ) -> None:
        url = employer.timesheet(employer.huw_employment, FEB)
        ok(await client.put(url, json=entries(("2026-02-03", 60)), headers=employer.sian.headers))
        confirmed = ok(await client.post(f"{url}/confirm", headers=employer.huw.headers)).json()
        assert confirmed["status"] == "confirmed"
        assert confirmed["confirmed_by_user_id"] == str(employer.huw.id)
        clock.advance(timedelta(minutes=1))
        again = ok(await client.post(f"{url}/confirm", headers=employer.huw.headers)).json()
        assert again["confirmed_at"] == confirmed["confirmed_at"]
        changed = ok(
            await client.put(url, json=entries(("2026-02-03", 90)), headers=employer.sian.headers)
        ).json()
        assert (changed["status"], changed["confirmed_at"]) == ("submitted", None)

    async def test_a_representative_with_view_or_an_admin_for_the_co_op_confirms(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        url = employer.timesheet(employer.huw_employment, FEB)
        ok(await client.put(url, json=entries(), headers=employer.sian.headers))
        by_rep = ok(
            await client.post(f"{url}/confirm", headers=employer.rep.on_behalf_of(employer.huw))
        ).json()
        assert by_rep["confirmed_by_user_id"] == str(employer.rep.id)
        coop = employer.timesheet(employer.coop_employment, MONTH)
        ok(await client.put(coop, json=entries(), headers=employer.gareth.headers))
        ok(await client.post(f"{coop}/confirm", headers=employer.admin.headers))

    async def test_the_worker_and_an_admin_of_a_holders_employee_may_not_confirm(
        self, client: httpx.AsyncClient, session: AsyncSession, employer: Employer
    ) -> None:
        url = employer.timesheet(employer.huw_employment, FEB)
        ok(await client.put(url, json=entries(("2026-02-03", 60)), headers=employer.sian.headers))
        for who in (employer.sian, employer.admin):
            problem(await client.post(f"{url}/confirm", headers=who.headers), 403, "forbidden")
        statuses = await session.scalars(select(Timesheet.status))
        assert [s.value for s in statuses] == ["submitted"]

    async def test_nobody_confirms_their_own_work(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        # Huw's representative is also the worker of an employment of Huw's.
        worker = ok(
            await client.post(
                employer.url("/workers"),
                json={"full_name": "Rhys Rep", "email": employer.rep.email},
                headers=employer.huw.headers,
            )
        ).json()
        made = ok(
            await client.post(
                employer.url("/employments"),
                json={
                    "worker_id": worker["id"],
                    "employer_kind": "member",
                    "hourly_rate_pence": 1_200,
                    "contracted_hours_per_week": 0,
                    "pay_frequency": "weekly",
                    "first_period_start": "2026-02-23",
                },
                headers=employer.huw.headers,
            )
        ).json()
        url = f"/api/v1/employments/{made['id']}/timesheets/2026-02-23"
        ok(await client.put(url, json=entries(("2026-02-24", 60)), headers=employer.rep.headers))
        problem(
            await client.post(f"{url}/confirm", headers=employer.rep.on_behalf_of(employer.huw)),
            403,
            "conflict_of_interest",
        )
        ok(await client.post(f"{url}/confirm", headers=employer.huw.headers))

    async def test_no_timesheet_yet_is_not_found(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        url = employer.timesheet(employer.huw_employment, FEB)
        problem(await client.post(f"{url}/confirm", headers=employer.huw.headers), 404, "not_found")


class TestReadTimesheets:
    async def test_the_worker_sees_their_timesheets_latest_first(
        self, client: httpx.AsyncClient, employer: Employer, clock: FrozenClock
    ) -> None:
        ok(
            await client.put(
                employer.timesheet(employer.huw_employment, FEB),
                json=entries(("2026-02-03", 60)),
                headers=employer.sian.headers,
            )
        )
        clock.advance(timedelta(days=1))
        await sign_in_again(client, employer.sian, employer.gareth)
        ok(
            await client.put(
                employer.timesheet(employer.huw_employment, "2026-03-02"),
                json=entries(("2026-03-03", 30)),
                headers=employer.sian.headers,
            )
        )
        listed = ok(
            await client.get(
                f"/api/v1/employments/{employer.huw_employment}/timesheets",
                headers=employer.sian.headers,
            )
        ).json()
        assert [t["period_start"] for t in listed["items"]] == ["2026-03-02", "2026-02-02"]
        problem(
            await client.get(
                f"/api/v1/employments/{employer.huw_employment}/timesheets",
                headers=employer.gareth.headers,
            ),
            404,
            "not_found",
        )
