import uuid
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.actor import Actor
from app.auth.models import User
from app.core.clock import FrozenClock
from app.core.db import unit_of_work
from app.core.errors import Conflict, InternalInconsistency
from app.representatives import approvals, service
from app.representatives.models import Approval, ApprovalStatus
from tests.factories import Person, grant_mandate, register_person
from tests.helpers import declare_open_set, ok, problem

URL = "/api/v1/me/approvals"
KIND = "test_refund"


@dataclass
class RecordingHandler:
    """Stands in for the ledger's refund handler."""

    calls: list[tuple[str, uuid.UUID, uuid.UUID]] = field(default_factory=list)
    fail: bool = False

    async def on_approve(self, _session: AsyncSession, actor: Actor, approval: Approval) -> None:
        if self.fail:
            raise Conflict
        self.calls.append(("approve", approval.subject_id, actor.user.id))

    async def on_refuse(self, _session: AsyncSession, actor: Actor, approval: Approval) -> None:
        self.calls.append(("refuse", approval.subject_id, actor.user.id))


@pytest.fixture
def handler(sessionmaker: async_sessionmaker[AsyncSession]) -> RecordingHandler:
    recording = RecordingHandler()
    declare_open_set(sessionmaker, approvals.APPROVAL_KINDS, {KIND: recording})
    return recording


async def request(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    rep: Person,
    holder: Person,
    *,
    kind: str = KIND,
) -> uuid.UUID:
    """What the ledger does when a representative asks for a refund."""
    async with unit_of_work(sessionmaker) as session:
        user = await session.get(User, rep.id)
        assert user is not None
        found = await service.resolve_mandate(session, representative=user, holder_id=holder.id)
        assert found is not None
        actor = Actor(user=user, on_behalf_of=found[0], mandate=found[1])
        approval = await approvals.request_approval(
            session, actor, kind=kind, subject_id=uuid.uuid4(), now=clock.now()
        )
        return approval.id


async def pair(client: httpx.AsyncClient) -> tuple[Person, Person]:
    holder = await register_person(client, full_name="Holder")
    rep = await register_person(client, full_name="Rep")
    await grant_mandate(
        client, holder, rep, scopes=("view", "refund"), limit_pence_per_cycle=10_000
    )
    return holder, rep


async def status_of(session: AsyncSession, approval_id: uuid.UUID) -> ApprovalStatus:
    approval = await session.get(Approval, approval_id, populate_existing=True)
    assert approval is not None
    return approval.status


