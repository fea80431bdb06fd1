"""A representative who stands to gain from the holder's spending may not move their money."""

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock
from app.representatives.models import Mandate, MandateStatus
from tests.factories import (
    Person,
    contribute,
    create_coop,
    declare_demand,
    grant_mandate,
    join_coop,
    open_tender,
    platform_admin,
    register_person,
    request_refund,
    set_direct_payment,
    sign_in_again,
    submit_bid,
    verified_provider,
)
from tests.helpers import ok, problem


async def contract_for(
    client: httpx.AsyncClient,
    clock: FrozenClock,
    coop_id: uuid.UUID,
    admin: Person,
    staff: Person,
    holder: Person,
    *,
    everyone: tuple[Person, ...],
) -> uuid.UUID:
    """A tender the holder declares demand in, won by `staff`'s provider and contracted: the
    holder has a call-off with that provider."""
    soon = {"submission_deadline": (clock.now() + timedelta(hours=1)).isoformat()}
    tender_id = await open_tender(client, coop_id, admin, standstill_days=0, **soon)
    bid_id = await submit_bid(client, tender_id, staff)
    await declare_demand(client, tender_id, holder, 10)
    clock.advance(timedelta(hours=2))
    await sign_in_again(client, *everyone)
    ok(
        await client.put(
            f"/api/v1/tenders/{tender_id}/bids/{bid_id}/score",
            json={"quality_score": 80},
            headers=admin.headers,
        )
    )
    ok(
        await client.post(
            f"/api/v1/tenders/{tender_id}/award",
            json={"bid_id": str(bid_id)},
            headers=admin.headers,
        )
    )
    made = await client.post(f"/api/v1/tenders/{tender_id}/contract", headers=admin.headers)
    assert made.status_code == 201, made.text
    return uuid.UUID(made.json()["id"])


class World:
    def __init__(
        self, coop_id: uuid.UUID, admin: Person, holder: Person, member_id: uuid.UUID, staff: Person
    ) -> None:
        self.coop_id, self.admin, self.holder = coop_id, admin, holder
        self.member_id, self.staff = member_id, staff

    @property
    def people(self) -> tuple[Person, ...]:
        return (self.admin, self.holder, self.staff)


async def world(client: httpx.AsyncClient, session: AsyncSession) -> World:
    admin = await register_person(client, full_name="Alys Admin")
    coop_id = await create_coop(client, admin, award_requires_vote=False)
    holder = await register_person(client, full_name="Huw Holder")
    member_id = await join_coop(client, coop_id, holder, admin)
    await set_direct_payment(client, holder, weekly_amount_pence=50_000)
    ok(await contribute(client, coop_id, holder, amount_pence=60_000))
    staff = await register_person(client, full_name="Carys Carer-at-Provider")
    await verified_provider(
        client, session, staff=staff, admin=await platform_admin(client, session)
    )
    return World(coop_id, admin, holder, member_id, staff)


async def grant(
    client: httpx.AsyncClient, holder: Person, rep: Person, scopes: list[str]
) -> httpx.Response:
    return await client.post(
        "/api/v1/me/representatives",
        json={"email": rep.email, "scopes": scopes, "limit_pence_per_cycle": 50_000},
        headers=holder.headers,
    )


