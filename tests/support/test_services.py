import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import WALES, FrozenClock
from app.support.models import SubscriptionPeriod, SupportService
from app.support.repository import subscribers_in_month
from app.support.split import plan_charge
from tests.factories import (
    apply_to_coop,
    create_coop,
    create_support_service,
    grant_mandate,
    join_coop,
    register_person,
    sign_in_again,
)
from tests.helpers import ok, problem
from tests.support.conftest import World

GOOD_SERVICE = {
    "name": "DBS checks for new PAs",
    "category": "dbs_checks",
    "description": "Enhanced DBS checks arranged by the co-op.",
    "monthly_fee_pence": 4_500,
}


async def count(session: AsyncSession, model: type, **where: object) -> int:
    stmt = select(func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return await session.scalar(stmt) or 0


async def actions(session: AsyncSession, coop_id: uuid.UUID, prefix: str) -> list[AuditEntry]:
    return list(
        (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.coop_id == coop_id, AuditEntry.action.startswith(prefix))
                .order_by(AuditEntry.seq)
            )
        ).all()
    )


def services_url(world: World) -> str:
    return f"/api/v1/coops/{world.coop_id}/support/services"


def subscription_url(world: World, service_id: uuid.UUID) -> str:
    return f"/api/v1/coops/{world.coop_id}/support/services/{service_id}/subscription"


