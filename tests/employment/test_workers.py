"""Workers and employments: who adds them, who sees them, and the terms an employment takes."""

import uuid

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.employment.models import Employment, Worker
from tests.employment.conftest import Employer, add_worker, employ, employment_body
from tests.factories import register_person
from tests.helpers import ok, problem


async def count(session: AsyncSession, model: type[Worker] | type[Employment]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


class TestAddWorker:
    async def test_a_worker_whose_email_has_an_account_is_linked_to_it(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        response = await client.post(
            employer.url("/workers"),
            json={"full_name": "Siân Jones", "email": employer.sian.email.upper()},
            headers=employer.huw.headers,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["user_id"] == str(employer.sian.id)
        assert body["email"] == employer.sian.email
        assert body["coop_id"] == str(employer.coop_id)

    async def test_a_worker_without_an_account_or_email_is_kept_unlinked(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        for body in ({"full_name": "Dai Davies"}, {"full_name": "Dai", "email": "dai@example.org"}):
            added = ok(
                await client.post(
                    employer.url("/workers"), json=body, headers=employer.admin.headers
                )
            ).json()
            assert added["user_id"] is None

    async def test_non_members_are_told_the_co_op_has_no_such_thing(
        self, client: httpx.AsyncClient, session: AsyncSession, employer: Employer
    ) -> None:
        before = await count(session, Worker)
        for who in (employer.outsider, employer.elsewhere, employer.sian):
            problem(
                await client.post(
                    employer.url("/workers"), json={"full_name": "X"}, headers=who.headers
                ),
                404,
                "not_found",
            )
        problem(
            await client.post(
                employer.url("/workers"),
                json={"full_name": "X"},
                headers=employer.rep.on_behalf_of(employer.huw),
            ),
            403,
            "outside_mandate",
        )
        assert await count(session, Worker) == before


class TestListWorkers:
    async def test_administrators_see_all_and_a_holder_only_their_own(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        def names(response: httpx.Response) -> list[str]:
            return [w["full_name"] for w in ok(response).json()["items"]]

        url = employer.url("/workers")
        assert names(await client.get(url, headers=employer.admin.headers)) == [
            "Gareth Pugh",
            "Siân Jones",
        ]
        assert names(await client.get(url, headers=employer.huw.headers)) == ["Siân Jones"]
        assert names(await client.get(url, headers=employer.rep.on_behalf_of(employer.huw))) == [
            "Siân Jones"
        ]
        # Bryn pays for Gareth's hours but the co-op employs him: Bryn's list is empty.
        assert names(await client.get(url, headers=employer.bryn.headers)) == []
        problem(await client.get(url, headers=employer.outsider.headers), 404, "not_found")


class TestCreateEmployment:
    async def test_a_holder_employs_their_own_worker(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        worker = await add_worker(client, employer.coop_id, employer.bryn, "Nia", None)
        response = await client.post(
            employer.url("/employments"),
            json=employment_body(worker, pay_frequency="weekly", first_period_start="2026-03-04"),
            headers=employer.bryn.headers,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["employer_kind"] == "member"
        assert body["employer_member_id"] == str(employer.bryn_member)
        assert (body["worker_name"], body["pay_frequency"]) == ("Nia", "weekly")
        assert (body["hourly_rate_pence"], body["first_period_start"]) == (1_250, "2026-03-04")

    async def test_an_administrator_employs_for_a_holder_or_the_co_op(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        worker = await add_worker(client, employer.coop_id, employer.admin, "Nia", None)
        body = employment_body(worker, employer_member_id=str(employer.carys_member))
        made = ok(
            await client.post(
                employer.url("/employments"), json=body, headers=employer.admin.headers
            )
        ).json()
        assert made["employer_member_id"] == str(employer.carys_member)

    async def test_the_rate_may_not_be_below_the_floor(
        self, client: httpx.AsyncClient, session: AsyncSession, employer: Employer
    ) -> None:
        before = await count(session, Employment)
        body = problem(
            await client.post(
                employer.url("/employments"),
                json=employment_body(employer.sian_worker, hourly_rate_pence=999),
                headers=employer.huw.headers,
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body", "hourly_rate_pence"]
        assert await count(session, Employment) == before

    async def test_monthly_periods_start_on_the_first(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        body = problem(
            await client.post(
                employer.url("/employments"),
                json=employment_body(
                    employer.sian_worker, pay_frequency="monthly", first_period_start="2026-03-02"
                ),
                headers=employer.huw.headers,
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body", "first_period_start"]

    async def test_a_holder_may_not_employ_for_another_or_for_the_co_op(
        self, client: httpx.AsyncClient, session: AsyncSession, employer: Employer
    ) -> None:
        before = await count(session, Employment)
        for body in (
            employment_body(employer.sian_worker, employer_member_id=str(employer.bryn_member)),
            employment_body(employer.sian_worker, employer_kind="coop"),
        ):
            problem(
                await client.post(
                    employer.url("/employments"), json=body, headers=employer.huw.headers
                ),
                403,
                "forbidden",
            )
        assert await count(session, Employment) == before

    async def test_a_worker_the_caller_does_not_see_is_named_as_unknown(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        for worker in (employer.gareth_worker, uuid.uuid4()):
            body = problem(
                await client.post(
                    employer.url("/employments"),
                    json=employment_body(worker),
                    headers=employer.huw.headers,
                ),
                422,
                "validation_error",
            )
            assert body["errors"][0]["loc"] == ["body", "worker_id"]

    async def test_only_holders_employ_and_the_co_op_names_no_member(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        worker = await add_worker(client, employer.coop_id, employer.carer, "Nia", None)
        problem(
            await client.post(
                employer.url("/employments"),
                json=employment_body(worker),
                headers=employer.carer.headers,
            ),
            422,
            "not_a_holder",
        )
        body = problem(
            await client.post(
                employer.url("/employments"),
                json=employment_body(
                    worker, employer_kind="coop", employer_member_id=str(employer.huw_member)
                ),
                headers=employer.admin.headers,
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body", "employer_member_id"]


class TestListEmployments:
    async def test_administrators_see_all_holders_their_own_workers_theirs_everywhere(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        def ids(response: httpx.Response) -> list[str]:
            return [e["id"] for e in ok(response).json()["items"]]

        url = employer.url("/employments")
        both = [str(employer.huw_employment), str(employer.coop_employment)]
        # Made at the same moment, so in id order.
        assert ids(await client.get(url, headers=employer.admin.headers)) == sorted(both)
        assert ids(await client.get(url, headers=employer.huw.headers)) == both[:1]
        assert ids(await client.get(url, headers=employer.bryn.headers)) == []
        mine = "/api/v1/me/employments"
        assert ids(await client.get(mine, headers=employer.sian.headers)) == both[:1]
        assert ids(await client.get(mine, headers=employer.gareth.headers)) == both[1:]
        assert ids(await client.get(mine, headers=employer.outsider.headers)) == []

    async def test_a_worker_in_another_co_op_sees_both_employments(
        self, client: httpx.AsyncClient, employer: Employer
    ) -> None:
        worker = await add_worker(
            client, employer.elsewhere_coop_id, employer.elsewhere, "Siân", employer.sian.email
        )
        other = await employ(
            client, employer.elsewhere_coop_id, employer.elsewhere, employment_body(worker)
        )
        items = ok(await client.get("/api/v1/me/employments", headers=employer.sian.headers))
        assert [e["id"] for e in items.json()["items"]] == sorted(
            [str(employer.huw_employment), str(other)]
        )
        late = await register_person(client, full_name="Later")
        assert (
            ok(await client.get("/api/v1/me/employments", headers=late.headers)).json()["items"]
            == []
        )
