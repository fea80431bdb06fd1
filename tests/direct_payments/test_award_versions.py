"""An award is a history of versions: each PUT is compared with the latest version.

The test clock stands at 2026-03-02.
"""

from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.direct_payments.models import DirectPaymentAward
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    appoint_officer,
    confirm_award,
    contribute,
    create_coop,
    fresh_token,
    grant_mandate,
    join_coop,
    platform_admin,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok, problem, what_entries_say


def answer(response: Any) -> Any:
    """The JSON of an answer that must have succeeded."""
    return ok(response).json()


URL = "/api/v1/me/direct-payment"
HISTORY = f"{URL}/history"


async def versions(session: AsyncSession, holder: Person) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(DirectPaymentAward)
            .where(DirectPaymentAward.user_id == holder.id)
        )
        or 0
    )


async def history(client: httpx.AsyncClient, holder: Person) -> list[dict[str, object]]:
    items: list[dict[str, object]] = answer(await client.get(HISTORY, headers=holder.headers))[
        "items"
    ]
    return items


async def reject(
    client: httpx.AsyncClient, officer: Person, award_id: object, reason: str = "Not ours"
) -> dict[str, object]:
    body: dict[str, object] = answer(
        await client.post(
            f"/api/v1/la/awards/{award_id}/reject", json={"reason": reason}, headers=officer.headers
        )
    )
    return body


