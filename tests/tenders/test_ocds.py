import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FrozenClock
from app.core.db import unit_of_work
from app.tenders.ocds import service as ocds
from app.tenders.ocds.models import OcdsRelease
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    contribute,
    create_tender,
    declare_demand,
    join_coop,
    open_tender,
    register_person,
    set_direct_payment,
    sign_in_again,
    submit_bid,
)
from tests.helpers import ok, problem
from tests.tenders.conftest import DEADLINE, World, travel
from tests.tenders.helpers import audit_entries
from tests.tenders.ocds_review import assert_valid
from tests.tenders.test_award import no_vote_needed, score_all
from tests.tenders.test_contracts import contracted

BASE = "http://localhost:8000"  # DPC_PUBLIC_BASE_URL's default, which the tests keep
FEED = "/api/v1/ocds/releases"


def ocds_url(tender_id: uuid.UUID) -> str:
    return f"/api/v1/tenders/{tender_id}/ocds"


def ocid(tender_id: uuid.UUID) -> str:
    return f"ocds-dpcwales-{tender_id}"


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


def answer(response: httpx.Response) -> Any:
    """The JSON of an arranging call that must succeed."""
    return ok(response).json()


def tags(package: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["ocid"], r["tag"][0]) for r in package["releases"]]


async def stored_body(session: AsyncSession, release_id: str) -> str:
    body = await session.scalar(
        select(OcdsRelease.body).where(OcdsRelease.release_id == release_id)
    )
    assert body is not None
    return body


@dataclass
class Holders:
    people: list[Person]
    member_ids: list[uuid.UUID]


async def eight_holders(client: httpx.AsyncClient, world: World) -> Holders:
    """The world's two holders and six more, each with a Direct Payment and £50 in the pool."""
    people = [world.holder_a, world.holder_b]
    member_ids = [world.holder_a_member_id, world.holder_b_member_id]
    for n in range(6):
        person = await register_person(client, full_name=f"Deiliad {n}")
        member_ids.append(await join_coop(client, world.coop_id, person, world.admin))
        people.append(person)
    for person in people:
        await set_direct_payment(client, person, weekly_amount_pence=50_000)
        ok(await contribute(client, world.coop_id, person, amount_pence=5_000))
    return Holders(people, member_ids)


async def vote(client: httpx.AsyncClient, proposal_id: str, *voters: Person) -> None:
    for voter in voters:
        ok(
            await client.post(
                f"/api/v1/proposals/{proposal_id}/votes",
                json={"choice": "yes"},
                headers=voter.headers,
            )
        )


async def pay_invoice(
    client: httpx.AsyncClient,
    world: World,
    contract_id: str,
    holders: Holders,
    period: tuple[str, str],
) -> None:
    """An hour for each holder, invoiced, each holder's line accepted (so approval need not
    wait out the dispute window), approved and paid the same day."""
    invoice = answer(
        await client.post(
            f"/api/v1/contracts/{contract_id}/invoices",
            json={
                "period_start": period[0],
                "period_end": period[1],
                "lines": [
                    {"member_id": str(m), "minutes": 60, "description": "Morning call"}
                    for m in holders.member_ids
                ],
            },
            headers=world.staff_2.headers,
        )
    )
    await sign_in_again(client, *holders.people)
    for person, line in zip(holders.people, invoice["lines"], strict=True):
        ok(
            await client.post(
                f"/api/v1/invoices/{invoice['id']}/lines/{line['id']}/accept",
                headers=person.headers,
            )
        )
    for step in ("approve", "pay"):
        ok(
            await client.post(
                f"/api/v1/invoices/{invoice['id']}/{step}",
                headers={**world.admin.headers, "Idempotency-Key": f"{invoice['id']}-{step}"},
            )
        )


async def feed_pages(client: httpx.AsyncClient, first: str) -> list[httpx.Response]:
    """Every page of the feed from `first`, following `links.next`."""
    pages = [await client.get(first)]
    while (next_url := parsed(pages[-1]).get("links", {}).get("next")) is not None:
        assert next_url.startswith(f"{BASE}{FEED}?")
        pages.append(await client.get(next_url.removeprefix(BASE)))
    return pages