class TestCreateService:
    async def test_an_admin_adds_a_service_to_the_catalogue(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        response = await client.post(
            services_url(world), json=GOOD_SERVICE, headers=world.admin.headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {
            **GOOD_SERVICE,
            "id": body["id"],
            "coop_id": str(world.coop_id),
            "created_at": "2026-03-02T09:00:00Z",
            "subscribed": False,
            "subscriber_count": 0,
        }
        [entry] = await actions(session, world.coop_id, "support_service.")
        assert (entry.action, entry.subject_id) == ("support_service.created", body["id"])
        assert entry.data == {"category": "dbs_checks", "monthly_fee_pence": 4_500}

    async def test_a_free_service_is_allowed(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.post(
            services_url(world),
            json={**GOOD_SERVICE, "monthly_fee_pence": 0},
            headers=world.admin.headers,
        )
        assert response.status_code == 201, response.text

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("monthly_fee_pence", 10.5),
            ("monthly_fee_pence", "4500"),
            ("monthly_fee_pence", True),
            ("monthly_fee_pence", -1),
            ("monthly_fee_pence", 10_000_001),
            ("category", "gardening"),
            ("name", "   "),
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
        body = problem(
            await client.post(
                services_url(world),
                json={**GOOD_SERVICE, field: value},
                headers=world.admin.headers,
            ),
            422,
            "validation_error",
        )
        assert ["body", field] in [e["loc"][:2] for e in body["errors"]]
        assert await count(session, SupportService, coop_id=world.coop_id) == 0

    async def test_who_may_not(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        url = services_url(world)
        problem(await client.post(url, json=GOOD_SERVICE), 401, "not_authenticated")
        problem(
            await client.post(url, json=GOOD_SERVICE, headers=world.outsider.headers),
            404,
            "not_found",
        )
        problem(
            await client.post(url, json=GOOD_SERVICE, headers=world.elsewhere.headers),
            404,
            "not_found",
        )
        for member in (world.holder, world.worker):
            problem(
                await client.post(url, json=GOOD_SERVICE, headers=member.headers), 403, "forbidden"
            )
        representative = await register_person(client)
        await grant_mandate(
            client, world.admin, representative, scopes=("view", "contribute", "vote", "refund")
        )
        problem(
            await client.post(
                url, json=GOOD_SERVICE, headers=representative.on_behalf_of(world.admin)
            ),
            403,
            "outside_mandate",
        )
        problem(
            await client.post(
                f"/api/v1/coops/{uuid.uuid4()}/support/services",
                json=GOOD_SERVICE,
                headers=world.admin.headers,
            ),
            404,
            "not_found",
        )
        assert await count(session, SupportService, coop_id=world.coop_id) == 0


class TestListServices:
    async def test_members_see_the_catalogue_oldest_first_with_their_subscription(
        self, client: httpx.AsyncClient, world: World, clock: FrozenClock
    ) -> None:
        payroll = await create_support_service(client, world.coop_id, world.admin)
        clock.advance(timedelta(minutes=1))
        training = await create_support_service(
            client, world.coop_id, world.admin, name="Moving and handling", category="training"
        )
        ok(await client.post(subscription_url(world, payroll), headers=world.holder.headers))
        ok(await client.post(subscription_url(world, payroll), headers=world.admin.headers))
        mine = (await client.get(services_url(world), headers=world.holder.headers)).json()
        assert [(i["id"], i["subscribed"], i["subscriber_count"]) for i in mine["items"]] == [
            (str(payroll), True, 2),
            (str(training), False, 0),
        ]
        assert mine["next_cursor"] is None
        theirs = (await client.get(services_url(world), headers=world.worker.headers)).json()
        assert [(i["subscribed"], i["subscriber_count"]) for i in theirs["items"]] == [
            (False, 2),
            (False, 0),
        ]

    async def test_pages_follow_the_cursor(
        self, client: httpx.AsyncClient, world: World, clock: FrozenClock
    ) -> None:
        made = []
        for n in range(3):
            made.append(
                str(await create_support_service(client, world.coop_id, world.admin, name=f"S{n}"))
            )
            clock.advance(timedelta(seconds=1))
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, str | int] = {"limit": 2}
            if cursor:
                params["cursor"] = cursor
            page = (
                await client.get(services_url(world), params=params, headers=world.holder.headers)
            ).json()
            seen += [i["id"] for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == made

    async def test_another_coops_services_are_not_listed(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        ours = await create_support_service(client, world.coop_id, world.admin)
        await create_support_service(client, world.elsewhere_coop_id, world.elsewhere)
        page = ok(await client.get(services_url(world), headers=world.holder.headers)).json()
        assert [item["id"] for item in page["items"]] == [str(ours)]

    async def test_a_representative_reads_with_view_and_sees_the_holders_subscription(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        ok(await client.post(subscription_url(world, service), headers=world.holder.headers))
        viewer = await register_person(client)
        await grant_mandate(client, world.holder, viewer, scopes=("view",))
        response = await client.get(services_url(world), headers=viewer.on_behalf_of(world.holder))
        assert response.status_code == 200, response.text
        assert response.json()["items"][0]["subscribed"] is True
        without_view = await register_person(client)
        await grant_mandate(client, world.holder, without_view, scopes=("contribute",))
        problem(
            await client.get(services_url(world), headers=without_view.on_behalf_of(world.holder)),
            403,
            "outside_mandate",
        )

    async def test_who_may_not(self, client: httpx.AsyncClient, world: World) -> None:
        url = services_url(world)
        problem(await client.get(url), 401, "not_authenticated")
        problem(await client.get(url, headers=world.outsider.headers), 404, "not_found")
        problem(await client.get(url, headers=world.elsewhere.headers), 404, "not_found")
        applicant = await register_person(client)
        await apply_to_coop(client, world.coop_id, applicant)
        problem(await client.get(url, headers=applicant.headers), 404, "not_found")
        stranger = await register_person(client)
        problem(
            await client.get(url, headers=stranger.on_behalf_of(world.holder)), 403, "no_mandate"
        )


class TestSubscribe:
    async def test_a_holder_subscribes_from_today(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        response = await client.post(subscription_url(world, service), headers=world.holder.headers)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body == {
            "id": body["id"],
            "service_id": str(service),
            "member_id": str(world.holder_member_id),
            "started_on": "2026-03-02",
            "ended_on": None,
        }
        [entry] = await actions(session, world.coop_id, "support.")
        assert entry.action == "support.subscribed"
        assert entry.subject_id == body["id"]
        assert entry.data == {"service_id": str(service), "member_id": str(world.holder_member_id)}

    async def test_subscribing_again_answers_the_running_subscription_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, clock: FrozenClock
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        first = await client.post(url, headers=world.holder.headers)
        clock.advance(timedelta(days=3))
        await sign_in_again(client, world.holder)
        again = await client.post(url, headers=world.holder.headers)
        assert again.status_code == 200, again.text
        assert again.json() == first.json()
        assert await count(session, SubscriptionPeriod, service_id=service) == 1
        assert len(await actions(session, world.coop_id, "support.")) == 1

    async def test_opting_back_in_on_the_day_of_opting_out_reopens_that_period(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        first = (await client.post(url, headers=world.holder.headers)).json()
        ok(await client.delete(url, headers=world.holder.headers))
        again = await client.post(url, headers=world.holder.headers)
        assert again.status_code == 201
        assert again.json() == first
        assert await count(session, SubscriptionPeriod, service_id=service) == 1

    async def test_opting_back_in_later_starts_a_new_period(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, clock: FrozenClock
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        first = (await client.post(url, headers=world.holder.headers)).json()
        clock.advance(timedelta(days=1))
        await sign_in_again(client, world.holder)
        ok(await client.delete(url, headers=world.holder.headers))
        clock.advance(timedelta(days=1))
        await sign_in_again(client, world.holder)
        again = (await client.post(url, headers=world.holder.headers)).json()
        assert again["id"] != first["id"]
        assert (again["started_on"], again["ended_on"]) == ("2026-03-04", None)
        assert await count(session, SubscriptionPeriod, service_id=service) == 2

    async def test_only_direct_payment_holders_subscribe(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        for member in (world.worker, world.carer):
            problem(
                await client.post(subscription_url(world, service), headers=member.headers),
                422,
                "not_a_holder",
            )
        assert await count(session, SubscriptionPeriod, service_id=service) == 0

    async def test_a_representative_subscribes_the_holder_with_contribute_only(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        viewer = await register_person(client)
        await grant_mandate(client, world.holder, viewer, scopes=("view", "vote", "refund"))
        problem(
            await client.post(url, headers=viewer.on_behalf_of(world.holder)),
            403,
            "outside_mandate",
        )
        assert await count(session, SubscriptionPeriod, service_id=service) == 0
        payer = await register_person(client)
        await grant_mandate(client, world.holder, payer, scopes=("contribute",))
        response = await client.post(url, headers=payer.on_behalf_of(world.holder))
        assert response.status_code == 201, response.text
        assert response.json()["member_id"] == str(world.holder_member_id)
        [entry] = await actions(session, world.coop_id, "support.")
        assert (entry.actor_user_id, entry.on_behalf_of_user_id) == (payer.id, world.holder.id)

    async def test_an_unknown_or_another_coops_service_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await create_support_service(client, world.elsewhere_coop_id, world.elsewhere)
        for service in (uuid.uuid4(), theirs):
            problem(
                await client.post(subscription_url(world, service), headers=world.holder.headers),
                404,
                "not_found",
            )

    async def test_who_may_not(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        problem(await client.post(url), 401, "not_authenticated")
        problem(await client.post(url, headers=world.outsider.headers), 404, "not_found")
        problem(await client.post(url, headers=world.elsewhere.headers), 404, "not_found")
        assert await count(session, SubscriptionPeriod, service_id=service) == 0


class TestUnsubscribe:
    async def test_today_is_the_last_day_of_the_subscription(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, clock: FrozenClock
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        started = (await client.post(url, headers=world.holder.headers)).json()
        clock.set(datetime(2026, 4, 10, 12, 0, tzinfo=UTC))
        await sign_in_again(client, world.holder)
        response = await client.delete(url, headers=world.holder.headers)
        assert response.status_code == 200, response.text
        assert response.json() == {**started, "ended_on": "2026-04-10"}
        listed = (await client.get(services_url(world), headers=world.holder.headers)).json()
        assert (listed["items"][0]["subscribed"], listed["items"][0]["subscriber_count"]) == (
            False,
            0,
        )
        entries = await actions(session, world.coop_id, "support.")
        assert [e.action for e in entries] == ["support.subscribed", "support.unsubscribed"]

    async def test_not_being_subscribed_is_not_found_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        problem(await client.delete(url, headers=world.holder.headers), 404, "not_found")
        ok(await client.post(url, headers=world.holder.headers))
        ok(await client.delete(url, headers=world.holder.headers))
        problem(await client.delete(url, headers=world.holder.headers), 404, "not_found")
        assert await count(session, SubscriptionPeriod, service_id=service) == 1
        assert len(await actions(session, world.coop_id, "support.")) == 2

    async def test_a_representative_needs_contribute(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        ok(await client.post(url, headers=world.holder.headers))
        viewer = await register_person(client)
        await grant_mandate(client, world.holder, viewer, scopes=("view",))
        problem(
            await client.delete(url, headers=viewer.on_behalf_of(world.holder)),
            403,
            "outside_mandate",
        )
        assert await count(session, SubscriptionPeriod, service_id=service, ended_on=None) == 1
        payer = await register_person(client)
        await grant_mandate(client, world.holder, payer, scopes=("contribute",))
        response = await client.delete(url, headers=payer.on_behalf_of(world.holder))
        assert response.status_code == 200, response.text

    async def test_who_may_not(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        ok(await client.post(url, headers=world.holder.headers))
        problem(await client.delete(url), 401, "not_authenticated")
        problem(await client.delete(url, headers=world.outsider.headers), 404, "not_found")
        problem(await client.delete(url, headers=world.elsewhere.headers), 404, "not_found")
        problem(
            await client.delete(
                subscription_url(world, uuid.uuid4()), headers=world.holder.headers
            ),
            404,
            "not_found",
        )
        assert await count(session, SubscriptionPeriod, service_id=service, ended_on=None) == 1


class TestSubscribersInMonth:
    async def test_a_past_month_is_charged_to_that_months_subscribers(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, clock: FrozenClock
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        ok(await client.post(url, headers=world.holder.headers))  # 2 March
        clock.set(datetime(2026, 4, 20, 9, 0, tzinfo=UTC))
        await sign_in_again(client, world.holder)
        ok(await client.delete(url, headers=world.holder.headers))

        async def members_of(year: int, month: int) -> list[uuid.UUID]:
            found = await subscribers_in_month(session, service_id=service, year=year, month=month)
            return [m.id for m in found]

        assert await members_of(2026, 2) == []
        assert await members_of(2026, 3) == [world.holder_member_id]
        assert await members_of(2026, 4) == [world.holder_member_id]
        assert await members_of(2026, 5) == []
        assert plan_charge(10_000, await members_of(2026, 3)) == [(world.holder_member_id, 10_000)]

    async def test_the_first_and_last_days_of_a_month_count(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, clock: FrozenClock
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        # Welsh days: one minute before midnight on 31 March (BST), one after on 1 May.
        clock.set(datetime(2026, 3, 31, 23, 59, tzinfo=WALES))
        await sign_in_again(client, world.holder)
        ok(await client.post(url, headers=world.holder.headers))
        clock.set(datetime(2026, 5, 1, 0, 1, tzinfo=WALES))
        await sign_in_again(client, world.holder)
        ok(await client.delete(url, headers=world.holder.headers))
        for month, expected in ((3, True), (4, True), (5, True), (6, False)):
            found = await subscribers_in_month(session, service_id=service, year=2026, month=month)
            assert (world.holder_member_id in [m.id for m in found]) is expected, month

    async def test_members_come_in_order_of_approval_each_once(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World, clock: FrozenClock
    ) -> None:
        service = await create_support_service(client, world.coop_id, world.admin)
        url = subscription_url(world, service)
        later, later_ids = [], []
        for _ in range(2):
            clock.advance(timedelta(hours=1))
            await sign_in_again(client, world.admin)
            person = await register_person(client)
            later_ids.append(await join_coop(client, world.coop_id, person, world.admin))
            later.append(person)
        # Subscribed in the opposite order to their approval, and the holder twice over.
        await sign_in_again(client, world.holder, *later)
        for person in (*reversed(later), world.holder, world.admin):
            ok(await client.post(url, headers=person.headers))
        clock.advance(timedelta(days=1))
        await sign_in_again(client, world.holder)
        ok(await client.delete(url, headers=world.holder.headers))
        clock.advance(timedelta(days=1))
        await sign_in_again(client, world.holder)
        ok(await client.post(url, headers=world.holder.headers))
        found = await subscribers_in_month(session, service_id=service, year=2026, month=3)
        # The founder and the holder were approved at the same moment: member id decides.
        expected = [*sorted([world.admin_member_id, world.holder_member_id]), *later_ids]
        assert [m.id for m in found] == expected
        assert [pence for _, pence in plan_charge(1002, [m.id for m in found])] == [
            251,
            251,
            250,
            250,
        ]

    async def test_only_that_services_subscribers_count(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        payroll = await create_support_service(client, world.coop_id, world.admin)
        training = await create_support_service(
            client, world.coop_id, world.admin, name="Training", category="training"
        )
        ok(await client.post(subscription_url(world, training), headers=world.holder.headers))
        assert await subscribers_in_month(session, service_id=payroll, year=2026, month=3) == []


class TestLeaving:
    async def test_leaving_the_coop_ends_every_subscription_that_day(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        holder = await register_person(client)
        member_id = await join_coop(client, coop_id, holder, admin)
        service = await create_support_service(client, coop_id, admin)
        subscribed = await client.post(
            f"/api/v1/coops/{coop_id}/support/services/{service}/subscription",
            headers=holder.headers,
        )
        assert subscribed.status_code == 201
        clock.set(datetime(2026, 4, 7, 9, 0, tzinfo=UTC))
        await sign_in_again(client, holder)
        left = await client.post(
            f"/api/v1/coops/{coop_id}/members/{member_id}/leave", headers=holder.headers
        )
        assert left.status_code == 200, left.text
        period = await session.get(
            SubscriptionPeriod, uuid.UUID(subscribed.json()["id"]), populate_existing=True
        )
        assert period is not None
        assert period.ended_on is not None
        assert period.ended_on.isoformat() == "2026-04-07"
        april = await subscribers_in_month(session, service_id=service, year=2026, month=4)
        may = await subscribers_in_month(session, service_id=service, year=2026, month=5)
        assert ([m.id for m in april], may) == ([member_id], [])
        [entry] = await actions(session, coop_id, "support.unsubscribed")
        assert entry.data["reason"] == "left"
