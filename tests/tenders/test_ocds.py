import json
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.clock import FrozenClock
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    create_tender,
    declare_demand,
    open_tender,
    register_person,
    submit_bid,
)
from tests.helpers import problem
from tests.tenders.conftest import DEADLINE, World, travel
from tests.tenders.ocds_review import assert_valid
from tests.tenders.test_award import no_vote_needed, score_all


def ocds_url(tender_id: uuid.UUID) -> str:
    return f"/api/v1/tenders/{tender_id}/ocds"


def amounts(value: Any) -> set[Decimal]:
    """Every money amount anywhere in a package."""
    found: set[Decimal] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "amount":
                found.add(item)
            else:
                found |= amounts(item)
    elif isinstance(value, list):
        for item in value:
            found |= amounts(item)
    return found


def parsed(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = json.loads(response.content, parse_float=Decimal)
    return body


async def awarded(client: httpx.AsyncClient, clock: FrozenClock, world: World) -> uuid.UUID:
    """A tender with two members' demand and three bids, awarded (no vote) to the 21.35 bid."""
    await no_vote_needed(client, world)
    tender_id = await open_tender(client, world.coop_id, world.admin)
    await declare_demand(client, tender_id, world.holder_a, 10)
    await declare_demand(client, tender_id, world.holder_b, 6)
    bids = [
        await submit_bid(client, tender_id, world.staff_1, hourly_rate_pence=1975),
        await submit_bid(client, tender_id, world.staff_2, hourly_rate_pence=2135),
        await submit_bid(client, tender_id, world.staff_3, hourly_rate_pence=2450),
    ]
    await travel(client, clock, world, DEADLINE - clock.now())
    await score_all(client, tender_id, world.admin, dict(zip(bids, (40, 95, 60), strict=True)))
    response = await client.post(
        f"/api/v1/tenders/{tender_id}/award",
        json={"bid_id": str(bids[1])},
        headers=world.admin.headers,
    )
    assert response.status_code == 200, response.text
    return tender_id


class TestTenderOcds:
    async def test_a_published_tender_has_planning_and_tender_releases_and_is_valid(
        self, client: httpx.AsyncClient, world: World, tmp_path: Path
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await declare_demand(client, tender_id, world.holder_a, 10)
        await submit_bid(client, tender_id, world.staff_1)
        response = await client.get(ocds_url(tender_id))
        package = parsed(response)
        ocid = f"ocds-dpcwales-{tender_id}"
        assert package["uri"] == f"http://test/api/v1/tenders/{tender_id}/ocds"
        assert package["version"] == "1.1"
        assert package["publisher"] == {"name": "Direct Payments co-operatives in Wales"}
        assert [(r["id"], r["tag"]) for r in package["releases"]] == [
            (f"{ocid}-planning", ["planning"]),
            (f"{ocid}-tender", ["tender"]),
        ]
        tender = package["releases"][1]["tender"]
        assert tender["status"] == "active"
        assert tender["tenderPeriod"]["endDate"] == "2026-03-16T12:00:00Z"
        assert tender["items"][0]["quantity"] == 10
        assert tender["items"][0]["unit"]["value"] == {
            "amount": Decimal("25.00"),
            "currency": "GBP",
        }
        # Before the deadline nothing about bids appears.
        assert "numberOfTenderers" not in tender
        assert "tenderers" not in tender
        assert str(world.provider_1) not in response.text
        assert amounts(package) == {Decimal("25.00")}
        assert_valid(response.content, tmp_path)

    async def test_welsh_letters_are_kept_as_they_are(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        response = await client.get(ocds_url(tender_id))
        assert "Gofal cartref â chymorth Cymraeg".encode() in response.content
        assert b"\\u00e2" not in response.content

    async def test_after_the_deadline_the_tenderers_are_named(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World, tmp_path: Path
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await submit_bid(client, tender_id, world.staff_1, hourly_rate_pence=1975)
        await submit_bid(client, tender_id, world.staff_2, hourly_rate_pence=2135)
        clock.set(DEADLINE)
        response = await client.get(ocds_url(tender_id))
        package = parsed(response)
        update = package["releases"][-1]
        assert update["tag"] == ["tenderUpdate"]
        assert update["date"] == "2026-03-16T12:00:00Z"
        assert update["tender"]["numberOfTenderers"] == 2
        roles = {p["id"]: p["roles"] for p in update["parties"]}
        assert roles[f"dpc-provider-{world.provider_1}"] == ["tenderer"]
        assert roles[f"dpc-coop-{world.coop_id}"] == ["buyer", "procuringEntity"]
        assert amounts(package) == {Decimal("25.00")}
        assert_valid(response.content, tmp_path)

    async def test_after_the_award_only_the_awarded_rate_is_published(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World, tmp_path: Path
    ) -> None:
        tender_id = await awarded(client, clock, world)
        response = await client.get(ocds_url(tender_id))
        package = parsed(response)
        award_release = package["releases"][-1]
        assert award_release["tag"] == ["award"]
        [award] = award_release["awards"]
        assert award["status"] == "active"
        assert award["suppliers"][0]["id"] == f"dpc-provider-{world.provider_2}"
        assert award["items"][0]["unit"]["value"] == {"amount": Decimal("21.35"), "currency": "GBP"}
        assert award["items"][0]["quantity"] == 16
        assert award_release["tender"]["status"] == "complete"
        roles = {p["id"]: p["roles"] for p in award_release["parties"]}
        assert roles[f"dpc-provider-{world.provider_2}"] == ["tenderer", "supplier"]
        assert roles[f"dpc-provider-{world.provider_1}"] == ["tenderer"]
        opened = package["releases"][-2]
        assert opened["tag"] == ["tenderUpdate"]
        assert all(p["roles"] != ["tenderer", "supplier"] for p in opened["parties"])
        # The ceiling, and the awarded rate: no other bid's rate.
        assert amounts(package) == {Decimal("25.00"), Decimal("21.35")}
        assert package["publishedDate"] == award_release["date"]
        assert_valid(response.content, tmp_path)

    async def test_a_cancelled_tender_says_so(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World, tmp_path: Path
    ) -> None:
        tender_id = await awarded(client, clock, world)
        await travel(client, clock, world, timedelta(days=1))
        cancelled = await client.post(
            f"/api/v1/tenders/{tender_id}/cancel",
            json={"reason": "The council took the packages back."},
            headers=world.admin.headers,
        )
        assert cancelled.status_code == 200, cancelled.text
        response = await client.get(ocds_url(tender_id))
        package = parsed(response)
        last = package["releases"][-1]
        assert last["tag"] == ["tenderCancellation"]
        assert last["tender"]["status"] == "cancelled"
        assert last["awards"][0]["status"] == "cancelled"
        assert_valid(response.content, tmp_path)

    async def test_an_unsuccessful_tender_is_valid_too(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World, tmp_path: Path
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        clock.set(DEADLINE)
        response = await client.get(ocds_url(tender_id))
        package = parsed(response)
        assert package["releases"][-1]["tender"]["status"] == "unsuccessful"
        assert package["releases"][-1]["tender"]["numberOfTenderers"] == 0
        assert_valid(response.content, tmp_path)

    async def test_a_draft_has_no_releases(self, client: httpx.AsyncClient, world: World) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(await client.get(ocds_url(tender_id)), 404, "not_found")
        problem(
            await client.get(ocds_url(tender_id), headers=world.admin.headers), 404, "not_found"
        )


async def officer_of(
    client: httpx.AsyncClient, world: World, area_code: str, *, full_name: str = "Officer"
) -> Person:
    officer = await register_person(client, full_name=full_name)
    response = await client.post(
        "/api/v1/admin/la-officers",
        json={"user_id": str(officer.id), "area_code": area_code},
        headers=world.platform_admin.headers,
    )
    assert response.status_code == 201, response.text
    return officer


async def client_token(client: httpx.AsyncClient, world: World, area_code: str) -> dict[str, str]:
    created = await client.post(
        "/api/v1/admin/api-clients",
        json={"name": "Council BI", "area_code": area_code},
        headers=world.platform_admin.headers,
    )
    assert created.status_code == 201, created.text
    token = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created.json()["client_id"],
            "client_secret": created.json()["client_secret"],
        },
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


class TestAreaOcds:
    async def test_the_areas_council_reads_every_published_tender_there(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World, tmp_path: Path
    ) -> None:
        first = await awarded(client, clock, world)
        second = await open_tender(
            client,
            world.coop_id,
            world.admin,
            area_codes=[CARDIFF, SWANSEA],
            submission_deadline="2026-04-30T12:00:00+00:00",
        )
        await create_tender(client, world.coop_id, world.admin)
        await open_tender(
            client,
            world.coop_id,
            world.admin,
            area_codes=[SWANSEA],
            submission_deadline="2026-04-30T12:00:00+00:00",
        )
        officer = await officer_of(client, world, CARDIFF)
        for headers in (officer.headers, await client_token(client, world, CARDIFF)):
            response = await client.get(f"/api/v1/la/areas/{CARDIFF}/ocds", headers=headers)
            package = parsed(response)
            assert package["uri"] == f"http://test/api/v1/la/areas/{CARDIFF}/ocds"
            assert {r["ocid"] for r in package["releases"]} == {
                f"ocds-dpcwales-{first}",
                f"ocds-dpcwales-{second}",
            }
            assert_valid(response.content, tmp_path)
        platform = await client.get(
            f"/api/v1/la/areas/{CARDIFF}/ocds", headers=world.platform_admin.headers
        )
        assert platform.status_code == 200

    async def test_no_published_tender_is_no_releases(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await create_tender(client, world.coop_id, world.admin)
        officer = await officer_of(client, world, CARDIFF)
        problem(
            await client.get(f"/api/v1/la/areas/{CARDIFF}/ocds", headers=officer.headers),
            404,
            "no_releases",
        )

    @pytest.mark.parametrize("who", ["swansea_officer", "member", "provider"])
    async def test_other_people_may_not_read_it(
        self, client: httpx.AsyncClient, world: World, who: str
    ) -> None:
        await open_tender(client, world.coop_id, world.admin)
        people = {
            "swansea_officer": await officer_of(client, world, SWANSEA),
            "member": world.admin,
            "provider": world.staff_1,
        }
        problem(
            await client.get(f"/api/v1/la/areas/{CARDIFF}/ocds", headers=people[who].headers),
            403,
            "forbidden",
        )
        problem(await client.get(f"/api/v1/la/areas/{CARDIFF}/ocds"), 401, "not_authenticated")

    async def test_an_unknown_area_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        problem(
            await client.get(
                "/api/v1/la/areas/W06000099/ocds", headers=world.platform_admin.headers
            ),
            404,
            "area_not_found",
        )
