"""Each change in the product today raises its event for the people SPEC 25 names."""

import uuid
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from tests.factories import (
    SWANSEA,
    Person,
    contribute,
    create_coop,
    declare_demand,
    grant_mandate,
    join_coop,
    member_id_of,
    open_tender,
    platform_admin,
    raise_support_request,
    register_person,
    request_refund,
    set_admin,
    set_direct_payment,
    sign_in_again,
    submit_bid,
    verified_provider,
)
from tests.helpers import ok
from tests.notifications.conftest import feed, types_of


async def subjects(client: httpx.AsyncClient, person: Person, type_: str) -> list[object]:
    return [i["subject_id"] for i in await feed(client, person) if i["type"] == type_]


class TestTenders:
    async def test_published_to_staff_of_verified_providers_serving_it_and_awarded_to_the_coop_and_bidders(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Holder")
        coop = await create_coop(client, admin, award_requires_vote=False)
        await join_coop(client, coop, holder, admin)
        boss = await platform_admin(client, session)
        serving, idle, elsewhere, other_type, pending = [
            await register_person(client, full_name=name)
            for name in ("Serving", "Idle", "Elsewhere", "Other type", "Pending")
        ]
        for staff in (serving, idle):
            await verified_provider(client, session, staff=staff, admin=boss)
        await verified_provider(client, session, staff=elsewhere, admin=boss, area_codes=[SWANSEA])
        await verified_provider(
            client, session, staff=other_type, admin=boss, service_types=["respite"]
        )
        ok(
            await client.post(
                "/api/v1/providers",
                json={
                    "name": "Heb ei ddilysu",
                    "service_types": ["domiciliary_support"],
                    "area_codes": ["W06000015"],
                    "hourly_rate_pence": 2200,
                    "capacity_hours_per_week": 100,
                    "welsh_language": "some",
                    "contact_email": "pending@example.org",
                },
                headers=pending.headers,
            )
        )
        deadline = clock.now() + timedelta(hours=1)
        tender = await open_tender(
            client, coop, admin, submission_deadline=deadline.isoformat(), standstill_days=0
        )
        assert await subjects(client, serving, "tender.published") == [str(tender)]
        assert await subjects(client, idle, "tender.published") == [str(tender)]
        for person in (elsewhere, other_type, pending, holder):
            assert "tender.published" not in await types_of(client, person)
        bid = await submit_bid(client, tender, serving)
        clock.advance(timedelta(hours=2))
        await sign_in_again(client, admin, holder, serving, idle)
        ok(
            await client.put(
                f"/api/v1/tenders/{tender}/bids/{bid}/score",
                json={"quality_score": 70},
                headers=admin.headers,
            )
        )
        ok(
            await client.post(
                f"/api/v1/tenders/{tender}/award", json={"bid_id": str(bid)}, headers=admin.headers
            )
        )
        for person in (admin, holder, serving):
            assert await subjects(client, person, "tender.awarded") == [str(tender)]
        assert "tender.awarded" not in await types_of(client, idle)


class TestMoney:
    async def test_a_refund_over_the_limit_waits_for_the_other_administrators_then_is_posted(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        co_admin = await register_person(client, full_name="Co-admin")
        holder = await register_person(client, full_name="Holder")
        coop = await create_coop(client, admin)
        await join_coop(client, coop, co_admin, admin, "carer")
        await set_admin(client, coop, co_admin, admin, True)
        member_id = await join_coop(client, coop, holder, admin)
        await set_direct_payment(client, holder, weekly_amount_pence=50_000)
        ok(await contribute(client, coop, holder, amount_pence=150_000))
        asked = ok(
            await request_refund(client, coop, admin, member_id=member_id, amount_pence=60_000)
        ).json()
        assert await subjects(client, co_admin, "refund.waiting_second_approval") == [asked["id"]]
        for person in (admin, holder):
            assert "refund.waiting_second_approval" not in await types_of(client, person)
        ok(
            await client.post(
                f"/api/v1/coops/{coop}/pool/refunds/{asked['id']}/approve",
                headers={**co_admin.headers, "Idempotency-Key": uuid.uuid4().hex},
            )
        )
        assert await subjects(client, holder, "refund.posted") == [asked["id"]]

    async def test_surplus_warning_each_time_the_balance_goes_above_8_weeks(
        self, client: httpx.AsyncClient, clock: FrozenClock
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Holder")
        coop = await create_coop(client, admin)
        member_id = await join_coop(client, coop, holder, admin)
        await set_direct_payment(client, holder, weekly_amount_pence=10_000)

        async def warnings() -> int:
            return (await types_of(client, holder)).count("surplus.warning")

        # A cycle's allowance is 4 weeks (40,000): three cycles to pass 8 weeks (80,000).
        for amount in (40_000, 40_000):
            ok(await contribute(client, coop, holder, amount_pence=amount))
            clock.advance(timedelta(days=28))
            await sign_in_again(client, admin, holder)
        assert await warnings() == 0  # exactly 8 weeks is not above them
        ok(await contribute(client, coop, holder, amount_pence=1_000))
        assert await warnings() == 1
        ok(await contribute(client, coop, holder, amount_pence=500))
        assert await warnings() == 1  # still in surplus: told once
        # Back below (79,500), then up to exactly 8 weeks, then above them again: told again.
        ok(await request_refund(client, coop, holder, member_id=member_id, amount_pence=2_000))
        ok(await contribute(client, coop, holder, amount_pence=500))
        assert await warnings() == 1
        ok(await contribute(client, coop, holder, amount_pence=1_000))
        assert await warnings() == 2


class TestInvoices:
    async def test_the_member_and_their_viewer_hear_of_an_invoice_submitted_and_approved(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Holder")
        viewer = await register_person(client, full_name="Viewer")
        staff = await register_person(client, full_name="Staff")
        coop = await create_coop(client, admin, award_requires_vote=False)
        member_id = await join_coop(client, coop, holder, admin)
        await grant_mandate(client, holder, viewer, scopes=("view",))
        await set_direct_payment(client, holder, weekly_amount_pence=50_000)
        ok(await contribute(client, coop, holder, amount_pence=10_000))
        await verified_provider(client, session, staff=staff)
        deadline = clock.now() + timedelta(hours=1)
        tender = await open_tender(
            client, coop, admin, submission_deadline=deadline.isoformat(), standstill_days=0
        )
        await declare_demand(client, tender, holder, 10)
        bid = await submit_bid(client, tender, staff)
        clock.advance(timedelta(hours=2))
        await sign_in_again(client, admin, holder, viewer, staff)
        ok(
            await client.put(
                f"/api/v1/tenders/{tender}/bids/{bid}/score",
                json={"quality_score": 70},
                headers=admin.headers,
            )
        )
        ok(
            await client.post(
                f"/api/v1/tenders/{tender}/award", json={"bid_id": str(bid)}, headers=admin.headers
            )
        )
        contract = ok(
            await client.post(f"/api/v1/tenders/{tender}/contract", headers=admin.headers)
        ).json()
        invoice = ok(
            await client.post(
                f"/api/v1/contracts/{contract['id']}/invoices",
                json={
                    "period_start": "2026-03-02",
                    "period_end": "2026-03-02",
                    "lines": [{"member_id": str(member_id), "minutes": 60, "description": "Visit"}],
                },
                headers=staff.headers,
            )
        ).json()
        for person in (holder, viewer):
            assert await subjects(client, person, "invoice.submitted") == [invoice["id"]]
        [theirs] = [i for i in await feed(client, viewer) if i["type"] == "invoice.submitted"]
        assert "Holder's care from 2 March 2026 to 2 March 2026" in str(theirs["body"])
        assert "invoice.submitted" not in await types_of(client, admin)
        # The holder agrees the line, so the invoice need not wait out its dispute window.
        ok(
            await client.post(
                f"/api/v1/invoices/{invoice['id']}/lines/{invoice['lines'][0]['id']}/accept",
                headers=holder.headers,
            )
        )
        ok(await client.post(f"/api/v1/invoices/{invoice['id']}/approve", headers=admin.headers))
        for person in (holder, viewer):
            assert await subjects(client, person, "invoice.approved") == [invoice["id"]]


class TestSupport:
    async def test_the_requester_and_the_assignee_are_told_but_not_whoever_made_the_change(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Holder")
        worker = await register_person(client, full_name="Worker")
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        await join_coop(client, coop, worker, admin, "worker")
        asked = await raise_support_request(client, coop, holder.headers)
        path = f"/api/v1/coops/{coop}/support/requests/{asked}"
        ok(
            await client.patch(
                path,
                json={
                    "status": "in_progress",
                    "assignee_member_id": str(await member_id_of(client, coop, worker)),
                },
                headers=admin.headers,
            )
        )
        for person in (holder, worker):
            assert await subjects(client, person, "support.request_updated") == [str(asked)]
        assert "support.request_updated" not in await types_of(client, admin)
        [updated] = [
            i for i in await feed(client, holder) if i["type"] == "support.request_updated"
        ]
        assert "it is now In progress" in str(updated["body"])
        ok(await client.post(f"{path}/comments", json={"body": "Thanks"}, headers=holder.headers))
        assert await subjects(client, worker, "support.comment_added") == [str(asked)]
        assert "support.comment_added" not in await types_of(client, holder)