class TestEveryStage:
    async def test_a_tender_is_published_stage_by_stage_and_every_package_is_valid(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
        tmp_path: Path,
    ) -> None:
        holders = await eight_holders(client, world)
        tender_id = await create_tender(
            client,
            world.coop_id,
            world.admin,
            title_cy="Gofal cartref gyda chymorth Cymraeg",
        )
        ok(
            await client.patch(
                f"/api/v1/tenders/{tender_id}",
                json={"description_cy": "Mae wyth deiliad eisiau gofal cartref dibynadwy."},
                headers=world.admin.headers,
            )
        )
        for person in holders.people:
            await declare_demand(client, tender_id, person, 5)
        ok(await client.post(f"/api/v1/tenders/{tender_id}/publish", headers=world.admin.headers))
        question = answer(
            await client.post(
                f"/api/v1/tenders/{tender_id}/questions",
                json={"question": "Is the Active Offer needed for every visit?"},
                headers=world.staff_1.headers,
            )
        )
        ok(
            await client.post(
                f"/api/v1/tenders/{tender_id}/questions/{question['id']}/answer",
                json={"answer": "Some Welsh is enough."},
                headers=world.admin.headers,
            )
        )
        bids = [
            await submit_bid(client, tender_id, world.staff_1, hourly_rate_pence=1975),
            await submit_bid(client, tender_id, world.staff_2, hourly_rate_pence=2135),
            await submit_bid(client, tender_id, world.staff_3, hourly_rate_pence=2450),
        ]
        # Another tender, cancelled.
        other = await open_tender(client, world.coop_id, world.admin, title="Seibiant")
        ok(
            await client.post(
                f"/api/v1/tenders/{other}/cancel",
                json={"reason": "The holders found respite elsewhere."},
                headers=world.admin.headers,
            )
        )

        # The deadline: the first read writes the close of bidding, dated the deadline.
        await travel(clock, world, DEADLINE - clock.now() + timedelta(hours=1))
        update_release = parsed(await client.get(ocds_url(tender_id)))["releases"][-1]
        assert update_release["tag"] == ["tenderUpdate"]
        assert update_release["date"] == "2026-03-16T12:00:00Z"
        assert update_release["tender"]["numberOfTenderers"] == 3
        assert update_release["tender"]["items"][0]["quantity"] == 40
        assert update_release["tender"]["items"][0]["description"].endswith("for about 10 people")

        # An award the members do not approve (no quorum in 7 days), then one they do.
        await score_all(client, tender_id, world.admin, dict(zip(bids, (40, 95, 60), strict=True)))
        award = f"/api/v1/tenders/{tender_id}/award"
        ok(await client.post(award, json={"bid_id": str(bids[1])}, headers=world.admin.headers))
        await travel(clock, world, timedelta(days=7, minutes=1))
        assert answer(await client.get(f"/api/v1/tenders/{tender_id}"))["status"] == "evaluation"
        pending = answer(
            await client.post(award, json={"bid_id": str(bids[1])}, headers=world.admin.headers)
        )
        await vote(
            client,
            pending["award_proposal_id"],
            world.admin,
            world.holder_a,
            world.holder_b,
            world.carer,
        )
        await travel(clock, world, timedelta(days=7, minutes=1))
        assert answer(await client.get(f"/api/v1/tenders/{tender_id}"))["status"] == "awarded"
        await travel(clock, world, timedelta(days=10))
        contract = answer(
            await client.post(f"/api/v1/tenders/{tender_id}/contract", headers=world.admin.headers)
        )

        # A week's care paid in the second quarter: nothing to publish while it runs.
        await travel(clock, world, datetime(2026, 5, 4, 9, tzinfo=UTC) - clock.now())
        await pay_invoice(client, world, contract["id"], holders, ("2026-04-13", "2026-04-19"))
        assert parsed(await client.get(ocds_url(tender_id)))["releases"][-1]["tag"] == ["contract"]
        # Paid in the third: the second quarter is over, and its payments were for 8 holders.
        await travel(clock, world, datetime(2026, 7, 2, 9, tzinfo=UTC) - clock.now())
        await pay_invoice(client, world, contract["id"], holders, ("2026-06-01", "2026-06-07"))

        package_response = await client.get(ocds_url(tender_id))
        package = parsed(package_response)
        assert package["uri"] == f"{BASE}/api/v1/tenders/{tender_id}/ocds"
        assert package["license"].startswith("https://www.nationalarchives.gov.uk/")
        assert package["publicationPolicy"] == f"{BASE}/api/v1/ocds/publication-policy"
        assert [r["tag"][0] for r in package["releases"]] == [
            "tender",
            "tenderAmendment",
            "tenderUpdate",
            "tenderAmendment",
            "award",
            "contract",
            "implementation",
        ]
        first = package["releases"][0]
        assert first["tender"]["title_cy"] == "Gofal cartref gyda chymorth Cymraeg"
        assert (
            first["tender"]["description_cy"] == "Mae wyth deiliad eisiau gofal cartref dibynadwy."
        )
        assert first["tender"]["items"][0]["quantity"] == 40
        [transaction] = package["releases"][-1]["contracts"][0]["implementation"]["transactions"]
        assert transaction["id"] == f"{contract['id']}-2026-Q2"
        assert transaction["value"] == {"amount": Decimal("170.80"), "currency": "GBP"}
        assert transaction["date"] == "2026-06-30T23:59:59+01:00"
        # The ceiling, the awarded rate and the quarter's total: no other bid's rate, ever.
        assert amounts(package) == {Decimal("25.00"), Decimal("21.35"), Decimal("170.80")}
        assert str(world.holder_a_member_id) not in package_response.text
        assert_valid(package_response.content, tmp_path)

        other_package = await client.get(ocds_url(other))
        assert [r["tag"] for r in parsed(other_package)["releases"]] == [
            ["tender"],
            ["tenderCancellation"],
        ]
        assert_valid(other_package.content, tmp_path)

        # The feed: every release of both tenders, in publication order, three a page.
        pages = await feed_pages(client, f"{FEED}?limit=3")
        assert len(pages) == 3
        for page in pages:
            assert_valid(page.content, tmp_path, paged=True)
        assert [t for page in pages for t in tags(parsed(page))] == [
            (ocid(tender_id), "tender"),
            (ocid(tender_id), "tenderAmendment"),
            (ocid(other), "tender"),
            (ocid(other), "tenderCancellation"),
            (ocid(tender_id), "tenderUpdate"),
            (ocid(tender_id), "tenderAmendment"),
            (ocid(tender_id), "award"),
            (ocid(tender_id), "contract"),
            (ocid(tender_id), "implementation"),
        ]

        # The record: the releases, and the compiled release.
        record_response = await client.get(f"/api/v1/ocds/records/{ocid(tender_id)}")
        assert_valid(record_response.content, tmp_path)
        [record] = parsed(record_response)["records"]
        assert [r["id"] for r in record["releases"]] == [r["id"] for r in package["releases"]]
        compiled = record["compiledRelease"]
        assert compiled["tag"] == ["compiled"]
        assert compiled["date"] == "2026-07-02T09:00:00Z"
        assert compiled["tender"]["status"] == "complete"
        assert compiled["tender"]["title_cy"] == "Gofal cartref gyda chymorth Cymraeg"
        assert compiled["tender"]["numberOfTenderers"] == 3
        assert [a["rationale"] for a in compiled["tender"]["amendments"]] == [
            "A clarification question was answered.",
            "The members did not approve the proposed award; the tender is back in evaluation.",
        ]
        [made] = compiled["awards"]
        assert made["status"] == "active"
        assert made["suppliers"] == [
            {"id": f"dpc-provider-{world.provider_2}", "name": made["suppliers"][0]["name"]}
        ]
        [signed] = compiled["contracts"]
        assert signed["id"] == contract["id"]
        assert len(signed["implementation"]["transactions"]) == 1
        roles = {p["id"]: p["roles"] for p in compiled["parties"]}
        assert roles[f"dpc-provider-{world.provider_2}"] == ["tenderer", "supplier"]
        assert roles[f"dpc-provider-{world.provider_1}"] == ["tenderer"]
        assert roles[f"dpc-coop-{world.coop_id}"] == ["buyer", "procuringEntity"]

        cancelled_record = await client.get(f"/api/v1/ocds/records/{ocid(other)}")
        assert_valid(cancelled_record.content, tmp_path)
        compiled_other = parsed(cancelled_record)["records"][0]["compiledRelease"]
        assert compiled_other["tender"]["status"] == "cancelled"
        assert compiled_other["tender"]["documents"][0]["description"] == (
            "The holders found respite elsewhere."
        )
        # Each release is published with an audit entry of its own.
        assert len(await audit_entries(session, prefix="ocds.release_published")) == 9


