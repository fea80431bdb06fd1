"""E-mails from the outbox: sent after the commit, once, unless turned off; none for a change
that rolled back; retried when the mail server fails."""

from datetime import timedelta

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FrozenClock
from app.core.config import Settings
from app.notifications import outbox
from app.notifications.events import EventType, account_event
from app.notifications.models import Notification, NotificationEvent, SendStatus
from app.notifications.service import notify
from app.notifications.webhooks import delivery
from app.worker import Worker
from tests.factories import create_coop, join_coop, open_proposal, register_person
from tests.helpers import ok, problem
from tests.mail_server import Mailbox, body_of
from tests.notifications.conftest import types_of
from tests.servers import free_port
from tests.webhook_receiver import Receiver

PREFERENCES = "/api/v1/me/notification-preferences"


class TestEmails:
    async def test_each_notification_is_mailed_once_in_the_persons_language(
        self, client: httpx.AsyncClient, worker: Worker, mailbox: Mailbox
    ) -> None:
        person = await register_person(client, preferred_language="cy")
        assert mailbox.to(person.email) == []  # nothing before the worker runs
        assert (await worker.run_once()).emails >= 1
        [message] = mailbox.to(person.email)
        assert message["Subject"] == "Mewngofnodi newydd i'ch cyfrif"
        assert message["Content-Language"] == "cy"
        assert "bob amser" in body_of(message)  # account mail is always sent, it says
        await worker.run_once()
        assert len(mailbox.to(person.email)) == 1

    async def test_a_type_turned_off_stays_in_the_feed_but_is_not_mailed(
        self, client: httpx.AsyncClient, worker: Worker, mailbox: Mailbox
    ) -> None:
        admin = await register_person(client, full_name="Admin")
        holder = await register_person(client, full_name="Holder")
        ok(
            await client.put(
                PREFERENCES, json={"email": {"membership.approved": False}}, headers=holder.headers
            )
        )
        coop = await create_coop(client, admin)
        await join_coop(client, coop, holder, admin)
        await worker.run_once()
        assert "membership.approved" in await types_of(client, holder)
        subjects = [m["Subject"] for m in mailbox.to(holder.email)]
        assert subjects == ["New sign-in to your account"]
        assert "New application to join Cydweithfa Gofal Caerdydd" in [
            m["Subject"] for m in mailbox.to(admin.email)
        ]

    async def test_a_failed_send_is_tried_again_later(
        self,
        client: httpx.AsyncClient,
        mail_settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: FrozenClock,
        mailbox: Mailbox,
        session: AsyncSession,
    ) -> None:
        person = await register_person(client)
        nowhere = mail_settings.model_copy(
            update={"smtp_url": SecretStr(f"smtp://127.0.0.1:{free_port()}")}
        )
        await Worker(nowhere, sessionmaker, clock=clock).run_once()
        row = await session.scalar(select(Notification).where(Notification.user_id == person.id))
        assert row is not None
        assert (row.email_status, row.email_attempts) == (SendStatus.pending, 1)
        assert row.email_next_at == clock.now() + timedelta(seconds=30)
        worker = Worker(mail_settings, sessionmaker, clock=clock)
        await worker.run_once()
        assert mailbox.to(person.email) == []  # not yet due
        clock.advance(timedelta(seconds=30))
        await worker.run_once()
        assert len(mailbox.to(person.email)) == 1


class TestNothingForWhatRolledBack:
    async def test_a_request_that_fails_after_writing_its_event_sends_nothing(
        self,
        client: httpx.AsyncClient,
        worker: Worker,
        mailbox: Mailbox,
        clock: FrozenClock,
        session: AsyncSession,
        webhook_receiver: tuple[str, Receiver],
    ) -> None:
        url, receiver = webhook_receiver
        admin = await register_person(client, full_name="Admin")
        coop = await create_coop(client, admin)
        hook = ok(
            await client.post(
                f"/api/v1/coops/{coop}/webhooks",
                json={"url": f"{url}/hook", "event_types": ["proposal.closed"]},
                headers=admin.headers,
            )
        ).json()
        receiver.secret = hook["secret"]
        proposal = await open_proposal(
            client, coop, admin, closes_at=clock.now() + timedelta(minutes=10)
        )
        await worker.run_once()
        before = len(mailbox.messages)
        clock.advance(timedelta(minutes=11))
        # The late vote closes the proposal (writing proposal.closed), then is refused: the
        # whole request rolls back, the event with it.
        late = await client.post(
            f"/api/v1/proposals/{proposal}/votes", json={"choice": "yes"}, headers=admin.headers
        )
        problem(late, 409, "proposal_closed")
        closed = select(func.count()).where(NotificationEvent.type == EventType.proposal_closed)
        assert await session.scalar(closed) == 0
        # The outbox alone (not the closing job): nothing to mail, nothing to deliver.
        assert (
            await outbox.send_due_emails(
                worker.sessionmaker, worker.settings, now=clock.now(), send=worker.send
            )
            == 0
        )
        async with delivery.new_client() as http:
            assert (
                await delivery.deliver_due(
                    worker.sessionmaker, worker.settings, now=clock.now(), client=http
                )
                == 0
            )
        assert len(mailbox.messages) == before
        assert receiver.received == []
        # The worker then closes it for real (nobody needed to read it), and that is sent.
        done = await worker.run_once()
        assert done.proposals_closed == 1
        assert [r.body["type"] for r in receiver.delivered()] == ["proposal.closed"]
        assert "Vote closed: Buy respite care together" in [
            m["Subject"] for m in mailbox.to(admin.email)
        ]

    async def test_an_event_in_a_rolled_back_transaction_leaves_nothing(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        client: httpx.AsyncClient,
        worker: Worker,
        mailbox: Mailbox,
        clock: FrozenClock,
    ) -> None:
        person = await register_person(client)
        await worker.run_once()
        async with sessionmaker() as session:
            await session.begin()
            event = account_event(
                EventType.account_password_changed, user_id=person.id, at=clock.now()
            )
            await notify(session, event)
            await session.rollback()
        await worker.run_once()
        assert [m["Subject"] for m in mailbox.to(person.email)] == ["New sign-in to your account"]