class TestRequestApproval:
    @pytest.mark.usefixtures("handler")
    async def test_a_kind_without_a_handler_cannot_be_queued(
        self,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
    ) -> None:
        holder, rep = await pair(client)
        with pytest.raises(InternalInconsistency, match="no approval handler"):
            await request(sessionmaker, clock, rep, holder, kind="unheard_of")

    @pytest.mark.usefixtures("handler")
    async def test_only_an_act_on_behalf_waits_for_approval(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        user = await session.get(User, holder.id)
        assert user is not None
        with pytest.raises(ValueError, match="behalf"):
            await approvals.request_approval(
                session, Actor(user=user), kind=KIND, subject_id=uuid.uuid4(), now=user.created_at
            )


class TestListApprovals:
    @pytest.mark.usefixtures("handler")
    async def test_the_holder_sees_what_waits(
        self,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        response = await client.get(URL, headers=holder.headers)
        assert response.status_code == 200
        [item] = response.json()["items"]
        assert item["id"] == str(approval_id)
        assert item["kind"] == KIND
        assert item["status"] == "pending"
        assert item["requested_by"] == {"id": str(rep.id), "full_name": "Rep"}
        assert (await client.get(URL, headers=rep.headers)).json()["items"] == []
        activity = (await client.get("/api/v1/me/activity", headers=holder.headers)).json()
        requested = next(e for e in activity["items"] if e["action"] == "approval.requested")
        assert requested["actor_user_id"] == str(rep.id)
        assert requested["on_behalf_of_user_id"] == str(holder.id)

    @pytest.mark.usefixtures("handler")
    async def test_decided_items_leave_the_default_list(
        self,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        ok(await client.post(f"{URL}/{approval_id}/refuse", headers=holder.headers))
        assert (await client.get(URL, headers=holder.headers)).json()["items"] == []
        refused = await client.get(URL, params={"status": "refused"}, headers=holder.headers)
        assert [i["id"] for i in refused.json()["items"]] == [str(approval_id)]

    @pytest.mark.usefixtures("handler")
    async def test_who_may_not(self, client: httpx.AsyncClient) -> None:
        holder, rep = await pair(client)
        problem(await client.get(URL), 401, "not_authenticated")
        problem(await client.get(URL, headers=rep.on_behalf_of(holder)), 403, "outside_mandate")


class TestApprove:
    async def test_the_holder_approves_and_the_handler_acts(
        self,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        handler: RecordingHandler,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        response = await client.post(f"{URL}/{approval_id}/approve", headers=holder.headers)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "approved"
        assert response.json()["decided_at"] is not None
        assert [(verb, who) for verb, _, who in handler.calls] == [("approve", holder.id)]
        activity = (await client.get("/api/v1/me/activity", headers=holder.headers)).json()
        assert activity["items"][0]["action"] == "approval.approved"

    async def test_a_decided_item_cannot_be_decided_again(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        handler: RecordingHandler,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        ok(await client.post(f"{URL}/{approval_id}/approve", headers=holder.headers))
        problem(
            await client.post(f"{URL}/{approval_id}/refuse", headers=holder.headers),
            409,
            "invalid_transition",
        )
        assert await status_of(session, approval_id) == ApprovalStatus.approved
        assert len(handler.calls) == 1

    async def test_a_failing_handler_leaves_the_item_waiting(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        handler: RecordingHandler,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        handler.fail = True
        problem(
            await client.post(f"{URL}/{approval_id}/approve", headers=holder.headers),
            409,
            "conflict",
        )
        assert await status_of(session, approval_id) == ApprovalStatus.pending

    async def test_an_idempotency_key_replays_without_acting_twice(
        self,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        handler: RecordingHandler,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        headers = {**holder.headers, "Idempotency-Key": "approve-1"}
        first = await client.post(f"{URL}/{approval_id}/approve", headers=headers)
        second = await client.post(f"{URL}/{approval_id}/approve", headers=headers)
        assert first.status_code == second.status_code == 200
        assert first.content == second.content
        assert len(handler.calls) == 1

    async def test_a_representative_cannot_approve_their_own_request(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        handler: RecordingHandler,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        url = f"{URL}/{approval_id}/approve"
        problem(await client.post(url), 401, "not_authenticated")
        problem(await client.post(url, headers=rep.on_behalf_of(holder)), 403, "outside_mandate")
        problem(await client.post(url, headers=rep.headers), 404, "not_found")
        stranger = await register_person(client)
        problem(await client.post(url, headers=stranger.headers), 404, "not_found")
        assert await status_of(session, approval_id) == ApprovalStatus.pending
        assert handler.calls == []


class TestRefuse:
    async def test_the_holder_refuses_and_the_handler_is_told(
        self,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        handler: RecordingHandler,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        response = await client.post(f"{URL}/{approval_id}/refuse", headers=holder.headers)
        assert response.status_code == 200
        assert response.json()["status"] == "refused"
        assert [verb for verb, _, _ in handler.calls] == ["refuse"]

    @pytest.mark.usefixtures("handler")
    async def test_who_may_not(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
    ) -> None:
        holder, rep = await pair(client)
        approval_id = await request(sessionmaker, clock, rep, holder)
        url = f"{URL}/{approval_id}/refuse"
        problem(await client.post(url), 401, "not_authenticated")
        problem(await client.post(url, headers=rep.on_behalf_of(holder)), 403, "outside_mandate")
        problem(await client.post(url, headers=rep.headers), 404, "not_found")
        assert await status_of(session, approval_id) == ApprovalStatus.pending
        rows = (await session.scalars(select(Approval).where(Approval.id == approval_id))).all()
        assert len(rows) == 1
