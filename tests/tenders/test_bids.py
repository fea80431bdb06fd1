import json
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.models import TenderBid
from tests.factories import (
    SWANSEA,
    bid_fields,
    create_provider,
    create_tender,
    open_tender,
    register_person,
    sign_in_again,
    submit_bid,
    verified_provider,
)
from tests.helpers import ok, problem
from tests.tenders.conftest import DEADLINE, World
from tests.tenders.helpers import audit_entries, count


def bids_url(tender_id: uuid.UUID) -> str:
    return f"/api/v1/tenders/{tender_id}/bids"


async def past_deadline(client: httpx.AsyncClient, clock: FrozenClock, world: World) -> None:
    clock.set(DEADLINE)
    await sign_in_again(client, *world.people())


class TestSubmitBid:
    async def test_a_verified_providers_staff_bid_and_it_is_sealed(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        response = await client.post(
            bids_url(tender_id), json=bid_fields(), headers=world.staff_1.headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {
            **bid_fields(),
            "id": body["id"],
            "provider_id": str(world.provider_1),
            "quality_score": None,
            "submitted_at": "2026-03-02T09:00:00Z",
        }
        [entry] = await audit_entries(session, prefix="tender.bid")
        assert entry.coop_id is None
        assert entry.data == {"tender_id": str(tender_id)}
        coop_audit = await client.get(
            f"/api/v1/coops/{world.coop_id}/audit", headers=world.admin.headers
        )
        for item in coop_audit.json()["items"]:
            assert body["id"] not in json.dumps(item)
            assert 2200 not in item["data"].values()

    async def test_a_rate_above_the_ceiling_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        body = problem(
            await client.post(
                bids_url(tender_id),
                json=bid_fields(hourly_rate_pence=2501),
                headers=world.staff_1.headers,
            ),
            422,
            "rate_above_ceiling",
        )
        assert "2500" in body["detail"]
        assert await count(session, TenderBid) == 0

    async def test_the_ceiling_itself_is_allowed(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await submit_bid(client, tender_id, world.staff_1, hourly_rate_pence=2500)

    @pytest.mark.parametrize(("required", "offered"), [("some", "none"), ("full", "some")])
    async def test_a_welsh_offer_below_the_requirement_is_refused(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        world: World,
        required: str,
        offered: str,
    ) -> None:
        tender_id = await open_tender(
            client, world.coop_id, world.admin, welsh_language_required=required
        )
        problem(
            await client.post(
                bids_url(tender_id),
                json=bid_fields(welsh_language=offered),
                headers=world.staff_1.headers,
            ),
            422,
            "welsh_offer_too_low",
        )
        assert await count(session, TenderBid) == 0

    async def test_a_second_bid_from_the_same_provider_is_a_conflict(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await submit_bid(client, tender_id, world.staff_1)
        colleague = await register_person(client)
        ok(
            await client.post(
                f"/api/v1/providers/{world.provider_1}/staff",
                json={"user_id": str(colleague.id)},
                headers=world.staff_1.headers,
            )
        )
        problem(
            await client.post(bids_url(tender_id), json=bid_fields(), headers=colleague.headers),
            409,
            "bid_exists",
        )
        assert await count(session, TenderBid) == 1

    async def test_a_bid_after_the_deadline_is_refused(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await past_deadline(client, clock, world)
        problem(
            await client.post(
                bids_url(tender_id), json=bid_fields(), headers=world.staff_1.headers
            ),
            409,
            "submission_closed",
        )
        assert await count(session, TenderBid) == 0

    async def test_an_unverified_provider_is_not_eligible(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        staff = await register_person(client)
        await create_provider(client, staff)
        problem(
            await client.post(bids_url(tender_id), json=bid_fields(), headers=staff.headers),
            403,
            "provider_not_eligible",
        )
        assert await count(session, TenderBid) == 0

    @pytest.mark.parametrize(
        "offer",
        [
            {"area_codes": [SWANSEA]},
            {"service_types": ["respite"]},
        ],
    )
    async def test_a_provider_not_serving_every_area_and_the_type_is_not_eligible(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        world: World,
        offer: dict[str, object],
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        staff = await register_person(client)
        await verified_provider(client, session, staff=staff, admin=world.platform_admin, **offer)
        problem(
            await client.post(bids_url(tender_id), json=bid_fields(), headers=staff.headers),
            403,
            "provider_not_eligible",
        )
        assert await count(session, TenderBid) == 0

    async def test_a_tender_in_two_areas_needs_a_provider_serving_both(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(
            client, world.coop_id, world.admin, area_codes=["W06000015", SWANSEA]
        )
        problem(
            await client.post(
                bids_url(tender_id), json=bid_fields(), headers=world.staff_1.headers
            ),
            403,
            "provider_not_eligible",
        )
        both = await register_person(client)
        await verified_provider(
            client,
            session,
            staff=both,
            admin=world.platform_admin,
            area_codes=["W06000015", SWANSEA],
            welsh_language="full",
        )
        await submit_bid(client, tender_id, both)

    async def test_someone_who_is_not_provider_staff_may_not_bid(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        for person in (world.outsider, world.admin):
            problem(
                await client.post(bids_url(tender_id), json=bid_fields(), headers=person.headers),
                403,
                "forbidden",
            )
        problem(
            await client.post(
                bids_url(tender_id),
                json=bid_fields(provider_id=str(world.provider_2)),
                headers=world.staff_1.headers,
            ),
            403,
            "forbidden",
        )

    async def test_staff_of_several_providers_say_which_one_bids(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        ok(
            await client.post(
                f"/api/v1/providers/{world.provider_2}/staff",
                json={"user_id": str(world.staff_1.id)},
                headers=world.staff_2.headers,
            )
        )
        body = problem(
            await client.post(
                bids_url(tender_id), json=bid_fields(), headers=world.staff_1.headers
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body", "provider_id"]
        assert await count(session, TenderBid) == 0
        response = await client.post(
            bids_url(tender_id),
            json=bid_fields(provider_id=str(world.provider_2)),
            headers=world.staff_1.headers,
        )
        assert response.status_code == 201, response.text
        assert response.json()["provider_id"] == str(world.provider_2)

    async def test_a_bid_below_ten_pounds_an_hour_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        body = problem(
            await client.post(
                bids_url(tender_id),
                json=bid_fields(hourly_rate_pence=999),
                headers=world.staff_1.headers,
            ),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [["body", "hourly_rate_pence"]]
        assert await count(session, TenderBid) == 0
        await submit_bid(client, tender_id, world.staff_1, hourly_rate_pence=1000)

    async def test_a_draft_takes_no_bids(self, client: httpx.AsyncClient, world: World) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(
            await client.post(
                bids_url(tender_id), json=bid_fields(), headers=world.staff_1.headers
            ),
            404,
            "not_found",
        )

    @pytest.mark.parametrize(
        ("field", "value"),
        [("hourly_rate_pence", 0), ("hourly_rate_pence", 2200.5), ("capacity_hours_per_week", 0)],
    )
    async def test_bad_figures_are_validation_errors(
        self, client: httpx.AsyncClient, world: World, field: str, value: object
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        problem(
            await client.post(
                bids_url(tender_id),
                json=bid_fields(**{field: value}),
                headers=world.staff_1.headers,
            ),
            422,
            "validation_error",
        )


class TestListBids:
    async def test_before_the_deadline_only_a_bidder_sees_its_own_bid(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        own = await submit_bid(client, tender_id, world.staff_1)
        await submit_bid(client, tender_id, world.staff_2, hourly_rate_pence=2100)
        response = await client.get(bids_url(tender_id), headers=world.staff_1.headers)
        assert response.status_code == 200, response.text
        assert [b["id"] for b in response.json()["items"]] == [str(own)]
        for person in (world.admin, world.platform_admin, world.staff_3, world.holder_a):
            problem(
                await client.get(bids_url(tender_id), headers=person.headers), 403, "bids_sealed"
            )
        problem(await client.get(bids_url(tender_id)), 401, "not_authenticated")

    async def test_after_the_deadline_admins_see_every_bid(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        first = await submit_bid(client, tender_id, world.staff_1)
        clock.advance(timedelta(minutes=1))
        second = await submit_bid(client, tender_id, world.staff_2, hourly_rate_pence=2100)
        await past_deadline(client, clock, world)
        for person in (world.admin, world.platform_admin):
            response = await client.get(bids_url(tender_id), headers=person.headers)
            assert response.status_code == 200, response.text
            assert [b["id"] for b in response.json()["items"]] == [str(first), str(second)]
        own = await client.get(bids_url(tender_id), headers=world.staff_2.headers)
        assert [b["id"] for b in own.json()["items"]] == [str(second)]
        for person in (world.holder_a, world.staff_3, world.outsider):
            problem(await client.get(bids_url(tender_id), headers=person.headers), 403, "forbidden")

    async def test_a_tender_cancelled_before_its_deadline_keeps_its_bids_sealed(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await submit_bid(client, tender_id, world.staff_1)
        ok(
            await client.post(
                f"/api/v1/tenders/{tender_id}/cancel",
                json={"reason": "Withdrawn"},
                headers=world.admin.headers,
            )
        )
        await past_deadline(client, clock, world)
        problem(
            await client.get(bids_url(tender_id), headers=world.admin.headers), 403, "bids_sealed"
        )


class TestAmendBid:
    async def test_a_bidder_amends_its_bid_until_the_deadline(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        url = f"{bids_url(tender_id)}/{bid_id}"
        changed = bid_fields(hourly_rate_pence=1999, welsh_language="some")
        response = await client.put(url, json=changed, headers=world.staff_1.headers)
        assert response.status_code == 200, response.text
        assert response.json()["hourly_rate_pence"] == 1999
        assert response.json()["submitted_at"] == "2026-03-02T09:00:00Z"
        await past_deadline(client, clock, world)
        problem(
            await client.put(url, json=bid_fields(), headers=world.staff_1.headers),
            409,
            "submission_closed",
        )
        stored = await session.get(TenderBid, bid_id)
        assert stored is not None
        assert stored.hourly_rate_pence == 1999

    async def test_the_rules_apply_to_an_amendment(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        problem(
            await client.put(
                f"{bids_url(tender_id)}/{bid_id}",
                json=bid_fields(hourly_rate_pence=9999),
                headers=world.staff_1.headers,
            ),
            422,
            "rate_above_ceiling",
        )
        stored = await session.get(TenderBid, bid_id)
        assert stored is not None
        assert stored.hourly_rate_pence == 2200

    async def test_another_providers_bid_does_not_exist(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        for person in (world.staff_2, world.admin):
            problem(
                await client.put(
                    f"{bids_url(tender_id)}/{bid_id}", json=bid_fields(), headers=person.headers
                ),
                404,
                "not_found",
            )


class TestWithdrawBid:
    async def test_a_withdrawn_bid_is_gone_and_the_provider_may_bid_again(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        response = await client.delete(
            f"{bids_url(tender_id)}/{bid_id}", headers=world.staff_1.headers
        )
        assert response.status_code == 204, response.text
        problem(
            await client.get(bids_url(tender_id), headers=world.staff_1.headers),
            403,
            "bids_sealed",
        )
        await submit_bid(client, tender_id, world.staff_1, hourly_rate_pence=2000)
        actions = [e.action for e in await audit_entries(session, prefix="tender.bid")]
        assert actions == [
            "tender.bid_submitted",
            "tender.bid_withdrawn",
            "tender.bid_submitted",
        ]

    async def test_a_tender_whose_only_bid_was_withdrawn_is_unsuccessful(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        ok(await client.delete(f"{bids_url(tender_id)}/{bid_id}", headers=world.staff_1.headers))
        await past_deadline(client, clock, world)
        tender = await client.get(f"/api/v1/tenders/{tender_id}")
        assert tender.json()["status"] == "unsuccessful"

    async def test_after_the_deadline_a_bid_stays(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        await past_deadline(client, clock, world)
        problem(
            await client.delete(f"{bids_url(tender_id)}/{bid_id}", headers=world.staff_1.headers),
            409,
            "submission_closed",
        )
        stored = await session.get(TenderBid, bid_id)
        assert stored is not None
        assert stored.status == "submitted"


class TestScoreBid:
    async def test_admins_score_in_evaluation(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        url = f"{bids_url(tender_id)}/{bid_id}/score"
        problem(
            await client.put(url, json={"quality_score": 70}, headers=world.admin.headers),
            409,
            "invalid_transition",
        )
        await past_deadline(client, clock, world)
        response = await client.put(url, json={"quality_score": 70}, headers=world.admin.headers)
        assert response.status_code == 200, response.text
        assert response.json()["quality_score"] == 70
        [entry] = await audit_entries(session, prefix="tender.bid_scored")
        assert entry.data == {"tender_id": str(tender_id), "quality_score": 70}

    @pytest.mark.parametrize("score", [-1, 101, 50.5, None])
    async def test_a_score_outside_0_to_100_is_refused(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
        score: object,
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        await past_deadline(client, clock, world)
        problem(
            await client.put(
                f"{bids_url(tender_id)}/{bid_id}/score",
                json={"quality_score": score},
                headers=world.admin.headers,
            ),
            422,
            "validation_error",
        )
        stored = await session.get(TenderBid, bid_id)
        assert stored is not None
        assert stored.quality_score is None

    async def test_only_admins_score(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        await past_deadline(client, clock, world)
        url = f"{bids_url(tender_id)}/{bid_id}/score"
        for person in (world.holder_a, world.staff_1, world.platform_admin):
            problem(
                await client.put(url, json={"quality_score": 90}, headers=person.headers),
                403,
                "forbidden",
            )
