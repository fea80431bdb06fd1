"""Webhooks: created and listed by their owners, signed deliveries to a real receiver, retries
with growing delays, a co-op's events for that co-op only, and addresses production refuses."""

import base64
import ipaddress
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FrozenClock
from app.core.config import Settings
from app.main import create_app
from app.notifications.errors import WebhookUrlRefused
from app.notifications.events import Event, EventType
from app.notifications.models import Webhook, WebhookDelivery
from app.notifications.service import notify
from app.notifications.webhooks import address
from app.notifications.webhooks.service import new_secret
from app.worker import Worker
from tests.conftest import Database
from tests.factories import (
    SWANSEA,
    Person,
    create_coop,
    join_coop,
    login,
    platform_admin,
    register_person,
    sign_in_again,
)
from tests.helpers import ok, problem
from tests.webhook_receiver import Receiver

ALL_BUT_ACCOUNTS = ["membership.applied", "membership.approved", "proposal.opened"]


async def make_webhook(
    client: httpx.AsyncClient, path: str, person: Person, url: str, types: list[str]
) -> dict[str, object]:
    response = await client.post(
        path,
        json={"url": url, "event_types": types, "description": "Our CRM"},
        headers=person.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


class TestManagingWebhooks:
    async def test_created_with_a_secret_shown_once_then_listed_read_and_deleted(
        self, client: httpx.AsyncClient
    ) -> None:
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        base = f"/api/v1/coops/{coop}/webhooks"
        made = await make_webhook(
            client, base, admin, "https://hooks.example.org/a", ["tender.published"]
        )
        secret = str(made["secret"])
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
        assert made["coop_id"] == str(coop)
        listed = ok(await client.get(base, headers=admin.headers)).json()["items"]
        assert [w["id"] for w in listed] == [made["id"]]
        assert "secret" not in listed[0]
        assert (
            "secret"
            not in ok(await client.get(f"{base}/{made['id']}", headers=admin.headers)).json()
        )
        gone = await client.delete(f"{base}/{made['id']}", headers=admin.headers)
        assert gone.status_code == 204
        problem(await client.get(f"{base}/{made['id']}", headers=admin.headers), 404, "not_found")
        assert ok(await client.get(base, headers=admin.headers)).json()["items"] == []

    async def test_another_coops_webhook_and_the_platforms_do_not_exist_here(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await register_person(client)
        other = await register_person(client)
        coop = await create_coop(client, admin)
        theirs = await create_coop(client, other, name="Arall", area_codes=(SWANSEA,))
        hook = await make_webhook(
            client,
            f"/api/v1/coops/{theirs}/webhooks",
            other,
            "https://x.example.org",
            ["tender.awarded"],
        )
        problem(
            await client.get(f"/api/v1/coops/{coop}/webhooks/{hook['id']}", headers=admin.headers),
            404,
            "not_found",
        )
        boss = await platform_admin(client, session)
        problem(
            await client.get(f"/api/v1/admin/webhooks/{hook['id']}", headers=boss.headers),
            404,
            "not_found",
        )

    async def test_account_events_never_go_to_a_webhook(self, client: httpx.AsyncClient) -> None:
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        refused = await client.post(
            f"/api/v1/coops/{coop}/webhooks",
            json={"url": "https://x.example.org", "event_types": ["account.new_login"]},
            headers=admin.headers,
        )
        problem(refused, 422, "validation_error")

    async def test_even_a_webhook_stored_for_them_is_never_sent_account_events(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        person = await register_person(client)
        session.add(
            Webhook(
                coop_id=None,
                url="https://x.example.org",
                event_types=["account.new_login"],
                description="",
                secret=new_secret(),
                created_at=datetime.now(UTC),
                created_by_user_id=person.id,
            )
        )
        await session.commit()
        ok(await login(client, email=person.email, password=person.password))
        assert await session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0

    @pytest.mark.parametrize(
        "url",
        ["ftp://x.example.org/", "https://user:pw@x.example.org/", "https://x.example.org:99999/"],
    )
    async def test_an_address_that_is_not_a_web_address_is_refused(
        self, client: httpx.AsyncClient, url: str
    ) -> None:
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        refused = await client.post(
            f"/api/v1/coops/{coop}/webhooks",
            json={"url": url, "event_types": ["tender.awarded"]},
            headers=admin.headers,
        )
        problem(refused, 422, "validation_error")


class TestDelivery:
    @pytest.mark.parametrize("key", [None, "once-only"])
    async def test_an_event_of_no_coop_goes_to_the_platforms_webhooks_only(
        self, client: httpx.AsyncClient, session: AsyncSession, key: str | None
    ) -> None:
        # Written by the event's own statement on PostgreSQL, after reading the webhooks on
        # SQLite; a keyed event's row is written first, then its deliveries.
        admin = await register_person(client, full_name="Admin")
        coop = await create_coop(client, admin)
        boss = await platform_admin(client, session)
        types = ["compliance.expiring"]
        platform = await make_webhook(
            client, "/api/v1/admin/webhooks", boss, "https://all.example.org", types
        )
        mine = await make_webhook(
            client, f"/api/v1/coops/{coop}/webhooks", admin, "https://coop.example.org", types
        )
        await make_webhook(
            client, "/api/v1/admin/webhooks", boss, "https://other.example.org", ALL_BUT_ACCOUNTS
        )
        event = Event(
            type=EventType.compliance_expiring,
            subject_type="compliance_record",
            subject_id=uuid.uuid4(),
            at=datetime.now(UTC),
            key=key,
        )
        assert await notify(session, event) is not None
        await session.commit()
        found = (
            await session.scalars(
                select(WebhookDelivery.webhook_id).where(
                    WebhookDelivery.webhook_id.in_(
                        [uuid.UUID(str(platform["id"])), uuid.UUID(str(mine["id"]))]
                    )
                )
            )
        ).all()
        assert found == [uuid.UUID(str(platform["id"]))]
        # Nor to the platform's webhook that did not subscribe to the type.
        every = await session.scalar(select(func.count()).select_from(WebhookDelivery))
        assert every == 1

    async def test_signed_ids_only_to_the_coops_own_webhook_and_every_event_to_the_platforms(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        worker: Worker,
        webhook_receiver: tuple[str, Receiver],
    ) -> None:
        url, receiver = webhook_receiver
        admin = await register_person(client, full_name="Admin")
        other = await register_person(client, full_name="Other")
        coop = await create_coop(client, admin)
        theirs = await create_coop(client, other, name="Arall", area_codes=(SWANSEA,))
        mine = await make_webhook(
            client, f"/api/v1/coops/{coop}/webhooks", admin, f"{url}/coop", ALL_BUT_ACCOUNTS
        )
        boss = await platform_admin(client, session)
        platform = await make_webhook(
            client, "/api/v1/admin/webhooks", boss, f"{url}/all", ["membership.applied"]
        )
        # One receiver, one secret: the platform's deliveries go unverified (answered 400) here,
        # so each is checked where it is verified.
        receiver.secret = str(mine["secret"])
        member_id = await join_coop(client, coop, await register_person(client), admin)
        await join_coop(client, theirs, await register_person(client), other)
        await worker.run_once()
        to_coop = [r for r in receiver.received if r.path == "/coop"]
        assert {r.body["type"] for r in to_coop} == {"membership.applied", "membership.approved"}
        assert all(r.verified for r in to_coop)
        applied = next(r for r in to_coop if r.body["type"] == "membership.applied")
        assert set(applied.body) == {"id", "type", "at", "coop_id", "subject_type", "subject_id"}
        assert applied.body["coop_id"] == str(coop)
        assert applied.body["subject_id"] == str(member_id)
        assert applied.headers["webhook-id"] == applied.body["id"]
        to_all = [r for r in receiver.received if r.path == "/all"]
        assert sorted(str(r.body["coop_id"]) for r in to_all) == sorted([str(coop), str(theirs)])
        assert platform["coop_id"] is None
        deliveries = ok(
            await client.get(
                f"/api/v1/coops/{coop}/webhooks/{mine['id']}/deliveries", headers=admin.headers
            )
        ).json()["items"]
        assert {(d["status_code"], d["ok"]) for d in deliveries} == {(200, True)}
        assert {d["event_id"] for d in deliveries} == {r.body["id"] for r in to_coop}

    async def test_a_failing_receiver_gets_retries_with_growing_delays_then_success(
        self,
        client: httpx.AsyncClient,
        clock: FrozenClock,
        worker: Worker,
        webhook_receiver: tuple[str, Receiver],
    ) -> None:
        url, receiver = webhook_receiver
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        hook = await make_webhook(
            client, f"/api/v1/coops/{coop}/webhooks", admin, f"{url}/h", ["membership.applied"]
        )
        receiver.secret = str(hook["secret"])
        receiver.answers = [500, 503, 302]
        applicant = await register_person(client)
        ok(
            await client.post(
                f"/api/v1/coops/{coop}/applications",
                json={"member_class": "carer"},
                headers=applicant.headers,
            )
        )
        tried_at = []
        for wait in (0, 30, 60, 120):  # base 30 s, then x 2 each time
            clock.advance(timedelta(seconds=wait - 1))
            before = len(receiver.received)
            await worker.run_once()
            assert len(receiver.received) == before, "tried before it was due"
            clock.advance(timedelta(seconds=1))
            await worker.run_once()
            assert len(receiver.received) == before + 1
            tried_at.append(clock.now())
        assert [r.answered for r in receiver.received] == [500, 503, 302, 200]
        assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
        await worker.run_once()
        clock.advance(timedelta(hours=1))
        await worker.run_once()
        assert len(receiver.received) == 4  # delivered: never again
        await sign_in_again(client, admin)
        deliveries = ok(
            await client.get(
                f"/api/v1/coops/{coop}/webhooks/{hook['id']}/deliveries", headers=admin.headers
            )
        ).json()["items"]
        assert [(d["status_code"], d["ok"]) for d in deliveries] == [
            (200, True),
            (302, False),
            (503, False),
            (500, False),
        ]

    async def test_deliveries_stop_after_24_hours_of_failure(
        self,
        client: httpx.AsyncClient,
        clock: FrozenClock,
        worker: Worker,
        session: AsyncSession,
        webhook_receiver: tuple[str, Receiver],
    ) -> None:
        url, receiver = webhook_receiver
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        await make_webhook(
            client, f"/api/v1/coops/{coop}/webhooks", admin, f"{url}/h", ["membership.applied"]
        )
        receiver.secret = None  # every delivery is answered 400
        await join_coop(client, coop, await register_person(client), admin)
        event_at = clock.now()
        due = select(WebhookDelivery.next_at, WebhookDelivery.status)
        while True:
            await worker.run_once()
            next_at, status = (await session.execute(due)).one()
            if next_at is None:
                break
            clock.set(next_at)
        # 30 s x 2^n after each failure: tries at 0, 30 s, 90 s, 210 s, ... the twelfth 61,410 s
        # (17 hours) after the event; the next would fall past 24 hours, so it is given up.
        assert len(receiver.received) == 12
        assert clock.now() - event_at == timedelta(seconds=61_410)
        assert status.value == "failed"
        clock.advance(timedelta(days=2))
        await worker.run_once()
        assert len(receiver.received) == 12

    async def test_a_deleted_webhook_is_sent_nothing_more(
        self,
        client: httpx.AsyncClient,
        worker: Worker,
        webhook_receiver: tuple[str, Receiver],
    ) -> None:
        url, receiver = webhook_receiver
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        hook = await make_webhook(
            client, f"/api/v1/coops/{coop}/webhooks", admin, f"{url}/h", ["membership.applied"]
        )
        await join_coop(client, coop, await register_person(client), admin)
        ok(
            await client.delete(
                f"/api/v1/coops/{coop}/webhooks/{hook['id']}", headers=admin.headers
            )
        )
        await worker.run_once()
        assert receiver.received == []


class TestAddressesInProduction:
    @pytest.mark.parametrize(
        ("value", "bad"),
        [
            ("127.0.0.1", True),
            ("10.1.2.3", True),
            ("172.16.0.1", True),
            ("192.168.1.1", True),
            ("169.254.169.254", True),
            ("100.64.0.1", True),
            ("::1", True),
            ("fe80::1", True),
            ("fd00::1", True),
            ("::ffff:127.0.0.1", True),
            ("0.0.0.0", True),  # noqa: S104  (an address refused, not bound)
            ("93.184.216.34", False),
            ("2606:2800:220:1:248:1893:25c8:1946", False),
        ],
    )
    def test_only_public_addresses_pass(self, value: str, bad: bool) -> None:
        assert address.refused(ipaddress.ip_address(value)) is bad

    async def test_production_wants_https_to_a_public_address(self) -> None:
        settings = production_settings()
        for url in (
            "http://93.184.216.34/hook",
            "https://127.0.0.1/hook",
            "https://localhost/hook",
            "https://10.0.0.8/hook",
            "https://[::1]/hook",
            "https://name.invalid/hook",
        ):
            with pytest.raises(WebhookUrlRefused):
                await address.check(settings, url)
        target = await address.check(settings, "https://93.184.216.34:8443/hook?x=1")
        assert address.pinned_url(target) == "https://93.184.216.34:8443/hook?x=1"
        assert target.host == "93.184.216.34"

    async def test_the_address_is_checked_again_at_each_delivery(
        self,
        client: httpx.AsyncClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        webhook_receiver: tuple[str, Receiver],
    ) -> None:
        url, receiver = webhook_receiver
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        # Allowed when made (outside production); in production the same address is refused
        # when it is delivered to, and nothing reaches the receiver.
        hook = await make_webhook(
            client, f"/api/v1/coops/{coop}/webhooks", admin, f"{url}/h", ["membership.applied"]
        )
        await join_coop(client, coop, await register_person(client), admin)
        worker = Worker(production_settings(), sessionmaker, clock=clock)
        await worker.run_once()
        assert receiver.received == []
        [attempt] = ok(
            await client.get(
                f"/api/v1/coops/{coop}/webhooks/{hook['id']}/deliveries", headers=admin.headers
            )
        ).json()["items"]
        assert (attempt["status_code"], attempt["ok"]) == (None, False)

    async def test_creating_one_in_production_refuses_a_private_address(
        self,
        client: httpx.AsyncClient,
        database: Database,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
    ) -> None:
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        settings = database.settings.model_copy(
            update={"env": "production", "smtp_url": SecretStr("smtp://127.0.0.1:1")}
        )
        app = create_app(settings, engine=database.engine, clock=clock)
        app.state.sessionmaker = sessionmaker
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as production:
            for url in ("http://93.184.216.34/", "https://127.0.0.1/", "https://10.0.0.8/"):
                refused = await production.post(
                    f"/api/v1/coops/{coop}/webhooks",
                    json={"url": url, "event_types": ["tender.awarded"]},
                    headers=admin.headers,
                )
                problem(refused, 422, "webhook_url_refused")
            listed = ok(
                await production.get(f"/api/v1/coops/{coop}/webhooks", headers=admin.headers)
            )
            assert listed.json()["items"] == []


def production_settings() -> Settings:
    return Settings(
        env="production",
        secret_key=SecretStr("a production secret key that is long enough " + uuid.uuid4().hex),
        smtp_url=SecretStr("smtp://127.0.0.1:1"),
        public_base_url="https://care.example.org",
    )
