import uuid
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.audit.models import AuditEntry
from app.auth.actor import Actor
from app.auth.models import User
from app.coops.service import get_coop
from app.core.clock import FrozenClock
from app.core.db import unit_of_work
from app.core.errors import Conflict, InternalInconsistency
from app.governance import service
from app.governance.models import Proposal, ProposalKind, ProposalStatus, Vote
from tests.factories import (
    Person,
    agree_rules,
    apply_to_coop,
    grant_mandate,
    join_coop,
    open_proposal,
    register_person,
    set_admin,
)
from tests.helpers import declare_open_set, ok, problem
from tests.stats.built import built


def soon(clock: FrozenClock, minutes: int = 5) -> datetime:
    return clock.now() + timedelta(minutes=minutes)


async def vote(
    client: httpx.AsyncClient,
    proposal_id: uuid.UUID,
    person: Person,
    choice: str,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/proposals/{proposal_id}/votes",
        json={"choice": choice},
        headers=headers or person.headers,
    )


async def closings(session: AsyncSession, proposal_id: uuid.UUID) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.subject_id == str(proposal_id), AuditEntry.action == "proposal.closed"
            )
        )
        or 0
    )


async def coop_of(
    app: FastAPI, *classes: str, **rules: Any
) -> tuple[uuid.UUID, Person, list[Person]]:
    """A co-op whose founder is an admin service user, with one active member per class."""
    async with built(app) as b:
        admin = await b.person(full_name="Admin")
        coop = await b.coop(admin, **rules)
        members = []
        for member_class in classes:
            person = await b.person()
            await b.join(coop, person, admin, member_class)
            members.append(person)
    return coop.id, admin, members


