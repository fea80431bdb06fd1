"""Visits: recorded by the provider's staff, listed, confirmed or queried by the holder (or a
representative with `view`), settled by an administrator, confirmed automatically."""

from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FrozenClock
from app.tenders.visits.models import Visit
from app.worker import Worker
from tests.conftest import Database
from tests.factories import agree_rules, grant_mandate, member_id_of, set_admin
from tests.helpers import ok, problem
from tests.notifications.conftest import feed, types_of
from tests.tenders.conftest import World, travel
from tests.tenders.helpers import audit_entries, count
from tests.tenders.visiting import (
    WORKER,
    act,
    listed,
    record,
    recorded,
    stored,
    visit_body,
    visiting,
)


class TestRecord:
    async def test_the_providers_staff_record_a_visit_the_holder_is_asked_to_confirm(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        await grant_mandate(client, world.holder_a, world.carer, scopes=("view",))
        contract_id = await visiting(client, clock, world)
        response = await record(
            client,
            contract_id,
            world.staff_2,
            visit_body(world.holder_a_member_id, notes="Shopping and lunch"),
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {
            "id": body["id"],
            "contract_id": str(contract_id),
            "member_id": str(world.holder_a_member_id),
            "date": "2026-03-27",
            "start_time": "09:00",
            "end_time": "10:00",
            # Greenwich time still, on the 27th: Wales and UTC agree.
            "starts_at": "2026-03-27T09:00:00Z",
            "ends_at": "2026-03-27T10:00:00Z",
            "minutes": 60,
            "worker_name": WORKER,
            "notes": "Shopping and lunch",
            "status": "to_confirm",
            "confirmed_by": None,
            "confirmed_at": None,
            "query_reason": None,
            "queried_at": None,
            "resolution_note": None,
            "resolved_at": None,
            "recorded_at": "2026-03-30T09:00:00Z",
            "invoice_id": None,
        }
        [entry] = await audit_entries(session, prefix="visit.recorded", subject_id=body["id"])
        assert entry.data["minutes"] == 60
        assert entry.actor_user_id == world.staff_2.id
        for person in (world.holder_a, world.carer):
            assert "visit.to_confirm" in await types_of(client, person)
        [told] = [i for i in await feed(client, world.holder_a) if i["type"] == "visit.to_confirm"]
        assert (told["subject_type"], told["subject_id"]) == ("visit", body["id"])
        assert "A visit on 27 March 2026 waits for you to confirm it" in str(told["body"])
        for person in (world.holder_b, world.staff_2, world.admin):
            assert "visit.to_confirm" not in await types_of(client, person)

    async def test_a_night_visit_ends_the_next_day_and_counts_the_clock_change(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        member = world.holder_a_member_id
        # From 22:00 on Friday to 22:00 on Saturday: a whole day, as long as a visit may be.
        whole_day = await recorded(
            client, contract_id, world, visit_body(member, "2026-03-27", "22:00", "22:00")
        )
        assert whole_day["minutes"] == 24 * 60
        # Saturday night: the clocks go forward at 01:00, so 22:00 to 06:00 is seven hours.
        # It begins as the last one ends: intervals are half-open, they do not overlap.
        night = await recorded(
            client, contract_id, world, visit_body(member, "2026-03-28", "22:00", "06:00")
        )
        assert (night["starts_at"], night["ends_at"]) == (
            "2026-03-28T22:00:00Z",
            "2026-03-29T05:00:00Z",
        )
        assert night["minutes"] == 7 * 60

    async def test_a_time_the_clocks_skip_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        body = problem(
            await record(
                client,
                contract_id,
                world.staff_2,
                visit_body(world.holder_a_member_id, "2026-03-29", "01:30", "03:00"),
            ),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [["body", "start_time"]]
        assert await count(session, Visit) == 0

    async def test_the_member_needs_a_call_off_running_that_day(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        carer = await member_id_of(client, world.coop_id, world.carer)
        for body in (
            visit_body(carer),
            # The day before the contract began.
            visit_body(world.holder_a_member_id, "2026-03-25"),
        ):
            problem(await record(client, contract_id, world.staff_2, body), 422, "no_call_off")
        ok(
            await client.post(
                f"/api/v1/contracts/{contract_id}/call-offs/{world.holder_b_member_id}/end",
                json={"last_day": "2026-03-30"},
                headers=world.holder_b.headers,
            )
        )
        await travel(clock, world, timedelta(days=1))
        problem(
            await record(
                client,
                contract_id,
                world.staff_2,
                visit_body(world.holder_b_member_id, "2026-03-31"),
            ),
            422,
            "no_call_off",
        )
        assert await count(session, Visit) == 0
        await recorded(
            client, contract_id, world, visit_body(world.holder_b_member_id, "2026-03-30")
        )

    async def test_overlaps_are_refused_but_touching_and_rejected_visits_do_not_count(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        a, b = world.holder_a_member_id, world.holder_b_member_id
        first = await recorded(
            client, contract_id, world, visit_body(a, start="09:00", end="10:00")
        )
        body = problem(
            await record(
                client, contract_id, world.staff_2, visit_body(a, start="09:30", end="10:30")
            ),
            422,
            "visit_overlaps",
        )
        assert body["visit_ids"] == [first["id"]]
        await recorded(client, contract_id, world, visit_body(a, start="10:00", end="11:00"))
        await recorded(client, contract_id, world, visit_body(b, start="09:30", end="10:30"))
        # The holder says the first visit did not happen; rejected, it stands in no one's way.
        ok(
            await act(
                client, first["id"], "query", world.holder_a.headers, {"reason": "No one came"}
            )
        )
        ok(
            await act(
                client,
                first["id"],
                "resolve",
                world.admin.headers,
                {"outcome": "rejected", "note": "The carer was ill"},
            )
        )
        await recorded(client, contract_id, world, visit_body(a, start="09:00", end="10:00"))

    async def test_care_not_yet_given_is_refused_naming_the_field(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        member = world.holder_a_member_id
        for body, field in (
            (visit_body(member, "2026-03-31"), "date"),
            # It is 10:00 in Wales: a visit until 11:00 has not ended.
            (visit_body(member, "2026-03-30", "09:30", "11:00"), "end_time"),
        ):
            refused = problem(
                await record(client, contract_id, world.staff_2, body), 422, "validation_error"
            )
            assert [e["loc"] for e in refused["errors"]] == [["body", field]]
        assert await count(session, Visit) == 0
        await recorded(
            client, contract_id, world, visit_body(member, "2026-03-30", "09:00", "10:00")
        )

    async def test_times_are_written_hh_mm(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        for bad in ("9:00", "09:00:00", "24:00", 900):
            body = visit_body(world.holder_a_member_id)
            body["start_time"] = bad
            refused = problem(
                await record(client, contract_id, world.staff_2, body), 422, "validation_error"
            )
            assert [e["loc"] for e in refused["errors"]] == [["body", "start_time"]], bad

    async def test_only_the_contracts_provider_staff_record_visits(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        body = visit_body(world.holder_a_member_id)
        for person in (world.admin, world.holder_a):
            problem(await record(client, contract_id, person, body), 403, "forbidden")
        # Another provider's staff, like any outsider, are told there is no such contract.
        for person in (world.staff_1, world.outsider, world.platform_admin):
            problem(await record(client, contract_id, person, body), 404, "not_found")
        assert await count(session, Visit) == 0


class TestList:
    async def test_each_sees_the_visits_that_are_theirs_to_see(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        await grant_mandate(client, world.holder_a, world.carer, scopes=("view",))
        contract_id = await visiting(client, clock, world)
        mine = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
        theirs = await recorded(client, contract_id, world, visit_body(world.holder_b_member_id))
        for person in (world.staff_2, world.admin):
            seen = await listed(client, contract_id, person.headers)
            assert {v["id"] for v in seen} == {mine["id"], theirs["id"]}
        assert [v["id"] for v in await listed(client, contract_id, world.holder_a.headers)] == [
            mine["id"]
        ]
        # Asking for another member's visits shows a member nothing.
        query = f"?member_id={world.holder_b_member_id}"
        assert await listed(client, contract_id, world.holder_a.headers, query) == []
        on_behalf = world.carer.on_behalf_of(world.holder_a)
        assert [v["id"] for v in await listed(client, contract_id, on_behalf)] == [mine["id"]]
        for person in (world.staff_1, world.outsider):
            problem(
                await client.get(f"/api/v1/contracts/{contract_id}/visits", headers=person.headers),
                404,
                "not_found",
            )
            problem(
                await client.get(f"/api/v1/visits/{mine['id']}", headers=person.headers),
                404,
                "not_found",
            )
        problem(
            await client.get(f"/api/v1/visits/{theirs['id']}", headers=world.holder_a.headers),
            404,
            "not_found",
        )

    async def test_visits_filter_by_member_status_and_days_in_time_order(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        a, b = world.holder_a_member_id, world.holder_b_member_id
        later = await recorded(client, contract_id, world, visit_body(a, "2026-03-28"))
        earlier = await recorded(client, contract_id, world, visit_body(a, "2026-03-27"))
        other = await recorded(client, contract_id, world, visit_body(b, "2026-03-27", "11:00"))
        ok(await act(client, later["id"], "confirm", world.holder_a.headers))
        headers = world.admin.headers

        async def ids(query: str) -> list[str]:
            return [v["id"] for v in await listed(client, contract_id, headers, query)]

        assert await ids("") == [earlier["id"], other["id"], later["id"]]
        assert await ids(f"?member_id={a}") == [earlier["id"], later["id"]]
        assert await ids("?status=confirmed") == [later["id"]]
        assert await ids("?from=2026-03-28") == [later["id"]]
        assert await ids("?to=2026-03-27") == [earlier["id"], other["id"]]
        assert await ids("?from=2026-03-27&to=2026-03-27&status=to_confirm") == [
            earlier["id"],
            other["id"],
        ]
        body = problem(
            await client.get(
                f"/api/v1/contracts/{contract_id}/visits?from=2026-03-28&to=2026-03-27",
                headers=headers,
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["query", "from"]


class TestDecisions:
    async def test_the_member_or_their_representative_confirms(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        await grant_mandate(client, world.holder_a, world.carer, scopes=("view",))
        contract_id = await visiting(client, clock, world)
        a = world.holder_a_member_id
        own = await recorded(client, contract_id, world, visit_body(a, start="09:00", end="10:00"))
        for_them = await recorded(
            client, contract_id, world, visit_body(a, start="11:00", end="12:00")
        )
        confirmed = ok(await act(client, own["id"], "confirm", world.holder_a.headers)).json()
        assert (confirmed["status"], confirmed["confirmed_by"]) == ("confirmed", "member")
        assert confirmed["confirmed_at"] == "2026-03-30T09:00:00Z"
        by_rep = ok(
            await act(client, for_them["id"], "confirm", world.carer.on_behalf_of(world.holder_a))
        ).json()
        assert by_rep["confirmed_by"] == "representative"
        [entry] = await audit_entries(session, prefix="visit.confirmed", subject_id=for_them["id"])
        assert (entry.actor_user_id, entry.on_behalf_of_user_id) == (
            world.carer.id,
            world.holder_a.id,
        )

    async def test_a_representative_without_view_may_not_confirm_or_read(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        await grant_mandate(client, world.holder_a, world.carer, scopes=("contribute",))
        contract_id = await visiting(client, clock, world)
        visit = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
        headers = world.carer.on_behalf_of(world.holder_a)
        problem(await act(client, visit["id"], "confirm", headers), 403, "outside_mandate")
        problem(
            await client.get(f"/api/v1/contracts/{contract_id}/visits", headers=headers),
            403,
            "outside_mandate",
        )
        assert (await stored(session, visit["id"])).status == "to_confirm"

    async def test_only_the_member_confirms_or_queries(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        visit = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
        for verb, body in (("confirm", None), ("query", {"reason": "Wrong day"})):
            for person in (world.admin, world.staff_2):
                problem(
                    await act(client, visit["id"], verb, person.headers, body), 403, "forbidden"
                )
            problem(
                await act(client, visit["id"], verb, world.holder_b.headers, body), 404, "not_found"
            )
        problem(
            await act(
                client,
                visit["id"],
                "resolve",
                world.holder_a.headers,
                {"outcome": "confirmed", "note": "I agree"},
            ),
            403,
            "forbidden",
        )
        assert (await stored(session, visit["id"])).status == "to_confirm"

    async def test_the_moves_a_visit_may_make(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        a = world.holder_a_member_id
        holder, admin = world.holder_a.headers, world.admin.headers
        confirmed = await recorded(
            client, contract_id, world, visit_body(a, start="07:00", end="08:00")
        )
        queried = await recorded(
            client, contract_id, world, visit_body(a, start="09:00", end="10:00")
        )
        refused = await recorded(
            client, contract_id, world, visit_body(a, start="11:00", end="12:00")
        )
        reason = {"reason": "Twenty minutes late"}
        ok(await act(client, confirmed["id"], "confirm", holder))
        for verb, body in (("confirm", None), ("query", reason)):
            problem(
                await act(client, confirmed["id"], verb, holder, body), 409, "invalid_transition"
            )
        settle = {"outcome": "confirmed", "note": "The rota shows it"}
        problem(
            await act(client, queried["id"], "resolve", admin, settle), 409, "invalid_transition"
        )
        assert ok(await act(client, queried["id"], "query", holder, reason)).json()["status"] == (
            "queried"
        )
        problem(await act(client, queried["id"], "confirm", holder), 409, "invalid_transition")
        settled = ok(await act(client, queried["id"], "resolve", admin, settle)).json()
        assert (settled["status"], settled["confirmed_by"]) == ("confirmed", "admin")
        assert settled["query_reason"] == "Twenty minutes late"
        assert settled["resolution_note"] == "The rota shows it"
        ok(await act(client, refused["id"], "query", holder, reason))
        rejected = ok(
            await act(
                client, refused["id"], "resolve", admin, {"outcome": "rejected", "note": "No"}
            )
        ).json()
        assert (rejected["status"], rejected["confirmed_by"]) == ("rejected", None)
        problem(
            await act(client, refused["id"], "resolve", admin, settle), 409, "invalid_transition"
        )

    async def test_a_representative_never_decides_about_their_own_work(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        # Provider 2's staff member, and the holder's carer named (in other letters) as the
        # worker, both hold mandates with `view`.
        await grant_mandate(client, world.holder_a, world.staff_2, scopes=("view",))
        await grant_mandate(client, world.holder_a, world.carer, scopes=("view",))
        contract_id = await visiting(client, clock, world)
        a = world.holder_a_member_id
        by_carer = await recorded(
            client,
            contract_id,
            world,
            visit_body(a, start="09:00", end="10:00", worker="CERYS  carer"),
        )
        by_gwen = await recorded(
            client, contract_id, world, visit_body(a, start="11:00", end="12:00")
        )
        reason = {"reason": "Not so long"}
        for verb, body in (("confirm", None), ("query", reason)):
            for visit in (by_carer, by_gwen):
                problem(
                    await act(
                        client, visit["id"], verb, world.staff_2.on_behalf_of(world.holder_a), body
                    ),
                    403,
                    "conflict_of_interest",
                )
            problem(
                await act(
                    client, by_carer["id"], verb, world.carer.on_behalf_of(world.holder_a), body
                ),
                403,
                "conflict_of_interest",
            )
        assert (await stored(session, by_carer["id"])).status == "to_confirm"
        ok(await act(client, by_gwen["id"], "confirm", world.carer.on_behalf_of(world.holder_a)))
        # The holder decides about their carer's work themselves.
        ok(await act(client, by_carer["id"], "confirm", world.holder_a.headers))


class TestAutomaticConfirmation:
    async def test_a_visit_left_alone_confirms_itself_when_the_coops_hours_run_out(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        visit = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
        await travel(clock, world, timedelta(hours=48) - timedelta(seconds=1))
        [waiting] = await listed(client, contract_id, world.staff_2.headers)
        assert waiting["status"] == "to_confirm"
        await travel(clock, world, timedelta(seconds=1))
        for _ in range(2):
            read = ok(
                await client.get(f"/api/v1/visits/{visit['id']}", headers=world.holder_a.headers)
            )
            assert (read.json()["status"], read.json()["confirmed_by"]) == ("confirmed", "auto")
            assert read.json()["confirmed_at"] == "2026-04-01T09:00:00Z"
        row = await stored(session, visit["id"])
        assert (row.status, row.confirmed_by, row.confirmed_by_user_id) == (
            "confirmed",
            "auto",
            None,
        )
        [entry] = await audit_entries(session, prefix="visit.confirmed", subject_id=visit["id"])
        assert entry.actor_user_id is None
        assert entry.data["confirmed_by"] == "auto"
        problem(
            await act(client, visit["id"], "query", world.holder_a.headers, {"reason": "Too late"}),
            409,
            "invalid_transition",
        )

    async def test_a_queried_visit_is_never_confirmed_automatically(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        visit = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
        ok(await act(client, visit["id"], "query", world.holder_a.headers, {"reason": "Too short"}))
        await travel(clock, world, timedelta(days=30))
        [read] = await listed(client, contract_id, world.admin.headers)
        assert read["status"] == "queried"

    async def test_holders_may_be_given_longer_at_once_but_less_time_takes_two_admins(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        contract_id = await visiting(client, clock, world)
        coop = f"/api/v1/coops/{world.coop_id}"
        longer = await client.patch(
            coop, json={"rules": {"visit_confirm_hours": 72}}, headers=world.admin.headers
        )
        assert longer.status_code == 200, longer.text
        assert longer.json()["rules"]["visit_confirm_hours"] == 72
        shorter = await client.patch(
            coop, json={"rules": {"visit_confirm_hours": 24}}, headers=world.admin.headers
        )
        assert shorter.status_code == 202, shorter.text
        visit = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
        await travel(clock, world, timedelta(hours=48))
        [read] = await listed(client, contract_id, world.admin.headers)
        assert read["status"] == "to_confirm"
        await travel(clock, world, timedelta(hours=24))
        [read] = await listed(client, contract_id, world.admin.headers)
        assert (read["id"], read["confirmed_by"]) == (visit["id"], "auto")
        assert read["confirmed_at"] == "2026-04-02T09:00:00Z"

    async def test_the_worker_confirms_due_visits_without_anyone_reading(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
        database: Database,
        sessionmaker: async_sessionmaker[AsyncSession],
    ) -> None:
        contract_id = await visiting(client, clock, world)
        first = await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
        later = await recorded(
            client, contract_id, world, visit_body(world.holder_b_member_id, "2026-03-28")
        )
        worker = Worker(database.settings, sessionmaker, clock=clock)
        await travel(clock, world, timedelta(hours=47))
        assert (await worker.run_once()).visits_confirmed == 0
        ok(await act(client, later["id"], "confirm", world.holder_b.headers))
        clock.advance(timedelta(hours=1))
        assert (await worker.run_once()).visits_confirmed == 1
        assert (await worker.run_once()).visits_confirmed == 0
        assert (await stored(session, first["id"])).confirmed_by == "auto"
        assert (await stored(session, later["id"])).confirmed_by == "member"


async def test_a_second_admin_agreeing_shorter_hours_applies_them(
    client: httpx.AsyncClient, clock: FrozenClock, world: World
) -> None:
    contract_id = await visiting(client, clock, world)
    await set_admin(client, world.coop_id, world.carer, world.admin, True)
    await agree_rules(client, world.coop_id, world.admin, world.carer, {"visit_confirm_hours": 24})
    await recorded(client, contract_id, world, visit_body(world.holder_a_member_id))
    await travel(clock, world, timedelta(hours=24))
    [read] = await listed(client, contract_id, world.admin.headers)
    assert read["confirmed_by"] == "auto"
