"""Councils' monitoring profiles: public to read, set by platform admins, and the surplus rule
of the holders each council pays."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    contribute,
    create_coop,
    join_coop,
    platform_admin,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok, problem
from tests.notifications.conftest import feed


def url(code: str = CARDIFF) -> str:
    return f"/api/v1/areas/{code}/monitoring-profile"


PROFILE = {"period": "monthly", "surplus_weeks": 6, "first_review_weeks": 10}


class TestReadAndSet:
    async def test_a_profile_never_set_reads_the_defaults_for_anyone(
        self, client: httpx.AsyncClient
    ) -> None:
        body = ok(await client.get(url(SWANSEA))).json()
        assert body == {
            "area_code": SWANSEA,
            "period": "quarterly",
            "surplus_weeks": 8,
            "first_review_weeks": 12,
            "is_default": True,
            "updated_at": None,
        }

    async def test_a_platform_admin_sets_it_and_everyone_reads_it(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        admin = await platform_admin(client, session)
        body = ok(await client.put(url(), json=PROFILE, headers=admin.headers)).json()
        expected = {
            "area_code": CARDIFF,
            **PROFILE,
            "is_default": False,
            "updated_at": body["updated_at"],
        }
        assert body == expected
        assert ok(await client.get(url())).json() == expected
        # Another area keeps its defaults.
        assert ok(await client.get(url(SWANSEA))).json()["is_default"] is True
        changed = {**PROFILE, "period": "annual", "surplus_weeks": 12}
        again = ok(await client.put(url(), json=changed, headers=admin.headers)).json()
        assert (again["period"], again["surplus_weeks"]) == ("annual", 12)
        entries = ok(await client.get("/api/v1/me/activity", headers=admin.headers)).json()
        assert [
            e["data"]["surplus_weeks"]
            for e in entries["items"]
            if e["action"] == "monitoring_profile.set"
        ] == [12, 6]

    async def test_only_platform_admins_set_it(self, client: httpx.AsyncClient) -> None:
        person = await register_person(client)
        problem(await client.put(url(), json=PROFILE, headers=person.headers), 403, "forbidden")
        problem(await client.put(url(), json=PROFILE), 401, "not_authenticated")
        assert ok(await client.get(url())).json()["is_default"] is True

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"period": "weekly"}, "period"),
            ({"surplus_weeks": 0}, "surplus_weeks"),
            ({"surplus_weeks": 53}, "surplus_weeks"),
            ({"surplus_weeks": 8.0}, "surplus_weeks"),
            ({"first_review_weeks": 0}, "first_review_weeks"),
            ({"first_review_weeks": "12"}, "first_review_weeks"),
        ],
    )
    async def test_bad_figures_are_refused_naming_the_field(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        change: dict[str, Any],
        field: str,
    ) -> None:
        admin = await platform_admin(client, session)
        body = problem(
            await client.put(url(), json={**PROFILE, **change}, headers=admin.headers),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [["body", field]]
        assert ok(await client.get(url())).json()["is_default"] is True

    async def test_an_unknown_area_has_none(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        problem(await client.get(url("W99999999")), 404, "area_not_found")
        problem(
            await client.put(url("W99999999"), json=PROFILE, headers=admin.headers),
            404,
            "area_not_found",
        )


class TestSurplus:
    async def test_the_statement_and_the_return_flag_a_surplus_by_the_paying_councils_weeks(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        founder = await register_person(client, full_name="Founder")
        coop = await create_coop(client, founder, area_codes=(CARDIFF, SWANSEA))
        cardiff_holder = await register_person(client, full_name="Cardiff Holder")
        swansea_holder = await register_person(client, full_name="Swansea Holder")
        members = {}
        for holder, area in ((cardiff_holder, CARDIFF), (swansea_holder, SWANSEA)):
            members[area] = await join_coop(client, coop, holder, founder)
            await set_direct_payment(client, holder, weekly_amount_pence=10_000, area_code=area)
            # Four weeks of budget held.
            ok(await contribute(client, coop, holder, amount_pence=40_000))

        async def flags(area: str) -> tuple[Any, Any]:
            base = f"/api/v1/coops/{coop}/members/{members[area]}"
            statement = ok(await client.get(f"{base}/statement", headers=founder.headers)).json()
            dp_return = ok(
                await client.get(
                    f"{base}/dp-return", params={"period": "2026-03"}, headers=founder.headers
                )
            ).json()
            assert statement["weeks_of_budget_held"] == dp_return["weeks_of_budget_held"] == "4.0"
            assert statement["surplus"] == dp_return["surplus"]
            return statement["surplus"], dp_return["surplus"]

        assert await flags(CARDIFF) == (False, False)
        ok(
            await client.put(
                url(CARDIFF), json={**PROFILE, "surplus_weeks": 3}, headers=admin.headers
            )
        )
        assert await flags(CARDIFF) == (True, True)
        # Swansea's holder in the same co-op keeps Swansea's default of 8 weeks.
        assert await flags(SWANSEA) == (False, False)
        ok(
            await client.put(
                url(CARDIFF), json={**PROFILE, "surplus_weeks": 4}, headers=admin.headers
            )
        )
        # Exactly the weeks allowed is not above them.
        assert await flags(CARDIFF) == (False, False)

    async def test_the_holder_is_warned_when_above_their_councils_weeks(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        ok(await client.put(url(), json={**PROFILE, "surplus_weeks": 2}, headers=admin.headers))
        founder = await register_person(client, full_name="Founder")
        holder = await register_person(client, full_name="Holder")
        coop = await create_coop(client, founder)
        await join_coop(client, coop, holder, founder)
        await set_direct_payment(client, holder, weekly_amount_pence=10_000)
        ok(await contribute(client, coop, holder, amount_pence=20_000))
        assert await warnings(client, holder) == []
        ok(await contribute(client, coop, holder, amount_pence=1))
        told = await warnings(client, holder)
        assert len(told) == 1
        assert "more than 2 weeks" in str(told[0]["body"])
        welsh = await warnings(client, holder, language="cy")
        assert "fwy na 2 wythnos" in str(welsh[0]["body"])


async def warnings(
    client: httpx.AsyncClient, holder: Person, language: str | None = None
) -> list[dict[str, object]]:
    items = await feed(client, holder, language=language)
    return [n for n in items if n["type"] == "surplus.warning"]