class TestOpenProposal:
    async def test_a_member_opens_a_general_proposal(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, _, [carer] = await coop_of(app, "carer")
        await apply_to_coop(client, coop_id, await register_person(client))
        closes_at = soon(clock)
        response = await client.post(
            f"/api/v1/coops/{coop_id}/proposals",
            json={
                "title": "Respite",
                "body": "Buy respite together?",
                "closes_at": closes_at.isoformat(),
            },
            headers=carer.headers,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["kind"] == "general"
        assert body["status"] == "open"
        assert body["tally"] is None
        assert body["coop_id"] == str(coop_id)
        assert datetime.fromisoformat(body["closes_at"]) == closes_at
        proposal = await session.get(Proposal, uuid.UUID(body["id"]))
        assert proposal is not None
        assert proposal.electorate == 2  # the applicant is not active, so has no vote

    @pytest.mark.parametrize("closes_in", [timedelta(0), timedelta(minutes=-1)])
    async def test_closing_time_must_be_in_the_future(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        session: AsyncSession,
        clock: FrozenClock,
        closes_in: timedelta,
    ) -> None:
        coop_id, admin, _ = await coop_of(app)
        before = await session.scalar(select(func.count()).select_from(Proposal))
        for closes_at in ((clock.now() + closes_in).isoformat(), "2030-01-01T10:00:00"):
            body = problem(
                await client.post(
                    f"/api/v1/coops/{coop_id}/proposals",
                    json={"title": "T", "body": "B", "closes_at": closes_at},
                    headers=admin.headers,
                ),
                422,
                "validation_error",
            )
            assert body["errors"][0]["loc"] == ["body", "closes_at"]
        assert await session.scalar(select(func.count()).select_from(Proposal)) == before

    async def test_who_may_not(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, _ = await coop_of(app)
        url = f"/api/v1/coops/{coop_id}/proposals"
        body = {"title": "T", "body": "B", "closes_at": soon(clock).isoformat()}
        problem(await client.post(url, json=body), 401, "not_authenticated")
        problem(
            await client.post(url, json=body, headers=(await register_person(client)).headers),
            404,
            "not_found",
        )
        _, elsewhere, _ = await coop_of(app)
        problem(await client.post(url, json=body, headers=elsewhere.headers), 404, "not_found")
        applicant = await register_person(client)
        await apply_to_coop(client, coop_id, applicant)
        problem(await client.post(url, json=body, headers=applicant.headers), 404, "not_found")
        rep = await register_person(client)
        await grant_mandate(client, admin, rep, scopes=("view", "vote"))
        problem(
            await client.post(url, json=body, headers=rep.on_behalf_of(admin)),
            403,
            "outside_mandate",
        )
        assert await session.scalar(select(func.count()).select_from(Proposal)) == 0


class TestListProposals:
    async def test_members_see_them_newest_first_with_their_vote(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        coop_id, admin, [carer] = await coop_of(app, "carer")
        first = await open_proposal(client, coop_id, admin, closes_at=soon(clock), title="First")
        clock.advance(timedelta(seconds=1))
        second = await open_proposal(client, coop_id, admin, closes_at=soon(clock), title="Second")
        ok(await vote(client, first, carer, "no"))
        response = await client.get(f"/api/v1/coops/{coop_id}/proposals", headers=carer.headers)
        assert response.status_code == 200
        items = response.json()["items"]
        assert [i["id"] for i in items] == [str(second), str(first)]
        assert [i["my_vote"] for i in items] == [None, "no"]
        page = (
            await client.get(
                f"/api/v1/coops/{coop_id}/proposals", params={"limit": 1}, headers=carer.headers
            )
        ).json()
        assert page["next_cursor"] is not None

    async def test_due_proposals_close_when_listed(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, [carer, worker] = await coop_of(app, "carer", "worker")
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        ok(await vote(client, proposal_id, carer, "yes"))
        clock.advance(timedelta(minutes=6))
        url = f"/api/v1/coops/{coop_id}/proposals"
        items = ok(await client.get(url, headers=worker.headers)).json()["items"]
        assert items[0]["status"] == "passed"
        assert items[0]["tally"] == {
            "electorate": 3,
            "yes": 1,
            "no": 0,
            "abstain": 0,
            "yes_share": "1.0000",
            "by_class": {
                "carer": {"yes": 1, "no": 0, "abstain": 0, "weight": None},
                "service_user": {"yes": 0, "no": 0, "abstain": 0, "weight": None},
                "worker": {"yes": 0, "no": 0, "abstain": 0, "weight": None},
            },
        }
        closed = (await client.get(url, params={"status": "passed"}, headers=worker.headers)).json()
        assert [i["id"] for i in closed["items"]] == [str(proposal_id)]
        assert (await client.get(url, params={"status": "open"}, headers=worker.headers)).json()[
            "items"
        ] == []
        assert await closings(session, proposal_id) == 1

    async def test_who_may_not(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        coop_id, admin, _ = await coop_of(app)
        await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        url = f"/api/v1/coops/{coop_id}/proposals"
        problem(await client.get(url), 401, "not_authenticated")
        problem(
            await client.get(url, headers=(await register_person(client)).headers),
            404,
            "not_found",
        )
        _, elsewhere, _ = await coop_of(app)
        problem(await client.get(url, headers=elsewhere.headers), 404, "not_found")
        rep = await register_person(client)
        await grant_mandate(client, admin, rep, scopes=("vote",))
        problem(await client.get(url, headers=rep.on_behalf_of(admin)), 403, "outside_mandate")


class TestGetProposal:
    async def test_the_tally_is_hidden_until_the_close_then_kept(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, [carer, worker, supporter] = await coop_of(
            app, "carer", "worker", "community_supporter"
        )
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        ok(await vote(client, proposal_id, carer, "yes"))
        ok(await vote(client, proposal_id, worker, "no"))
        ok(await vote(client, proposal_id, supporter, "yes"))
        url = f"/api/v1/proposals/{proposal_id}"
        open_body = (await client.get(url, headers=carer.headers)).json()
        assert open_body["status"] == "open"
        assert open_body["tally"] is None
        assert open_body["my_vote"] == "yes"
        clock.advance(timedelta(minutes=5))
        closed = (await client.get(url, headers=carer.headers)).json()
        assert closed["status"] == "passed"
        assert closed["tally"] == {
            "electorate": 4,
            "yes": 2,
            "no": 1,
            "abstain": 0,
            "yes_share": "0.6667",
            "by_class": {
                "carer": {"yes": 1, "no": 0, "abstain": 0, "weight": None},
                "community_supporter": {"yes": 1, "no": 0, "abstain": 0, "weight": None},
                "service_user": {"yes": 0, "no": 0, "abstain": 0, "weight": None},
                "worker": {"yes": 0, "no": 1, "abstain": 0, "weight": None},
            },
        }
        assert datetime.fromisoformat(closed["closed_at"]) == datetime.fromisoformat(
            closed["closes_at"]
        )
        assert (await client.get(url, headers=worker.headers)).json() == {
            **closed,
            "my_vote": "no",
        }
        assert await closings(session, proposal_id) == 1

    async def test_a_representative_with_view_reads_it(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        coop_id, admin, [holder] = await coop_of(app, "service_user")
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        rep = await register_person(client)
        await grant_mandate(client, holder, rep, scopes=("view",))
        response = await client.get(
            f"/api/v1/proposals/{proposal_id}", headers=rep.on_behalf_of(holder)
        )
        assert response.status_code == 200
        problem(
            await client.get(f"/api/v1/proposals/{proposal_id}", headers=rep.headers),
            404,
            "not_found",
        )

    async def test_who_may_not(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        coop_id, admin, _ = await coop_of(app)
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        url = f"/api/v1/proposals/{proposal_id}"
        problem(await client.get(url), 401, "not_authenticated")
        problem(
            await client.get(url, headers=(await register_person(client)).headers),
            404,
            "not_found",
        )
        _, elsewhere, _ = await coop_of(app)
        problem(await client.get(url, headers=elsewhere.headers), 404, "not_found")
        problem(
            await client.get(f"/api/v1/proposals/{uuid.uuid4()}", headers=admin.headers),
            404,
            "not_found",
        )


class TestVote:
    async def test_a_member_votes_and_may_change_until_the_close(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, [carer] = await coop_of(app, "carer")
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        first = await vote(client, proposal_id, carer, "yes")
        assert first.status_code == 200, first.text
        assert first.json()["my_vote"] == "yes"
        assert first.json()["status"] == "open"
        changed = await vote(client, proposal_id, carer, "no")
        assert changed.status_code == 200, changed.text
        assert changed.json()["my_vote"] == "no"
        votes = (
            await session.scalars(select(Vote.choice).where(Vote.proposal_id == proposal_id))
        ).all()
        assert votes == ["no"]
        clock.advance(timedelta(minutes=5))
        problem(await vote(client, proposal_id, carer, "yes"), 409, "proposal_closed")
        votes = (
            await session.scalars(
                select(Vote.choice)
                .where(Vote.proposal_id == proposal_id)
                .execution_options(populate_existing=True)
            )
        ).all()
        assert votes == ["no"]
        closed = (
            await client.get(f"/api/v1/proposals/{proposal_id}", headers=carer.headers)
        ).json()
        assert closed["status"] == "rejected"
        assert closed["tally"]["no"] == 1

    async def test_the_last_elector_to_vote_closes_it(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, [carer] = await coop_of(app, "carer")
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        ok(await vote(client, proposal_id, carer, "yes"))
        last = await vote(client, proposal_id, admin, "abstain")
        assert last.status_code == 200, last.text
        body = last.json()
        assert body["status"] == "passed"
        assert body["tally"] == {
            "electorate": 2,
            "yes": 1,
            "no": 0,
            "abstain": 1,
            "yes_share": "1.0000",
            "by_class": {
                "carer": {"yes": 1, "no": 0, "abstain": 0, "weight": None},
                "service_user": {"yes": 0, "no": 0, "abstain": 1, "weight": None},
            },
        }
        assert datetime.fromisoformat(body["closed_at"]) == clock.now()
        problem(await vote(client, proposal_id, carer, "no"), 409, "proposal_closed")
        assert await closings(session, proposal_id) == 1

    async def test_without_quorum_there_is_no_decision(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        coop_id, admin, [carer, *_] = await coop_of(
            app, "carer", "worker", "worker", "carer", "community_supporter", quorum_percent=40
        )
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        ok(await vote(client, proposal_id, carer, "yes"))
        ok(await vote(client, proposal_id, admin, "yes"))
        clock.advance(timedelta(minutes=5))
        body = (await client.get(f"/api/v1/proposals/{proposal_id}", headers=carer.headers)).json()
        # 2 of 6 is 33%: short of 40%.
        assert body["status"] == "no_quorum"
        assert body["tally"]["yes_share"] == "1.0000"

    async def test_class_weighted_votes_weigh_classes_not_heads(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        coop_id, admin, [worker, carer] = await coop_of(
            app,
            "worker",
            "carer",
            voting_mode="class_weighted",
            class_weights={"service_user": 50, "worker": 20, "carer": 30},
        )
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        # Rules changed after opening (by two administrators) do not reach a vote under way.
        await set_admin(client, coop_id, carer, admin, True)
        await agree_rules(client, coop_id, admin, carer, {"pass_percent": 10})
        ok(await vote(client, proposal_id, worker, "yes"))
        ok(await vote(client, proposal_id, admin, "no"))
        clock.advance(timedelta(minutes=5))
        body = (await client.get(f"/api/v1/proposals/{proposal_id}", headers=worker.headers)).json()
        # (20 x 1 + 50 x 0) / (20 + 50) = 2/7; the carers did not vote.
        assert body["tally"] == {
            "electorate": 3,
            "yes": 1,
            "no": 1,
            "abstain": 0,
            "yes_share": "0.2857",
            # The weights the vote was counted by (those at opening), not today's.
            "by_class": {
                "carer": {"yes": 0, "no": 0, "abstain": 0, "weight": 30},
                "service_user": {"yes": 0, "no": 1, "abstain": 0, "weight": 50},
                "worker": {"yes": 1, "no": 0, "abstain": 0, "weight": 20},
            },
        }
        assert body["status"] == "rejected"

    async def test_a_member_who_joined_after_it_opened_cannot_vote(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, _ = await coop_of(app, "carer")
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        latecomer = await register_person(client)
        await join_coop(client, coop_id, latecomer, admin, "worker")
        assert (
            await client.get(f"/api/v1/proposals/{proposal_id}", headers=latecomer.headers)
        ).status_code == 200
        problem(await vote(client, proposal_id, latecomer, "yes"), 403, "not_in_electorate")
        assert (
            await session.scalar(
                select(func.count()).select_from(Vote).where(Vote.proposal_id == proposal_id)
            )
            == 0
        )

    async def test_a_representative_votes_for_the_holder_with_the_vote_scope(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, [holder, _] = await coop_of(app, "service_user", "carer")
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        rep = await register_person(client)
        mandate_id = await grant_mandate(client, holder, rep, scopes=("vote",))
        response = await vote(client, proposal_id, rep, "yes", headers=rep.on_behalf_of(holder))
        assert response.status_code == 200, response.text
        assert response.json()["my_vote"] == "yes"
        activity = (await client.get("/api/v1/me/activity", headers=holder.headers)).json()
        cast = next(e for e in activity["items"] if e["action"] == "proposal.vote_cast")
        assert cast["actor_user_id"] == str(rep.id)
        assert cast["on_behalf_of_user_id"] == str(holder.id)
        assert "yes" not in str(cast["data"])  # the ballot is secret from the audit log
        stored = await session.scalar(select(Vote).where(Vote.proposal_id == proposal_id))
        assert stored is not None
        assert stored.cast_by_user_id == rep.id
        ok(await client.delete(f"/api/v1/me/representatives/{mandate_id}", headers=holder.headers))
        problem(
            await vote(client, proposal_id, rep, "no", headers=rep.on_behalf_of(holder)),
            403,
            "no_mandate",
        )

    async def test_who_may_not(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, [holder] = await coop_of(app, "service_user")
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        url = f"/api/v1/proposals/{proposal_id}/votes"
        problem(await client.post(url, json={"choice": "yes"}), 401, "not_authenticated")
        problem(
            await vote(client, proposal_id, await register_person(client), "yes"), 404, "not_found"
        )
        _, elsewhere, _ = await coop_of(app)
        problem(await vote(client, proposal_id, elsewhere, "yes"), 404, "not_found")
        viewer = await register_person(client)
        await grant_mandate(client, holder, viewer, scopes=("view", "contribute", "refund"))
        problem(
            await vote(client, proposal_id, viewer, "yes", headers=viewer.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )
        problem(await vote(client, proposal_id, holder, "maybe"), 422, "validation_error")
        assert (
            await session.scalar(
                select(func.count()).select_from(Vote).where(Vote.proposal_id == proposal_id)
            )
            == 0
        )


def recomputed_share(by_class: dict[str, dict[str, Any]]) -> Fraction:
    """What a member can work out from the published counts alone (SPEC section 7)."""
    voted = {c: t for c, t in by_class.items() if t["yes"] + t["no"] > 0}
    weight = sum(t["weight"] for t in voted.values())
    if not weight:
        return Fraction(0)
    share: Fraction = (
        sum(
            (t["weight"] * Fraction(t["yes"], t["yes"] + t["no"]) for t in voted.values()),
            Fraction(0),
        )
        / weight
    )
    return share


def half_up(share: Fraction) -> str:
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    return str(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


class TestTallyByClass:
    async def test_a_member_recomputes_the_class_weighted_share_from_the_published_counts(
        self, app: FastAPI, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        weights = {"service_user": 40, "worker": 25, "carer": 25, "community_supporter": 10}
        coop_id, admin, [worker_1, worker_2, carer_1, carer_2, supporter] = await coop_of(
            app,
            "worker",
            "worker",
            "carer",
            "carer",
            "community_supporter",
            voting_mode="class_weighted",
            class_weights=weights,
        )
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        for person, choice in (
            (admin, "yes"),
            (worker_1, "yes"),
            (worker_2, "no"),
            (carer_1, "no"),
            (carer_2, "abstain"),
            (supporter, "yes"),
        ):
            ok(await vote(client, proposal_id, person, choice))
        body = (
            await client.get(f"/api/v1/proposals/{proposal_id}", headers=carer_2.headers)
        ).json()
        tally = body["tally"]
        assert tally["by_class"] == {
            "carer": {"yes": 0, "no": 1, "abstain": 1, "weight": 25},
            "community_supporter": {"yes": 1, "no": 0, "abstain": 0, "weight": 10},
            "service_user": {"yes": 1, "no": 0, "abstain": 0, "weight": 40},
            "worker": {"yes": 1, "no": 1, "abstain": 0, "weight": 25},
        }
        # (40 x 1 + 25 x 1/2 + 25 x 0 + 10 x 1) / 100 = 0.625
        share = recomputed_share(tally["by_class"])
        assert share == Fraction(5, 8)
        assert tally["yes_share"] == half_up(share) == "0.6250"
        # The classes add up to the totals.
        for choice in ("yes", "no", "abstain"):
            assert sum(t[choice] for t in tally["by_class"].values()) == tally[choice]

    async def test_one_member_one_vote_publishes_the_classes_without_weights(
        self, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        coop_id, admin, [worker] = await coop_of(app, "worker")
        proposal_id = await open_proposal(client, coop_id, admin, closes_at=soon(clock))
        ok(await vote(client, proposal_id, worker, "no"))
        ok(await vote(client, proposal_id, admin, "yes"))
        body = (await client.get(f"/api/v1/proposals/{proposal_id}", headers=worker.headers)).json()
        assert body["tally"]["by_class"] == {
            "service_user": {"yes": 1, "no": 0, "abstain": 0, "weight": None},
            "worker": {"yes": 0, "no": 1, "abstain": 0, "weight": None},
        }
        # The close's audit entry, in the verifiable chain, holds the same counts.
        entry = await session.scalar(
            select(AuditEntry).where(
                AuditEntry.subject_id == str(proposal_id), AuditEntry.action == "proposal.closed"
            )
        )
        assert entry is not None
        assert entry.data["by_class"] == {
            "service_user": {"yes": 1, "no": 0, "abstain": 0},
            "worker": {"yes": 0, "no": 1, "abstain": 0},
        }


class TestOutcomeHandlers:
    async def open_award_vote(
        self,
        app: FastAPI,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
    ) -> tuple[uuid.UUID, uuid.UUID, Person, Person]:
        coop_id, admin, [carer] = await coop_of(app, "carer")
        tender_id = uuid.uuid4()
        async with unit_of_work(sessionmaker) as session:
            user = await session.get(User, admin.id)
            assert user is not None
            proposal = await service.open_proposal(
                session,
                Actor(user=user),
                await get_coop(session, coop_id),
                kind="award_tender",
                title="Award the respite tender",
                body="To the best bid.",
                closes_at=clock.now() + timedelta(days=7),
                now=clock.now(),
                subject_id=tender_id,
            )
            proposal_id = proposal.id
        return proposal_id, tender_id, admin, carer

    async def test_the_kinds_handler_acts_on_the_outcome_when_it_closes(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
    ) -> None:
        outcomes: list[tuple[uuid.UUID | None, ProposalStatus]] = []

        async def award(session: AsyncSession, actor: Actor | None, proposal: Proposal) -> None:
            outcomes.append((proposal.subject_id, proposal.status))

        declare_open_set(
            sessionmaker, service.PROPOSAL_OUTCOMES, {ProposalKind.award_tender: award}
        )
        proposal_id, tender_id, admin, carer = await self.open_award_vote(app, sessionmaker, clock)
        body = (await client.get(f"/api/v1/proposals/{proposal_id}", headers=carer.headers)).json()
        assert (body["kind"], body["subject_id"]) == ("award_tender", str(tender_id))
        ok(await vote(client, proposal_id, carer, "yes"))
        assert outcomes == []
        ok(await vote(client, proposal_id, admin, "yes"))
        assert outcomes == [(tender_id, ProposalStatus.passed)]

    async def test_a_failing_handler_undoes_the_close(
        self,
        app: FastAPI,
        client: httpx.AsyncClient,
        session: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
    ) -> None:
        async def refuse(session: AsyncSession, actor: Actor | None, proposal: Proposal) -> None:
            raise Conflict

        declare_open_set(
            sessionmaker, service.PROPOSAL_OUTCOMES, {ProposalKind.award_tender: refuse}
        )
        proposal_id, _, admin, carer = await self.open_award_vote(app, sessionmaker, clock)
        ok(await vote(client, proposal_id, carer, "yes"))
        problem(await vote(client, proposal_id, admin, "yes"), 409, "conflict")
        proposal = await session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status == ProposalStatus.open
        assert await closings(session, proposal_id) == 0
        # The closing vote went with the close: only the first is kept.
        votes = (
            await session.scalars(
                select(Vote.cast_by_user_id).where(Vote.proposal_id == proposal_id)
            )
        ).all()
        assert votes == [carer.id]

    async def test_a_session_the_app_did_not_open_says_it_has_no_handlers(
        self, connection: AsyncConnection
    ) -> None:
        bare = async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        async with bare() as session:
            with pytest.raises(InternalInconsistency, match="not opened by the app"):
                service.outcome_handler(session, ProposalKind.award_tender)
