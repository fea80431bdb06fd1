"""A provider whose public liability or CIW registration record has lapsed, with the tendering
co-op, cannot bid (403 `provider_not_eligible`); no record at all is not a lapse."""

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.models import TenderBid
from tests.compliance.conftest import World, file
from tests.factories import bid_fields, create_coop, open_tender, register_person, sign_in_again
from tests.helpers import ok, problem


def bids_url(tender_id: uuid.UUID) -> str:
    return f"/api/v1/tenders/{tender_id}/bids"


async def bids(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(TenderBid)) or 0


async def provider_record(
    client: httpx.AsyncClient, world: World, kind: str, *, issued_on: str, expires_on: str
) -> dict[str, object]:
    return await file(
        client,
        world,
        subject_kind="provider",
        subject_id=str(world.provider_id),
        kind=kind,
        issued_on=issued_on,
        expires_on=expires_on,
    )


class TestBiddingWithLapsedPaperwork:
    @pytest.mark.parametrize("kind", ["public_liability", "ciw_registration"])
    async def test_a_lapsed_record_with_the_tendering_co_op_refuses_the_bid(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, kind: str
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await provider_record(client, world, kind, issued_on="2025-03-01", expires_on="2026-03-01")
        response = await client.post(
            bids_url(tender_id), json=bid_fields(), headers=world.staff.headers
        )
        body = problem(response, 403, "provider_not_eligible")
        assert body["lapsed"] == [kind]
        assert await bids(session) == 0

    async def test_both_lapsed_are_named_in_welsh_too(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        for kind in ("ciw_registration", "public_liability"):
            await provider_record(
                client, world, kind, issued_on="2025-03-01", expires_on="2026-02-28"
            )
        response = await client.post(
            bids_url(tender_id),
            json=bid_fields(),
            headers={**world.staff.headers, "Accept-Language": "cy"},
        )
        body = problem(response, 403, "provider_not_eligible")
        assert body["lapsed"] == ["public_liability", "ciw_registration"]
        assert "AGC" in str(body["detail"])

    async def test_no_record_at_all_is_not_a_lapse(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        ok(await client.post(bids_url(tender_id), json=bid_fields(), headers=world.staff.headers))

    async def test_other_kinds_lapsed_do_not_stop_a_bid(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await provider_record(
            client, world, "employers_liability", issued_on="2025-03-01", expires_on="2026-03-01"
        )
        ok(await client.post(bids_url(tender_id), json=bid_fields(), headers=world.staff.headers))

    async def test_a_lapse_another_co_op_recorded_does_not_count_here(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        neighbour = await register_person(client, full_name="Nia Neighbour")
        neighbours = await create_coop(client, neighbour, name="Cymdogion")
        ok(
            await client.post(
                f"/api/v1/coops/{neighbours}/compliance",
                json={
                    "subject_kind": "provider",
                    "subject_id": str(world.provider_id),
                    "kind": "public_liability",
                    "reference": "PL-OLD",
                    "issued_on": "2025-01-01",
                    "expires_on": "2026-01-01",
                },
                headers=neighbour.headers,
            )
        )
        tender_id = await open_tender(client, world.coop_id, world.admin)
        ok(await client.post(bids_url(tender_id), json=bid_fields(), headers=world.staff.headers))
        theirs = await open_tender(client, neighbours, neighbour)
        problem(
            await client.post(bids_url(theirs), json=bid_fields(), headers=world.staff.headers),
            403,
            "provider_not_eligible",
        )

    async def test_a_renewal_lets_the_provider_bid_again(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await provider_record(
            client, world, "public_liability", issued_on="2025-03-01", expires_on="2026-03-01"
        )
        problem(
            await client.post(bids_url(tender_id), json=bid_fields(), headers=world.staff.headers),
            403,
            "provider_not_eligible",
        )
        await provider_record(
            client, world, "public_liability", issued_on="2026-03-02", expires_on="2027-03-01"
        )
        ok(await client.post(bids_url(tender_id), json=bid_fields(), headers=world.staff.headers))

    async def test_good_on_its_last_day_and_an_amendment_refused_the_day_after(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await provider_record(
            client, world, "ciw_registration", issued_on="2025-03-06", expires_on="2026-03-05"
        )
        # 23:59 on the last day, in Wales (GMT in March).
        clock.set(datetime(2026, 3, 5, 23, 59, tzinfo=UTC))
        await sign_in_again(client, world.staff)
        made = ok(
            await client.post(bids_url(tender_id), json=bid_fields(), headers=world.staff.headers)
        ).json()
        clock.set(datetime(2026, 3, 6, 0, 0, tzinfo=UTC))
        await sign_in_again(client, world.staff)
        response = await client.put(
            f"{bids_url(tender_id)}/{made['id']}",
            json=bid_fields(hourly_rate_pence=2100),
            headers=world.staff.headers,
        )
        assert problem(response, 403, "provider_not_eligible")["lapsed"] == ["ciw_registration"]
        kept = await client.get(bids_url(tender_id), headers=world.staff.headers)
        assert [b["hourly_rate_pence"] for b in ok(kept).json()["items"]] == [2200]