class TestStoredReleases:
    async def test_a_published_release_never_changes(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await declare_demand(client, tender_id, world.holder_a, 10)
        release_id = f"{ocid(tender_id)}-tender"
        first = await client.get(ocds_url(tender_id))
        body = await stored_body(session, release_id)
        assert body.encode() in first.content
        # What the release was made from changes; the release does not.
        await declare_demand(client, tender_id, world.holder_b, 6)
        await submit_bid(client, tender_id, world.staff_1)
        await travel(clock, world, DEADLINE - clock.now())
        later = await client.get(ocds_url(tender_id))
        assert len(parsed(later)["releases"]) == 2
        assert await stored_body(session, release_id) == body
        assert body.encode() in later.content
        [tender_release, deadline] = parsed(later)["releases"]
        assert tender_release["tender"]["items"][0]["quantity"] == 0
        assert deadline["tender"]["items"][0]["quantity"] == 16
        # The database refuses to rewrite or remove one.
        with pytest.raises(DBAPIError, match="append-only"):
            async with session.begin_nested():
                await session.execute(update(OcdsRelease).values(body="{}"))
        with pytest.raises(DBAPIError, match="append-only"):
            async with session.begin_nested():
                await session.execute(text("DELETE FROM ocds_release"))

    async def test_the_deadline_is_written_once_by_whoever_reads_first(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        clock.set(DEADLINE + timedelta(days=2))
        # The feed brings every due tender up to date before it answers.
        feed = parsed(await client.get(FEED))
        assert tags(feed)[-1] == (ocid(tender_id), "tenderUpdate")
        assert feed["releases"][-1]["date"] == "2026-03-16T12:00:00Z"
        assert feed["releases"][-1]["tender"]["status"] == "unsuccessful"
        for _ in range(2):
            package = parsed(await client.get(ocds_url(tender_id)))
            assert [r["tag"] for r in package["releases"]] == [["tender"], ["tenderUpdate"]]
        assert len(await audit_entries(session, prefix="tender.bidding_closed")) == 1

    async def test_a_draft_has_no_releases(self, client: httpx.AsyncClient, world: World) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(await client.get(ocds_url(tender_id)), 404, "not_found")
        problem(
            await client.get(ocds_url(tender_id), headers=world.admin.headers), 404, "not_found"
        )
        problem(await client.get(f"/api/v1/ocds/records/{ocid(tender_id)}"), 404, "not_found")
        # Cancelling a draft publishes nothing either.
        ok(
            await client.post(
                f"/api/v1/tenders/{tender_id}/cancel",
                json={"reason": "Not needed."},
                headers=world.admin.headers,
            )
        )
        problem(await client.get(FEED), 404, "no_releases")

    async def test_welsh_letters_are_kept_as_they_are(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        response = await client.get(ocds_url(tender_id))
        assert "Gofal cartref â chymorth Cymraeg".encode() in response.content
        assert b"\\u00e2" not in response.content
        assert parsed(response)["releases"][0]["tender"]["items"][0]["description_cy"] == (
            "Cymorth yn y cartref: oriau o ofal yr wythnos"
        )

    async def test_the_award_names_the_awarded_rate_only(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        await no_vote_needed(world)
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bids = [
            await submit_bid(client, tender_id, world.staff_1, hourly_rate_pence=1975),
            await submit_bid(client, tender_id, world.staff_2, hourly_rate_pence=2135),
        ]
        await travel(clock, world, DEADLINE - clock.now())
        await score_all(client, tender_id, world.admin, dict(zip(bids, (40, 95), strict=True)))
        ok(
            await client.post(
                f"/api/v1/tenders/{tender_id}/award",
                json={"bid_id": str(bids[1])},
                headers=world.admin.headers,
            )
        )
        package = parsed(await client.get(ocds_url(tender_id)))
        award_release = package["releases"][-1]
        assert award_release["tag"] == ["award"]
        assert award_release["date"] == award_release["awards"][0]["date"]
        assert amounts(package) == {Decimal("25.00"), Decimal("21.35")}


class TestFeed:
    async def test_since_is_inclusive_and_pages_link_on_absolutely(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        first = await open_tender(client, world.coop_id, world.admin)
        await travel(clock, world, timedelta(hours=1))
        second = await open_tender(client, world.coop_id, world.admin)
        await travel(clock, world, timedelta(hours=1))
        third = await open_tender(client, world.coop_id, world.admin)
        everything = parsed(await client.get(FEED))
        assert "links" not in everything
        assert everything["extensions"] == [
            "https://raw.githubusercontent.com/open-contracting-extensions/"
            "ocds_pagination_extension/master/extension.json"
        ]
        assert tags(everything) == [(ocid(t), "tender") for t in (first, second, third)]

        since = everything["releases"][1]["date"]
        page = parsed(await client.get(FEED, params={"since": since, "limit": 1}))
        assert tags(page) == [(ocid(second), "tender")]
        assert page["uri"].startswith(f"{BASE}{FEED}?since=")
        next_url = page["links"]["next"]
        assert next_url.startswith(f"{BASE}{FEED}?since=")
        last = parsed(await client.get(next_url.removeprefix(BASE)))
        assert tags(last) == [(ocid(third), "tender")]
        assert "links" not in last

        problem(
            await client.get(FEED, params={"since": "2026-03-03T00:00:00Z"}), 404, "no_releases"
        )
        problem(await client.get(FEED, params={"cursor": "not-ours"}), 422, "validation_error")

    async def test_the_publication_policy_is_served_in_both_languages(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/api/v1/ocds/publication-policy")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert "publication policy" in response.text
        assert "polisi cyhoeddi" in response.text


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
        self, client: httpx.AsyncClient, world: World, tmp_path: Path
    ) -> None:
        first = await open_tender(client, world.coop_id, world.admin)
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
            assert package["uri"] == f"{BASE}/api/v1/la/areas/{CARDIFF}/ocds"
            assert tags(package) == [(ocid(first), "tender"), (ocid(second), "tender")]
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


class TestContractEvents:
    """Variations and the contract's end are recorded elsewhere; they publish through
    `record_release` with plain data."""

    async def test_a_variation_and_the_end_are_published_through_record_release(
        self,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        world: World,
        tmp_path: Path,
    ) -> None:
        tender_id, contract_id = await contracted(clock, world)
        variation_id = uuid.uuid4()
        async with unit_of_work(sessionmaker) as session:
            written = await ocds.record_release(
                session,
                ocds.ContractVaried(
                    contract_id, variation_id, 2240, date(2026, 5, 1), "The living wage rose."
                ),
                at=clock.now(),
            )
        assert written == f"{ocid(tender_id)}-variation-{variation_id}"
        for _ in range(2):  # the same end recorded twice is published once
            async with unit_of_work(sessionmaker) as session:
                await ocds.record_release(
                    session,
                    ocds.ContractEnded(contract_id, date(2026, 6, 30)),
                    at=datetime(2026, 7, 1, 0, 5, tzinfo=UTC),
                )
        package = parsed(await client.get(ocds_url(tender_id)))
        assert [r["tag"][0] for r in package["releases"]][-3:] == [
            "contract",
            "contractAmendment",
            "contractTermination",
        ]
        record = await client.get(f"/api/v1/ocds/records/{ocid(tender_id)}")
        assert_valid(record.content, tmp_path)
        [contract] = parsed(record)["records"][0]["compiledRelease"]["contracts"]
        assert contract["status"] == "terminated"
        assert contract["period"]["endDate"] == "2026-06-30T23:59:59+01:00"
        assert contract["items"][0]["unit"]["value"]["amount"] == Decimal("22.40")
        assert contract["amendments"][0]["rationale"] == "The living wage rose."
