import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.governance.models import Proposal
from app.tenders.models import Tender, TenderAward
from tests.factories import Person, open_tender, submit_bid
from tests.helpers import problem
from tests.tenders.conftest import DEADLINE, World, travel
from tests.tenders.helpers import audit_entries, count
from tests.worlds import building


async def evaluated(clock: FrozenClock, world: World) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A tender with three bids, past its deadline: (tender, [bid of providers 1, 2, 3])."""
    async with building(world.app) as b:
        tender = await b.tender(world.coop_id, world.admin)
        bids = [
            await b.bid(tender.id, world.staff_1, hourly_rate_pence=2000),
            await b.bid(tender.id, world.staff_2, hourly_rate_pence=2200),
            await b.bid(tender.id, world.staff_3, hourly_rate_pence=2500),
        ]
    await travel(clock, world, DEADLINE - clock.now())
    return tender.id, bids


async def score_all(
    client: httpx.AsyncClient, tender_id: uuid.UUID, admin: Person, scores: dict[uuid.UUID, int]
) -> None:
    for bid_id, score in scores.items():
        response = await client.put(
            f"/api/v1/tenders/{tender_id}/bids/{bid_id}/score",
            json={"quality_score": score},
            headers=admin.headers,
        )
        assert response.status_code == 200, response.text


async def no_vote_needed(world: World) -> None:
    """Turn the award vote off, as two administrators must: the carer, made an administrator
    for the moment, approves."""
    async with building(world.app) as b:
        await b.set_admin(world.coop_id, world.carer, world.admin, True)
        await b.agree_rules(world.coop_id, world.admin, world.carer, {"award_requires_vote": False})
        await b.set_admin(world.coop_id, world.carer, world.admin, False)


class TestEvaluation:
    async def test_admins_see_the_ranking_with_points_after_the_deadline(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, (a, b, c) = await evaluated(clock, world)
        await score_all(client, tender_id, world.admin, {a: 70, b: 90, c: 100})
        response = await client.get(
            f"/api/v1/tenders/{tender_id}/evaluation", headers=world.admin.headers
        )
        assert response.status_code == 200, response.text
        # The hand-computed case of tests/tenders/test_evaluation.py, through the API: A and C
        # tie at 88.00 and the lower rate (A) goes first.
        assert response.json() == {
            "items": [
                {
                    "rank": 1,
                    "bid_id": str(b),
                    "provider_id": str(world.provider_2),
                    "hourly_rate_pence": 2200,
                    "quality_score": 90,
                    "price_points": "54.55",
                    "quality_points": "36.00",
                    "total_points": "90.55",
                },
                {
                    "rank": 2,
                    "bid_id": str(a),
                    "provider_id": str(world.provider_1),
                    "hourly_rate_pence": 2000,
                    "quality_score": 70,
                    "price_points": "60.00",
                    "quality_points": "28.00",
                    "total_points": "88.00",
                },
                {
                    "rank": 3,
                    "bid_id": str(c),
                    "provider_id": str(world.provider_3),
                    "hourly_rate_pence": 2500,
                    "quality_score": 100,
                    "price_points": "48.00",
                    "quality_points": "40.00",
                    "total_points": "88.00",
                },
            ],
            "next_cursor": None,
        }
        platform = await client.get(
            f"/api/v1/tenders/{tender_id}/evaluation", headers=world.platform_admin.headers
        )
        assert platform.status_code == 200

    async def test_before_the_deadline_it_is_sealed_for_everyone(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        await submit_bid(client, tender_id, world.staff_1)
        for person in (world.admin, world.platform_admin, world.staff_1):
            problem(
                await client.get(f"/api/v1/tenders/{tender_id}/evaluation", headers=person.headers),
                403,
                "bids_sealed",
            )

    async def test_bidders_and_members_may_not_see_it(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, _ = await evaluated(clock, world)
        for person in (world.staff_1, world.holder_a, world.outsider):
            problem(
                await client.get(f"/api/v1/tenders/{tender_id}/evaluation", headers=person.headers),
                403,
                "forbidden",
            )


class TestAwardWithoutVote:
    async def test_an_award_before_every_bid_is_scored_is_refused(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id, (a, b, _) = await evaluated(clock, world)
        await score_all(client, tender_id, world.admin, {a: 70, b: 90})
        problem(
            await client.post(
                f"/api/v1/tenders/{tender_id}/award",
                json={"bid_id": str(a)},
                headers=world.admin.headers,
            ),
            409,
            "bids_not_scored",
        )
        assert await count(session, TenderAward) == 0
        tender = await client.get(f"/api/v1/tenders/{tender_id}")
        assert tender.json()["status"] == "evaluation"

    async def test_awarded_at_once_with_the_standstill_in_calendar_days(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        await no_vote_needed(world)
        tender_id, (a, b, c) = await evaluated(clock, world)
        await score_all(client, tender_id, world.admin, {a: 70, b: 90, c: 100})
        response = await client.post(
            f"/api/v1/tenders/{tender_id}/award",
            json={"bid_id": str(b)},
            headers=world.admin.headers,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "awarded"
        assert body["award"] == {
            "bid_id": str(b),
            "provider_id": str(world.provider_2),
            "hourly_rate_pence": 2200,
            "awarded_at": "2026-03-16T12:00:00Z",
            "standstill_ends_at": "2026-03-26T12:00:00Z",
        }
        assert body["award_proposal_id"] is None
        assert await count(session, Proposal) == 0
        [entry] = await audit_entries(session, prefix="tender.awarded")
        assert entry.data == {
            "bid_id": str(b),
            "provider_id": str(world.provider_2),
            "proposal_id": None,
        }

    async def test_an_award_is_made_in_evaluation_only(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bid_id = await submit_bid(client, tender_id, world.staff_1)
        problem(
            await client.post(
                f"/api/v1/tenders/{tender_id}/award",
                json={"bid_id": str(bid_id)},
                headers=world.admin.headers,
            ),
            409,
            "invalid_transition",
        )

    async def test_a_bid_of_another_tender_is_not_found(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, (a, b, c) = await evaluated(clock, world)
        await score_all(client, tender_id, world.admin, {a: 70, b: 90, c: 100})
        problem(
            await client.post(
                f"/api/v1/tenders/{tender_id}/award",
                json={"bid_id": str(uuid.uuid4())},
                headers=world.admin.headers,
            ),
            404,
            "not_found",
        )

    async def test_only_admins_award(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, (a, _, _) = await evaluated(clock, world)
        for person in (world.holder_a, world.staff_1, world.platform_admin):
            problem(
                await client.post(
                    f"/api/v1/tenders/{tender_id}/award",
                    json={"bid_id": str(a)},
                    headers=person.headers,
                ),
                403,
                "forbidden",
            )


class TestAwardByVote:
    async def award(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
        tender_id, (a, b, c) = await evaluated(clock, world)
        await score_all(client, tender_id, world.admin, {a: 70, b: 90, c: 100})
        response = await client.post(
            f"/api/v1/tenders/{tender_id}/award",
            json={"bid_id": str(b)},
            headers=world.admin.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "award_pending_vote"
        assert response.json()["award"] is None
        return tender_id, b, uuid.UUID(response.json()["award_proposal_id"])

    async def vote(
        self, client: httpx.AsyncClient, proposal_id: uuid.UUID, people: list[Person], choice: str
    ) -> None:
        for person in people:
            response = await client.post(
                f"/api/v1/proposals/{proposal_id}/votes",
                json={"choice": choice},
                headers=person.headers,
            )
            assert response.status_code == 200, response.text

    async def test_the_members_are_asked_for_seven_days(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, _, proposal_id = await self.award(client, clock, world)
        proposal = await client.get(
            f"/api/v1/proposals/{proposal_id}", headers=world.holder_a.headers
        )
        body = proposal.json()
        assert (body["kind"], body["subject_id"], body["status"]) == (
            "award_tender",
            str(tender_id),
            "open",
        )
        assert body["closes_at"] == "2026-03-23T12:00:00Z"
        assert "£22.00" in body["body"]

    async def test_when_everyone_votes_yes_the_tender_is_awarded_at_the_last_vote(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, bid_id, proposal_id = await self.award(client, clock, world)
        clock.advance(timedelta(minutes=5))
        await self.vote(
            client, proposal_id, [world.admin, world.holder_a, world.holder_b, world.carer], "yes"
        )
        tender = (await client.get(f"/api/v1/tenders/{tender_id}")).json()
        assert tender["status"] == "awarded"
        assert tender["award"]["bid_id"] == str(bid_id)
        assert tender["award"]["awarded_at"] == "2026-03-16T12:05:00Z"
        assert tender["award"]["standstill_ends_at"] == "2026-03-26T12:05:00Z"

    async def test_a_vote_that_closes_by_time_is_settled_when_the_tender_is_read(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id, _, proposal_id = await self.award(client, clock, world)
        await self.vote(client, proposal_id, [world.holder_a], "yes")
        clock.advance(timedelta(days=7))
        tender = (await client.get(f"/api/v1/tenders/{tender_id}")).json()
        assert tender["status"] == "awarded"
        assert tender["award"]["awarded_at"] == "2026-03-23T12:00:00Z"
        [entry] = await audit_entries(session, prefix="tender.awarded")
        assert entry.data["vote"] == "passed"

    async def test_a_rejected_award_returns_to_evaluation_and_another_bid_may_be_put(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, bid_id, proposal_id = await self.award(client, clock, world)
        everyone = [world.admin, world.holder_a, world.holder_b, world.carer]
        await self.vote(client, proposal_id, everyone, "no")
        tender = (await client.get(f"/api/v1/tenders/{tender_id}")).json()
        assert tender["status"] == "evaluation"
        assert tender["award_proposal_id"] is None
        assert tender["award_proposal_ids"] == [str(proposal_id)]
        bids = (
            await client.get(f"/api/v1/tenders/{tender_id}/evaluation", headers=world.admin.headers)
        ).json()["items"]
        other = next(b["bid_id"] for b in bids if b["bid_id"] != str(bid_id))
        again = await client.post(
            f"/api/v1/tenders/{tender_id}/award",
            json={"bid_id": other},
            headers=world.admin.headers,
        )
        assert again.status_code == 200, again.text
        assert again.json()["status"] == "award_pending_vote"
        second = again.json()["award_proposal_id"]
        assert second != str(proposal_id)
        # Every vote the tender had stays listed, the earliest first.
        assert again.json()["award_proposal_ids"] == [str(proposal_id), second]

    async def test_a_bid_the_members_rejected_is_not_put_to_them_again(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
    ) -> None:
        tender_id, bid_id, proposal_id = await self.award(client, clock, world)
        await self.vote(
            client, proposal_id, [world.admin, world.holder_a, world.holder_b, world.carer], "no"
        )
        problem(
            await client.post(
                f"/api/v1/tenders/{tender_id}/award",
                json={"bid_id": str(bid_id)},
                headers=world.admin.headers,
            ),
            409,
            "award_rejected",
        )
        assert await count(session, Proposal) == 1
        tender = (await client.get(f"/api/v1/tenders/{tender_id}")).json()
        assert (tender["status"], tender["award_proposal_ids"]) == (
            "evaluation",
            [str(proposal_id)],
        )

    async def test_a_vote_without_quorum_decided_nothing_so_the_bid_may_be_put_again(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, bid_id, first = await self.award(client, clock, world)
        await travel(clock, world, timedelta(days=7))
        again = await client.post(
            f"/api/v1/tenders/{tender_id}/award",
            json={"bid_id": str(bid_id)},
            headers=world.admin.headers,
        )
        assert again.status_code == 200, again.text
        assert again.json()["award_proposal_ids"] == [
            str(first),
            again.json()["award_proposal_id"],
        ]

    async def test_no_quorum_is_not_an_award(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World
    ) -> None:
        tender_id, _, _ = await self.award(client, clock, world)
        await travel(clock, world, timedelta(days=7))
        tender = (await client.get(f"/api/v1/tenders/{tender_id}")).json()
        assert tender["status"] == "evaluation"

    async def test_a_tender_cancelled_during_the_vote_stays_cancelled(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id, _, proposal_id = await self.award(client, clock, world)
        cancelled = await client.post(
            f"/api/v1/tenders/{tender_id}/cancel",
            json={"reason": "Funding withdrawn"},
            headers=world.admin.headers,
        )
        assert cancelled.status_code == 200, cancelled.text
        await self.vote(
            client, proposal_id, [world.admin, world.holder_a, world.holder_b, world.carer], "yes"
        )
        tender = (await client.get(f"/api/v1/tenders/{tender_id}")).json()
        assert tender["status"] == "cancelled"
        assert tender["award"] is None
        [award] = (await session.scalars(select(TenderAward))).all()
        assert award.status == "rejected"


class TestRulesKeptFromPublication:
    """A tender keeps the co-op's rules in force when it was published (SPEC section 25)."""

    async def published_with_bids(
        self, client: httpx.AsyncClient, world: World
    ) -> tuple[uuid.UUID, list[uuid.UUID]]:
        tender_id = await open_tender(client, world.coop_id, world.admin)
        bids = [
            await submit_bid(client, tender_id, world.staff_1, hourly_rate_pence=2000),
            await submit_bid(client, tender_id, world.staff_2, hourly_rate_pence=2200),
        ]
        return tender_id, bids

    async def test_turning_the_vote_off_after_publication_still_needs_the_vote(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id, (a, b) = await self.published_with_bids(client, world)
        await no_vote_needed(world)
        coop = await client.get(f"/api/v1/coops/{world.coop_id}", headers=world.admin.headers)
        assert coop.json()["rules"]["award_requires_vote"] is False
        await travel(clock, world, DEADLINE - clock.now())
        await score_all(client, tender_id, world.admin, {a: 70, b: 90})
        response = await client.post(
            f"/api/v1/tenders/{tender_id}/award",
            json={"bid_id": str(b)},
            headers=world.admin.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "award_pending_vote"
        assert response.json()["award"] is None
        assert response.json()["award_proposal_id"] is not None
        assert await count(session, Proposal) == 1

    async def test_the_award_vote_counts_by_the_voting_rules_at_publication(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        world: World,
    ) -> None:
        tender_id, (a, b) = await self.published_with_bids(client, world)
        # A stricter pass mark and quorum apply at once, but not to this tender.
        stricter = await client.patch(
            f"/api/v1/coops/{world.coop_id}",
            json={"rules": {"pass_percent": 90, "quorum_percent": 80}},
            headers=world.admin.headers,
        )
        assert stricter.status_code == 200, stricter.text
        await travel(clock, world, DEADLINE - clock.now())
        await score_all(client, tender_id, world.admin, {a: 70, b: 90})
        response = await client.post(
            f"/api/v1/tenders/{tender_id}/award",
            json={"bid_id": str(b)},
            headers=world.admin.headers,
        )
        assert response.status_code == 200, response.text
        proposal = await session.get(
            Proposal, uuid.UUID(response.json()["award_proposal_id"]), populate_existing=True
        )
        assert proposal is not None
        assert (proposal.pass_percent, proposal.quorum_percent) == (50, 25)
        # A tender published after the change takes the new rules.
        later = await open_tender(
            client,
            world.coop_id,
            world.admin,
            submission_deadline=(clock.now() + timedelta(days=7)).isoformat(),
        )
        row = await session.get(Tender, later, populate_existing=True)
        assert row is not None
        assert row.rules_at_publication is not None
        assert row.rules_at_publication["pass_percent"] == 90
