"""`compliance.expiring`: 30 and 7 days before a record in force runs out, once each, to the
co-op's administrators and the subject, by e-mail and to the co-op's webhook."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.auth.actor import Actor
from app.auth.models import PreferredLanguage, User
from app.compliance.models import ComplianceKind, ComplianceRecord, SubjectKind
from app.coops import service as coops
from app.coops.models import MemberClass
from app.coops.schemas import CoopRules
from app.core.clock import FrozenClock
from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.notifications.events import EventType
from app.notifications.models import Notification, NotificationEvent
from app.worker import Worker
from app.workflows import registry
from tests.compliance.conftest import World, file
from tests.conftest import START, Database
from tests.factories import Person, sign_in_again
from tests.helpers import migrated_database_url, ok
from tests.mail_server import Mailbox, body_of
from tests.notifications.conftest import feed
from tests.webhook_receiver import Receiver


async def expiring(client: httpx.AsyncClient, person: Person) -> list[dict[str, object]]:
    return [i for i in await feed(client, person) if i["type"] == "compliance.expiring"]


async def at(client: httpx.AsyncClient, clock: FrozenClock, world: World, moment: datetime) -> None:
    clock.set(moment)
    await sign_in_again(client, *world.people())


async def events(session: AsyncSession) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(NotificationEvent)
            .where(NotificationEvent.type == EventType.compliance_expiring)
        )
        or 0
    )


class TestReminders:
    async def test_30_and_7_days_before_once_each_by_mail_and_webhook(
        self,
        client: httpx.AsyncClient,
        clock: FrozenClock,
        world: World,
        worker: Worker,
        mailbox: Mailbox,
        webhook_receiver: tuple[str, Receiver],
    ) -> None:
        url, receiver = webhook_receiver
        hook = ok(
            await client.post(
                f"/api/v1/coops/{world.coop_id}/webhooks",
                json={"url": f"{url}/hook", "event_types": ["compliance.expiring"]},
                headers=world.admin.headers,
            )
        ).json()
        receiver.secret = hook["secret"]
        record = await file(client, world, issued_on="2023-05-01", expires_on="2026-04-30")
        assert (await worker.run_once()).expiry_reminders == 0
        # 23:30 on 30 March in Wales (BST): 31 days before, not yet.
        await at(client, clock, world, datetime(2026, 3, 30, 22, 30, tzinfo=UTC))
        assert (await worker.run_once()).expiry_reminders == 0
        # 00:30 on 31 March in Wales, still 30 March in UTC: 30 days before.
        await at(client, clock, world, datetime(2026, 3, 30, 23, 30, tzinfo=UTC))
        assert (await worker.run_once()).expiry_reminders == 1
        assert (await worker.run_once()).expiry_reminders == 0
        await at(client, clock, world, datetime(2026, 4, 22, 12, 0, tzinfo=UTC))
        assert (await worker.run_once()).expiry_reminders == 0
        await at(client, clock, world, datetime(2026, 4, 23, 12, 0, tzinfo=UTC))
        assert (await worker.run_once()).expiry_reminders == 1
        await at(client, clock, world, datetime(2026, 4, 29, 12, 0, tzinfo=UTC))
        assert (await worker.run_once()).expiry_reminders == 0

        for person in (world.admin, world.member):
            told = await expiring(client, person)
            assert [i["subject_id"] for i in told] == [record["id"]] * 2
            assert told[0]["subject_type"] == "compliance_record"
            assert "Enhanced DBS check" in str(told[0]["title"])
            assert "30 April 2026" in str(told[0]["body"])
            mails = mailbox.to(person.email)
            subjects = [m["Subject"] for m in mails if "Enhanced DBS" in str(m["Subject"])]
            assert len(subjects) == 2
        assert await expiring(client, world.other_member) == []
        mail = next(m for m in mailbox.to(world.member.email) if "DBS" in str(m["Subject"]))
        assert "Cydweithfa Gofal Caerdydd" in body_of(mail)

        delivered = [r for r in receiver.delivered() if r.path == "/hook"]
        assert len(delivered) == 2
        assert all(r.verified for r in delivered)
        assert {r.body["subject_id"] for r in delivered} == {record["id"]}
        assert {r.body["type"] for r in delivered} == {"compliance.expiring"}
        assert {r.body["coop_id"] for r in delivered} == {str(world.coop_id)}

    async def test_a_renewal_before_the_threshold_means_no_reminder_for_the_old_record(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World, worker: Worker
    ) -> None:
        old = await file(client, world, issued_on="2023-05-01", expires_on="2026-04-30")
        await at(client, clock, world, datetime(2026, 3, 20, 12, 0, tzinfo=UTC))
        await file(client, world, issued_on="2026-03-19", expires_on="2029-03-18")
        for moment in (
            datetime(2026, 3, 31, 12, tzinfo=UTC),
            datetime(2026, 4, 23, 12, tzinfo=UTC),
        ):
            await at(client, clock, world, moment)
            assert (await worker.run_once()).expiry_reminders == 0
        assert old["id"] not in str(await feed(client, world.admin))

    async def test_a_renewal_between_the_thresholds_stops_the_second_reminder(
        self, client: httpx.AsyncClient, clock: FrozenClock, world: World, worker: Worker
    ) -> None:
        await file(client, world, issued_on="2023-05-01", expires_on="2026-04-30")
        await at(client, clock, world, datetime(2026, 3, 31, 12, tzinfo=UTC))
        assert (await worker.run_once()).expiry_reminders == 1
        await file(client, world, issued_on="2026-03-30", expires_on="2029-03-29")
        await at(client, clock, world, datetime(2026, 4, 23, 12, tzinfo=UTC))
        assert (await worker.run_once()).expiry_reminders == 0
        assert len(await expiring(client, world.member)) == 1

    async def test_a_record_filed_close_to_its_end_gets_the_nearer_reminder_only(
        self,
        client: httpx.AsyncClient,
        clock: FrozenClock,
        world: World,
        worker: Worker,
        session: AsyncSession,
    ) -> None:
        record = await file(
            client,
            world,
            subject_kind="worker",
            subject_id=str(world.worker_id),
            issued_on="2025-03-07",
            expires_on="2026-03-07",
        )
        assert (await worker.run_once()).expiry_reminders == 1
        await at(client, clock, world, datetime(2026, 3, 6, 12, tzinfo=UTC))
        assert (await worker.run_once()).expiry_reminders == 0
        keys = (await session.scalars(select(NotificationEvent.key))).all()
        assert [k for k in keys if k and k.startswith("compliance")] == [
            f"compliance.expiring:{record['id']}:7"
        ]
        # The worker, who has an account, is the subject and is told.
        assert len(await expiring(client, world.pa)) == 1
        assert await expiring(client, world.member) == []

    async def test_a_providers_staff_are_told_of_its_record(
        self, client: httpx.AsyncClient, world: World, worker: Worker
    ) -> None:
        await file(
            client,
            world,
            subject_kind="provider",
            subject_id=str(world.provider_id),
            kind="public_liability",
            issued_on="2025-03-20",
            expires_on="2026-03-19",
        )
        assert (await worker.run_once()).expiry_reminders == 1
        [told] = await expiring(client, world.staff)
        assert "Public liability insurance" in str(told["title"])
        assert len(await expiring(client, world.admin)) == 1

    async def test_nothing_for_a_lapsed_record_or_one_that_never_expires(
        self, client: httpx.AsyncClient, world: World, worker: Worker, session: AsyncSession
    ) -> None:
        await file(client, world, issued_on="2025-01-01", expires_on="2026-03-01")
        await file(client, world, kind="training", expires_on=None)
        assert (await worker.run_once()).expiry_reminders == 0
        assert await events(session) == 0

    async def test_in_welsh_for_a_welsh_speaker(
        self, client: httpx.AsyncClient, world: World, worker: Worker
    ) -> None:
        ok(
            await client.patch(
                "/api/v1/me", json={"preferred_language": "cy"}, headers=world.member.headers
            )
        )
        await file(client, world, issued_on="2025-03-10", expires_on="2026-03-09")
        await worker.run_once()
        [told] = await expiring(client, world.member)
        assert "Gwiriad DBS manwl" in str(told["title"])
        assert "9 Mawrth 2026" in str(told["body"])


@pytest.fixture
async def scratch(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """A scratch database that commits for real, on the same server."""
    url = await migrated_database_url(
        database.settings.async_database_url,
        suffix="compliance",
        tmp_dir=tmp_path_factory.mktemp("c"),
    )
    settings = Settings(database_url=url)
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


@pytest.mark.postgresql_only
async def test_workers_racing_on_one_postgresql_write_each_reminder_once(
    scratch: AsyncEngine, database: Database
) -> None:
    records = []
    async with unit_of_work(create_sessionmaker(scratch, registry.build())) as session:
        admin = User(
            email="admin@example.org",
            full_name="Admin",
            preferred_language=PreferredLanguage.en,
            created_at=START,
        )
        session.add(admin)
        await session.flush()
        coop, founder = await coops.create_coop(
            session,
            Actor(user=admin),
            name="Cydweithfa",
            description="",
            area_codes=["W06000015"],
            rules=CoopRules(),
            founder_class=MemberClass.carer,
            now=START,
        )
        for n in range(20):
            record = ComplianceRecord(
                id=uuid.uuid4(),
                coop_id=coop.id,
                subject_kind=SubjectKind.member,
                subject_id=founder.id,
                kind=list(ComplianceKind)[n % 6],
                reference=f"ref-{n}",
                issued_on=date(2025, 3, 1),
                expires_on=date(2026, 3, 20 + n % 10),
                recorded_at=START,
                recorded_by_user_id=admin.id,
            )
            session.add(record)
            records.append(record)
    settings = database.settings.model_copy(
        update={"database_url": scratch.url.render_as_string(hide_password=False)}
    )
    engines = [create_engine(settings) for _ in range(4)]
    try:
        workers = [
            Worker(settings, create_sessionmaker(e, registry.build()), clock=FrozenClock(START))
            for e in engines
        ]
        told = await asyncio.gather(*(w.remind_expiring() for w in workers))
    finally:
        for engine in engines:
            await engine.dispose()
    async with unit_of_work(create_sessionmaker(scratch)) as session:
        written = await session.scalar(
            select(func.count())
            .select_from(NotificationEvent)
            .where(NotificationEvent.type == EventType.compliance_expiring)
        )
        copies = await session.scalar(select(func.count()).select_from(Notification))
    # Six kinds for one subject: the last filed of each is in force, and each is due (30).
    assert written == 6
    assert sum(told) == 6
    assert copies == 6
