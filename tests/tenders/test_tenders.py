from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.models import Tender
from tests.factories import (
    CARDIFF,
    SWANSEA,
    create_coop,
    create_tender,
    declare_demand,
    grant_mandate,
    open_tender,
    register_person,
    submit_bid,
    tender_fields,
)
from tests.helpers import problem
from tests.tenders.conftest import DEADLINE, World, travel
from tests.tenders.helpers import audit_entries, count

ANGLESEY = "W06000001"


def tenders_url(world: World) -> str:
    return f"/api/v1/coops/{world.coop_id}/tenders"


class TestCreateTender:
    async def test_an_admin_drafts_a_tender(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        response = await client.post(
            tenders_url(world), json=tender_fields(), headers=world.admin.headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {
            **tender_fields(),
            "id": body["id"],
            "coop_id": str(world.coop_id),
            "title_cy": None,
            "description_cy": None,
            "submission_deadline": "2026-03-16T12:00:00Z",
            "status": "draft",
            "created_at": "2026-03-02T09:00:00Z",
            "published_at": None,
            "bids_opened_at": None,
            "cancelled_at": None,
            "cancellation_reason": None,
            "demand": {"total_hours_per_week": 0, "members": {"value": 0, "suppressed": False}},
            "award_proposal_id": None,
            "award_proposal_ids": [],
            "award": None,
            "contract_id": None,
        }
        [entry] = await audit_entries(session, prefix="tender.created")
        assert entry.coop_id == world.coop_id
        assert entry.data == {"service_type": "domiciliary_support", "area_codes": [CARDIFF]}

    async def test_areas_may_be_all_of_the_coops(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            tenders_url(world),
            json=tender_fields(area_codes=[SWANSEA, CARDIFF]),
            headers=world.admin.headers,
        )
        assert response.status_code == 201, response.text
        assert response.json()["area_codes"] == sorted([SWANSEA, CARDIFF])

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("area_codes", [ANGLESEY]),
            ("area_codes", [CARDIFF, ANGLESEY]),
            ("area_codes", []),
            ("price_weight", 70),
            ("max_hourly_rate_pence", 0),
            ("max_hourly_rate_pence", 2500.5),
            ("max_hourly_rate_pence", "2500"),
            ("standstill_days", -1),
            ("submission_deadline", "2026-03-16T12:00:00"),
            ("welsh_language_required", "fluent"),
            ("service_type", "gardening"),
            ("title", "   "),
        ],
    )
    async def test_a_bad_field_is_a_validation_error_and_adds_nothing(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        world: World,
        field: str,
        value: object,
    ) -> None:
        problem(
            await client.post(
                tenders_url(world),
                json=tender_fields(**{field: value}),
                headers=world.admin.headers,
            ),
            422,
            "validation_error",
        )
        assert await count(session, Tender) == 0

    async def test_only_the_coops_admins_draft(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        url = tenders_url(world)
        problem(await client.post(url, json=tender_fields()), 401, "not_authenticated")
        problem(
            await client.post(url, json=tender_fields(), headers=world.outsider.headers),
            404,
            "not_found",
        )
        problem(
            await client.post(url, json=tender_fields(), headers=world.holder_a.headers),
            403,
            "forbidden",
        )
        representative = await register_person(client)
        await grant_mandate(client, world.admin, representative, scopes=("view", "contribute"))
        problem(
            await client.post(
                url, json=tender_fields(), headers=representative.on_behalf_of(world.admin)
            ),
            403,
            "outside_mandate",
        )
        assert await count(session, Tender) == 0


class TestUpdateTender:
    async def test_a_draft_changes_and_the_weights_still_add_up(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        response = await client.patch(
            f"/api/v1/tenders/{tender_id}",
            json={"price_weight": 50, "quality_weight": 50, "area_codes": [SWANSEA]},
            headers=world.admin.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["price_weight"], body["quality_weight"]) == (50, 50)
        assert body["area_codes"] == [SWANSEA]
        [entry] = await audit_entries(session, prefix="tender.updated")
        assert entry.data == {"fields": ["area_codes", "price_weight", "quality_weight"]}

    async def test_weights_that_no_longer_add_up_are_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(
            await client.patch(
                f"/api/v1/tenders/{tender_id}",
                json={"price_weight": 50},
                headers=world.admin.headers,
            ),
            422,
            "validation_error",
        )
        tender = await session.get(Tender, tender_id)
        assert tender is not None
        assert tender.price_weight == 60

    async def test_a_field_cannot_be_cleared(self, client: httpx.AsyncClient, world: World) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(
            await client.patch(
                f"/api/v1/tenders/{tender_id}", json={"title": None}, headers=world.admin.headers
            ),
            422,
            "validation_error",
        )

    async def test_a_published_tender_cannot_change(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        problem(
            await client.patch(
                f"/api/v1/tenders/{tender_id}",
                json={"title": "Something else"},
                headers=world.admin.headers,
            ),
            409,
            "invalid_transition",
        )
        tender = await session.get(Tender, tender_id)
        assert tender is not None
        assert tender.title == tender_fields()["title"]

    async def test_members_who_are_not_admins_may_not(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        url = f"/api/v1/tenders/{tender_id}"
        problem(
            await client.patch(url, json={"title": "X"}, headers=world.holder_a.headers),
            403,
            "forbidden",
        )
        problem(
            await client.patch(url, json={"title": "X"}, headers=world.outsider.headers),
            404,
            "not_found",
        )


class TestGetTender:
    async def test_a_draft_is_seen_by_the_coops_members_only(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        url = f"/api/v1/tenders/{tender_id}"
        for member in (world.admin, world.holder_a, world.carer):
            response = await client.get(url, headers=member.headers)
            assert response.status_code == 200, response.text
        for outsider in ({}, world.outsider.headers, world.platform_admin.headers):
            problem(await client.get(url, headers=outsider), 404, "not_found")

    async def test_a_published_tender_is_public_with_its_demand(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await declare_demand(client, tender_id, world.holder_a, 10)
        await declare_demand(client, tender_id, world.holder_b, 6)
        response = await client.get(f"/api/v1/tenders/{tender_id}")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "open"
        assert body["published_at"] == "2026-03-02T09:00:00Z"
        assert body["demand"] == {
            "total_hours_per_week": 16,
            "members": {"value": None, "suppressed": True},
        }

    async def test_after_the_deadline_it_reads_as_evaluation_and_that_is_audited(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await submit_bid(client, tender_id, world.staff_1)
        await travel(clock, world, DEADLINE - clock.now())
        response = await client.get(f"/api/v1/tenders/{tender_id}", headers=world.staff_1.headers)
        assert response.json()["status"] == "evaluation"
        assert response.json()["bids_opened_at"] == "2026-03-16T12:00:00Z"
        [entry] = await audit_entries(session, prefix="tender.bidding_closed")
        assert entry.data == {"status": "evaluation", "bids": 1}
        # The deadline closed bidding, not the reader who happened to notice.
        assert entry.actor_user_id is None
        assert entry.about_user_id is None
        again = await client.get(f"/api/v1/tenders/{tender_id}")
        assert again.json()["status"] == "evaluation"
        assert len(await audit_entries(session, prefix="tender.bidding_closed")) == 1

    async def test_without_a_bid_it_is_unsuccessful(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await travel(clock, world, timedelta(days=30))
        response = await client.get(f"/api/v1/tenders/{tender_id}", headers=world.admin.headers)
        assert response.json()["status"] == "unsuccessful"

    async def test_an_unknown_tender_is_not_found(self, client: httpx.AsyncClient) -> None:
        problem(
            await client.get("/api/v1/tenders/00000000-0000-0000-0000-000000000000"),
            404,
            "not_found",
        )


class TestListCoopTenders:
    async def test_members_see_drafts_too_newest_first(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        first = await open_tender(client, world.coop_id, world.admin)
        clock.advance(timedelta(minutes=1))
        second = await create_tender(client, world.coop_id, world.admin, title="Respite")
        response = await client.get(tenders_url(world), headers=world.holder_a.headers)
        assert response.status_code == 200, response.text
        assert [t["id"] for t in response.json()["items"]] == [str(second), str(first)]

    async def test_outsiders_are_told_it_does_not_exist(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        problem(await client.get(tenders_url(world)), 401, "not_authenticated")
        for person in (world.outsider, world.platform_admin, world.staff_1):
            problem(await client.get(tenders_url(world), headers=person.headers), 404, "not_found")


class TestListTenders:
    async def test_published_tenders_are_public_and_filtered(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        draft = await create_tender(client, world.coop_id, world.admin)
        cardiff = await open_tender(client, world.coop_id, world.admin)
        swansea = await open_tender(
            client, world.coop_id, world.admin, area_codes=[SWANSEA], service_type="respite"
        )
        everything = (await client.get("/api/v1/tenders")).json()["items"]
        ids = [t["id"] for t in everything]
        assert str(draft) not in ids
        assert set(ids) == {str(cardiff), str(swansea)}
        by_area = await client.get("/api/v1/tenders", params={"area_code": SWANSEA})
        assert [t["id"] for t in by_area.json()["items"]] == [str(swansea)]
        by_type = await client.get(
            "/api/v1/tenders", params={"service_type": "domiciliary_support"}
        )
        assert [t["id"] for t in by_type.json()["items"]] == [str(cardiff)]
        drafts = await client.get(
            "/api/v1/tenders", params={"status": "draft"}, headers=world.admin.headers
        )
        assert drafts.json()["items"] == []

    async def test_the_status_filter_sees_closed_bidding(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        clock.set(DEADLINE)
        open_now = await client.get("/api/v1/tenders", params={"status": "open"})
        assert open_now.json()["items"] == []
        unsuccessful = await client.get("/api/v1/tenders", params={"status": "unsuccessful"})
        assert [t["id"] for t in unsuccessful.json()["items"]] == [str(tender_id)]

    async def test_pages_through_with_a_cursor(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        made = []
        for _ in range(3):
            made.append(str(await open_tender(client, world.coop_id, world.admin)))
            clock.advance(timedelta(seconds=1))
        first = (await client.get("/api/v1/tenders", params={"limit": 2})).json()
        rest = (
            await client.get("/api/v1/tenders", params={"limit": 2, "cursor": first["next_cursor"]})
        ).json()
        assert [t["id"] for t in first["items"] + rest["items"]] == made[::-1]
        assert rest["next_cursor"] is None

    async def test_an_unknown_area_is_a_validation_error(self, client: httpx.AsyncClient) -> None:
        problem(
            await client.get("/api/v1/tenders", params={"area_code": "W06000099"}),
            422,
            "validation_error",
        )


class TestPublish:
    async def test_publishing_opens_the_tender(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        response = await client.post(
            f"/api/v1/tenders/{tender_id}/publish", headers=world.admin.headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "open"
        [entry] = await audit_entries(session, prefix="tender.published")
        assert entry.data == {"submission_deadline": "2026-03-16T12:00:00.000000+00:00"}

    async def test_a_deadline_in_the_past_cannot_be_published(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await create_tender(
            client, world.coop_id, world.admin, submission_deadline="2026-03-02T09:00:00+00:00"
        )
        problem(
            await client.post(f"/api/v1/tenders/{tender_id}/publish", headers=world.admin.headers),
            422,
            "deadline_not_in_future",
        )
        tender = await session.get(Tender, tender_id)
        assert tender is not None
        assert tender.status == "draft"

    async def test_publishing_twice_is_an_invalid_transition(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        problem(
            await client.post(f"/api/v1/tenders/{tender_id}/publish", headers=world.admin.headers),
            409,
            "invalid_transition",
        )

    async def test_only_an_admin_publishes(self, client: httpx.AsyncClient, world: World) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        url = f"/api/v1/tenders/{tender_id}/publish"
        problem(await client.post(url, headers=world.holder_a.headers), 403, "forbidden")
        problem(await client.post(url, headers=world.outsider.headers), 404, "not_found")


class TestCancel:
    async def test_an_open_tender_is_cancelled_with_its_reason(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        response = await client.post(
            f"/api/v1/tenders/{tender_id}/cancel",
            json={"reason": "The council changed the care packages."},
            headers=world.admin.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "cancelled"
        assert body["cancellation_reason"] == "The council changed the care packages."
        [entry] = await audit_entries(session, prefix="tender.cancelled")
        assert entry.data == {}

    async def test_a_cancelled_tender_cannot_be_cancelled_again(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        url = f"/api/v1/tenders/{tender_id}/cancel"
        body = {"reason": "Not needed"}
        assert (await client.post(url, json=body, headers=world.admin.headers)).status_code == 200
        problem(
            await client.post(url, json=body, headers=world.admin.headers),
            409,
            "invalid_transition",
        )

    async def test_a_reason_is_required(self, client: httpx.AsyncClient, world: World) -> None:
        tender_id = await create_tender(client, world.coop_id, world.admin)
        problem(
            await client.post(
                f"/api/v1/tenders/{tender_id}/cancel", json={}, headers=world.admin.headers
            ),
            422,
            "validation_error",
        )


class TestCoopAreas:
    async def test_a_coop_in_one_area_tenders_there(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin, area_codes=(SWANSEA,))
        problem(
            await client.post(
                f"/api/v1/coops/{coop_id}/tenders", json=tender_fields(), headers=admin.headers
            ),
            422,
            "validation_error",
        )