class TestAtGrant:
    async def test_a_providers_staff_cannot_be_given_refund_for_a_holder_they_care_for(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        w = await world(client, session)
        await contract_for(client, clock, w.coop_id, w.admin, w.staff, w.holder, everyone=w.people)
        for scopes in (["view", "refund"], ["contribute"]):
            body = problem(
                await grant(client, w.holder, w.staff, scopes), 409, "conflict_of_interest"
            )
            assert body["scopes"] == [s for s in scopes if s != "view"]
        assert (await session.scalars(select(Mandate))).all() == []
        # Seeing and voting for them is no conflict.
        assert (await grant(client, w.holder, w.staff, ["view", "vote"])).status_code == 201

    async def test_staff_who_were_invited_before_cannot_accept_the_money_scopes(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        w = await world(client, session)
        mandate_id = await grant_mandate(
            client, w.holder, w.staff, scopes=("view", "refund"), accept=False
        )
        await contract_for(client, clock, w.coop_id, w.admin, w.staff, w.holder, everyone=w.people)
        problem(
            await client.post(
                f"/api/v1/me/representing/{mandate_id}/accept", headers=w.staff.headers
            ),
            409,
            "conflict_of_interest",
        )
        mandate = await session.get(Mandate, mandate_id)
        assert mandate is not None
        await session.refresh(mandate)
        assert mandate.status == MandateStatus.invited


class TestLater:
    async def test_a_representative_who_becomes_conflicted_loses_the_scope_at_once(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        w = await world(client, session)
        mandate_id = await grant_mandate(
            client,
            w.holder,
            w.staff,
            scopes=("view", "refund", "contribute"),
            limit_pence_per_cycle=50_000,
        )
        before = await request_refund(
            client,
            w.coop_id,
            w.staff,
            member_id=w.member_id,
            amount_pence=1_000,
            headers=w.staff.on_behalf_of(w.holder),
        )
        assert before.status_code == 201, before.text
        await contract_for(client, clock, w.coop_id, w.admin, w.staff, w.holder, everyone=w.people)
        problem(
            await request_refund(
                client,
                w.coop_id,
                w.staff,
                member_id=w.member_id,
                amount_pence=1_000,
                headers=w.staff.on_behalf_of(w.holder),
            ),
            403,
            "outside_mandate",
        )
        problem(
            await contribute(
                client,
                w.coop_id,
                w.staff,
                amount_pence=1_000,
                headers=w.staff.on_behalf_of(w.holder),
            ),
            403,
            "outside_mandate",
        )
        # What is not money still works.
        seen = await client.get(
            f"/api/v1/coops/{w.coop_id}/members", headers=w.staff.on_behalf_of(w.holder)
        )
        assert seen.status_code == 200, seen.text
        # The holder and the administrators are told; the chain records it about the holder.
        for person in (w.holder, w.admin):
            feed = ok(await client.get("/api/v1/me/notifications", headers=person.headers)).json()
            told = [n for n in feed["items"] if n["type"] == "mandate.conflict_of_interest"]
            assert [n["subject_id"] for n in told] == [str(mandate_id)]
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "mandate.conflict_found")
        )
        assert entry is not None
        assert entry.about_user_id == w.holder.id
        assert entry.data["withheld_scopes"] == ["contribute", "refund"]

    async def test_a_mandate_without_money_scopes_is_left_alone(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        w = await world(client, session)
        await grant_mandate(client, w.holder, w.staff, scopes=("view",))
        await contract_for(client, clock, w.coop_id, w.admin, w.staff, w.holder, everyone=w.people)
        feed = ok(await client.get("/api/v1/me/notifications", headers=w.holder.headers)).json()
        assert not [n for n in feed["items"] if n["type"] == "mandate.conflict_of_interest"]
        assert (
            await session.scalar(
                select(AuditEntry).where(AuditEntry.action == "mandate.conflict_found")
            )
        ) is None


class TestWorkers:
    async def test_a_representative_employed_as_the_holders_worker_loses_refund_at_once(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """The holder's son manages her money, then she employs him as her personal
        assistant: from that moment he cannot refund for her: the money scope is withheld."""
        w = await world(client, session)
        son = await register_person(client, full_name="Dewi Holder")
        mandate_id = await grant_mandate(
            client, w.holder, son, scopes=("view", "refund"), limit_pence_per_cycle=50_000
        )
        as_son = son.on_behalf_of(w.holder)
        before = await request_refund(
            client, w.coop_id, son, member_id=w.member_id, amount_pence=1_000, headers=as_son
        )
        assert before.status_code == 201, before.text
        coop = f"/api/v1/coops/{w.coop_id}"
        worker = ok(
            await client.post(
                f"{coop}/workers",
                json={"full_name": "Dewi Holder", "email": son.email},
                headers=w.holder.headers,
            )
        ).json()
        ok(
            await client.post(
                f"{coop}/employments",
                json={
                    "worker_id": worker["id"],
                    "employer_kind": "member",
                    "employer_member_id": str(w.member_id),
                    "hourly_rate_pence": 1_250,
                    "contracted_hours_per_week": 10,
                    "pay_frequency": "monthly",
                    "first_period_start": "2026-03-01",
                },
                headers=w.holder.headers,
            )
        )
        problem(
            await request_refund(
                client, w.coop_id, son, member_id=w.member_id, amount_pence=1_000, headers=as_son
            ),
            403,
            "outside_mandate",
        )
        feed = ok(await client.get("/api/v1/me/notifications", headers=w.holder.headers)).json()
        told = [n for n in feed["items"] if n["type"] == "mandate.conflict_of_interest"]
        assert [n["subject_id"] for n in told] == [str(mandate_id)]
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "mandate.conflict_found")
        )
        assert entry is not None
        assert entry.data["reason"] == f"worker:{worker['id']}"
