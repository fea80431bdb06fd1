"""The worker: proposals closed and announced when their time comes, the server running it on
SQLite, and two workers on one PostgreSQL sending each message once."""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.auth.models import PreferredLanguage, User
from app.core.clock import FrozenClock
from app.core.config import Settings
from app.core.db import create_engine, create_sessionmaker, unit_of_work
from app.main import create_app
from app.notifications import outbox
from app.notifications.events import Event, EventType
from app.notifications.models import Webhook
from app.notifications.service import notify
from app.notifications.webhooks import delivery
from app.notifications.webhooks.service import new_secret
from app.worker import Worker
from app.workflows import registry
from tests.conftest import START, Database
from tests.factories import create_coop, join_coop, open_proposal, register_person, sign_in_again
from tests.helpers import migrated_database_url
from tests.mail_server import Mailbox
from tests.notifications.conftest import feed, types_of
from tests.webhook_receiver import Receiver


class TestProposals:
    async def test_a_due_proposal_is_closed_and_its_electorate_told_without_a_reader(
        self, client: httpx.AsyncClient, clock: FrozenClock, worker: Worker, mailbox: Mailbox
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        member = await register_person(client, full_name="Member")
        coop = await create_coop(client, admin)
        await join_coop(client, coop, member, admin)
        proposal = await open_proposal(
            client, coop, admin, closes_at=clock.now() + timedelta(hours=2)
        )
        assert "proposal.opened" in await types_of(client, member)
        assert (await worker.run_once()).proposals_closed == 0
        clock.advance(timedelta(hours=2))
        assert (await worker.run_once()).proposals_closed == 1
        await sign_in_again(client, member)
        [closed] = [i for i in await feed(client, member) if i["type"] == "proposal.closed"]
        assert closed["subject_id"] == str(proposal)
        assert "Result: no quorum was reached" in str(closed["body"])
        assert "Vote closed: Buy respite care together" in [
            m["Subject"] for m in mailbox.to(member.email)
        ]
        assert (await worker.run_once()).proposals_closed == 0

    async def test_closing_soon_24_hours_before_once_and_never_for_a_short_vote(
        self, client: httpx.AsyncClient, clock: FrozenClock, worker: Worker
    ) -> None:
        admin = await register_person(client)
        coop = await create_coop(client, admin)
        long_vote = await open_proposal(
            client, coop, admin, closes_at=clock.now() + timedelta(days=3), title="Long"
        )
        short_vote = await open_proposal(
            client, coop, admin, closes_at=clock.now() + timedelta(hours=20), title="Short"
        )
        clock.advance(timedelta(days=2) - timedelta(seconds=1))
        assert (await worker.run_once()).closing_soon == 0
        clock.advance(timedelta(seconds=1))
        assert (await worker.run_once()).closing_soon == 1
        clock.advance(timedelta(hours=1))
        assert (await worker.run_once()).closing_soon == 0
        await sign_in_again(client, admin)
        soon = [i for i in await feed(client, admin) if i["type"] == "proposal.closing_soon"]
        assert [i["subject_id"] for i in soon] == [str(long_vote)]
        assert str(short_vote) not in {i["subject_id"] for i in soon}


class TestInTheServer:
    def test_the_server_runs_the_worker_on_sqlite_outside_the_tests(self) -> None:
        assert Settings(database_url="sqlite:///./x.sqlite3").runs_worker_in_process
        assert not Settings(database_url="postgresql://db/dpc").runs_worker_in_process
        assert not Settings(env="test", database_url="sqlite:///./x.sqlite3").runs_worker_in_process
        assert Settings(env="test", worker_in_process=True).runs_worker_in_process

    async def test_with_sqlite_the_server_mails_without_a_worker_process(
        self,
        client: httpx.AsyncClient,
        database: Database,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        tmp_path: Path,
    ) -> None:
        await register_person(client)
        settings = database.settings.model_copy(
            update={
                "worker_in_process": True,
                "mail_dir": str(tmp_path),
                "worker_poll_seconds": 0.05,
            }
        )
        # An engine of its own: leaving the lifespan disposes of it. The work runs on the test's
        # transaction all the same.
        app = create_app(settings, engine=create_engine(settings), clock=clock)
        app.state.sessionmaker = sessionmaker
        async with app.router.lifespan_context(app):
            for _ in range(200):
                if list(tmp_path.glob("*.eml")):  # noqa: ASYNC240  (the test's own files)
                    break
                await asyncio.sleep(0.05)
        assert len(list(tmp_path.glob("*.eml"))) == 1  # noqa: ASYNC240


@pytest.fixture
async def scratch(
    database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """A scratch database that commits for real, on the same server."""
    url = await migrated_database_url(
        database.settings.async_database_url, suffix="workers", tmp_dir=tmp_path_factory.mktemp("w")
    )
    settings = Settings(database_url=url)
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


@pytest.mark.postgresql_only
async def test_two_workers_on_one_postgresql_send_each_message_once(
    scratch: AsyncEngine,
    database: Database,
    mail_settings: Settings,
    mailbox: Mailbox,
    webhook_receiver: tuple[str, Receiver],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, receiver = webhook_receiver
    # Claims of one at a time, so the two workers take turns and meet on every row.
    monkeypatch.setattr(outbox, "BATCH", 1)
    monkeypatch.setattr(delivery, "BATCH", 1)
    clock = FrozenClock(START)
    database_url = scratch.url.render_as_string(hide_password=False)
    settings = mail_settings.model_copy(update={"database_url": database_url})
    people = []
    async with unit_of_work(create_sessionmaker(scratch)) as session:
        owner = User(
            email="owner@example.org",
            full_name="Owner",
            preferred_language=PreferredLanguage.en,
            created_at=START,
        )
        session.add(owner)
        await session.flush()
        hook = Webhook(
            coop_id=None,
            url=f"{url}/all",
            event_types=[EventType.proposal_opened.value],
            description="",
            secret=new_secret(),
            created_at=START,
            created_by_user_id=owner.id,
        )
        session.add(hook)
        for n in range(30):
            person = User(
                email=f"racer{n}-{uuid.uuid4().hex[:6]}@example.org",
                full_name=f"Racer {n}",
                preferred_language=PreferredLanguage.en,
                created_at=START,
            )
            session.add(person)
            await session.flush()
            people.append(person.email)
            await notify(
                session,
                Event(
                    type=EventType.proposal_opened,
                    subject_type="proposal",
                    subject_id=uuid.uuid4(),
                    at=START,
                    recipients=[person.id],
                    params={"title": f"Vote {n}", "closes_at": START.isoformat()},
                ),
            )
    receiver.secret = hook.secret
    engines = [create_engine(settings) for _ in range(2)]
    try:
        workers = [
            Worker(settings, create_sessionmaker(e, registry.build()), clock=clock) for e in engines
        ]
        await asyncio.gather(*(w.run_once() for w in workers))
    finally:
        for engine in engines:
            await engine.dispose()
    sent = Counter(m["To"] for m in mailbox.messages)
    assert sent == Counter(people)
    ids = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert len(ids) == 30
    assert set(ids.values()) == {1}
    assert all(r.verified for r in receiver.received)