class TestDeclaringVersions:
    async def test_a_first_award_is_a_declared_version(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        body = await set_direct_payment(client, holder, start_date=date(2026, 2, 2))
        assert body["status"] == "declared"
        assert (body["council_reference"], body["confirmed_at"], body["end_date"]) == (
            None,
            None,
            None,
        )
        assert body["current_cycle"]["first_day"] == "2026-03-02"
        assert [v["id"] for v in await history(client, holder)] == [body["id"]]

    async def test_a_later_start_begins_a_new_version_and_ends_the_latest_the_day_before(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        first = await set_direct_payment(client, holder, start_date=date(2026, 2, 2))
        second = await set_direct_payment(
            client, holder, start_date=date(2026, 3, 2), weekly_amount_pence=30_000
        )
        assert second["id"] != first["id"]
        assert (second["start_date"], second["status"]) == ("2026-03-02", "declared")
        # Cycles count from the new version's own start.
        assert second["current_cycle"]["number"] == 0
        assert second["current_cycle"]["allowance_pence"] == 120_000
        versions_read = await history(client, holder)
        assert [(v["start_date"], v["end_date"]) for v in versions_read] == [
            ("2026-03-02", None),
            ("2026-02-02", "2026-03-01"),
        ]
        assert await versions(session, holder) == 2
        in_force = answer(await client.get(URL, headers=holder.headers))
        assert in_force["id"] == second["id"]

    async def test_a_version_that_already_ends_sooner_keeps_its_end(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        await set_direct_payment(
            client, holder, start_date=date(2026, 1, 5), end_date=date(2026, 1, 31)
        )
        await set_direct_payment(client, holder, start_date=date(2026, 3, 2))
        ends = [v["end_date"] for v in await history(client, holder)]
        assert ends == [None, "2026-01-31"]

    async def test_the_same_start_corrects_a_declared_version(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        first = await set_direct_payment(client, holder, weekly_amount_pence=10_000)
        again = await set_direct_payment(
            client, holder, weekly_amount_pence=12_000, area_code=SWANSEA
        )
        assert again["id"] == first["id"]
        assert (again["weekly_amount_pence"], again["area_code"]) == (12_000, SWANSEA)
        assert await versions(session, holder) == 1

    async def test_an_earlier_start_than_the_latest_is_in_the_past_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        await set_direct_payment(client, holder, start_date=date(2026, 3, 2))
        before = await history(client, holder)
        body = problem(
            await client.put(
                URL,
                json={"area_code": CARDIFF, "weekly_amount_pence": 1, "start_date": "2026-03-01"},
                headers=holder.headers,
            ),
            422,
            "award_in_past",
        )
        assert "2026-03-02" in body["detail"]
        assert await history(client, holder) == before
        assert await versions(session, holder) == 1

    async def test_a_confirmed_version_is_the_councils_to_correct(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await appoint_officer(client, admin, CARDIFF)
        holder = await register_person(client)
        award = await set_direct_payment(client, holder)
        await confirm_award(client, officer, award["id"])
        before = await history(client, holder)
        problem(
            await client.put(
                URL,
                json={
                    "area_code": CARDIFF,
                    "weekly_amount_pence": 99_999,
                    "start_date": award["start_date"],
                },
                headers=holder.headers,
            ),
            409,
            "award_confirmed",
        )
        assert await history(client, holder) == before
        # A change from a later day is a new version, declared for the council to decide.
        later = await set_direct_payment(client, holder, start_date=date(2026, 4, 6))
        assert later["status"] == "declared"
        assert [v["status"] for v in await history(client, holder)] == ["declared", "confirmed"]

    async def test_correcting_a_rejected_version_declares_it_again(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await appoint_officer(client, admin, CARDIFF)
        holder = await register_person(client)
        award = await set_direct_payment(client, holder, weekly_amount_pence=40_000)
        rejected = await reject(client, officer, award["id"], reason="We pay 30,000 a week")
        assert (rejected["status"], rejected["rejection_reason"]) == (
            "rejected",
            "We pay 30,000 a week",
        )
        corrected = await set_direct_payment(client, holder, weekly_amount_pence=30_000)
        assert corrected["id"] == award["id"]
        assert (corrected["status"], corrected["rejected_at"], corrected["rejection_reason"]) == (
            "declared",
            None,
            None,
        )
        assert corrected["current_cycle"]["allowance_pence"] == 120_000


class TestVersionInForce:
    async def test_a_rejected_version_is_not_in_force(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        officer = await appoint_officer(client, admin, CARDIFF)
        founder = await register_person(client)
        coop = await create_coop(client, founder)
        holder = await register_person(client)
        await join_coop(client, coop, holder, founder)
        award = await set_direct_payment(client, holder)
        await reject(client, officer, award["id"])
        problem(await client.get(URL, headers=holder.headers), 404, "not_found")
        problem(await contribute(client, coop, holder, amount_pence=100), 422, "no_direct_payment")
        assert [v["status"] for v in await history(client, holder)] == ["rejected"]

    async def test_the_version_in_force_follows_the_day(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        holder = await register_person(client)
        now = await set_direct_payment(client, holder, start_date=date(2026, 3, 2))
        later = await set_direct_payment(client, holder, start_date=date(2026, 4, 6))
        assert answer(await client.get(URL, headers=holder.headers))["id"] == now["id"]
        clock.advance(timedelta(days=35))
        await fresh_token(client, holder)
        read = answer(await client.get(URL, headers=holder.headers))
        assert read["id"] == later["id"]
        assert read["current_cycle"]["first_day"] == "2026-04-06"

    async def test_a_future_version_alone_is_not_in_force_yet(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        await set_direct_payment(client, holder, start_date=date(2026, 4, 1))
        problem(await client.get(URL, headers=holder.headers), 404, "not_found")
        assert len(await history(client, holder)) == 1


class TestHistory:
    async def test_a_representative_with_view_reads_the_holders_history(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        await set_direct_payment(client, holder, start_date=date(2026, 2, 2))
        await set_direct_payment(client, holder, start_date=date(2026, 3, 2))
        viewer = await register_person(client)
        await grant_mandate(client, holder, viewer, scopes=("view",))
        read = answer(await client.get(HISTORY, headers=viewer.on_behalf_of(holder)))
        assert [v["start_date"] for v in read["items"]] == ["2026-03-02", "2026-02-02"]
        assert read["next_cursor"] is None
        contributor = await register_person(client)
        await grant_mandate(client, holder, contributor, scopes=("contribute",))
        problem(
            await client.get(HISTORY, headers=contributor.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )

    async def test_pages_through_the_versions(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        for month in (1, 2, 3):
            await set_direct_payment(client, holder, start_date=date(2026, month, 2))
        first = answer(await client.get(HISTORY, params={"limit": 2}, headers=holder.headers))
        assert [v["start_date"] for v in first["items"]] == ["2026-03-02", "2026-02-02"]
        rest = answer(
            await client.get(
                HISTORY, params={"cursor": first["next_cursor"]}, headers=holder.headers
            )
        )
        assert [v["start_date"] for v in rest["items"]] == ["2026-01-02"]

    async def test_someone_without_an_award_has_an_empty_history(
        self, client: httpx.AsyncClient
    ) -> None:
        person = await register_person(client)
        assert await history(client, person) == []
        problem(await client.get(HISTORY), 401, "not_authenticated")

    async def test_every_version_is_in_the_holders_activity_without_its_figures(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        await set_direct_payment(client, holder, start_date=date(2026, 2, 2))
        await set_direct_payment(client, holder, start_date=date(2026, 3, 2))
        activity = answer(await client.get("/api/v1/me/activity", headers=holder.headers))
        recorded = [e for e in activity["items"] if e["action"] == "direct_payment.recorded"]
        assert len(recorded) == 2
        assert "ended_award_id" in recorded[0]["data"]
        said = what_entries_say(activity)
        assert not [s for s in said if "25000" in s], said
