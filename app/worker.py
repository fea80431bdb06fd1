"""The worker: everything time triggers, in passes, each job done once however many run.

`python -m app.cli worker` runs it; on SQLite (the embedded default) the server process runs
it itself (`DPC_WORKER_IN_PROCESS`). One pass, in order:

1. closes every proposal whose `closes_at` has passed (running its outcome: an award vote
   awards the tender) and closes bidding on tenders past their deadline;
2. confirms the visits nobody confirmed or queried within their co-op's `visit_confirm_hours`;
3. announces `proposal.closing_soon` 24 hours before a proposal closes;
4. announces `compliance.expiring` 30 and 7 days before a compliance record in force runs out;
5. sends the e-mails of committed notifications, and retries failed ones when due;
6. delivers committed events to webhooks, and retries failed deliveries when due.

Reads still close a due proposal or tender themselves, so nothing waits for the worker to be
correct; the worker makes it happen (and be announced) without anyone reading. A tender's
standstill ends without a transition of its own (the contract may simply be made from then
on), so there is nothing for the worker to do at its end.

Each proposal closes in a transaction of its own under its row lock, visits are confirmed in
batches each under their row locks (a visit already confirmed is passed over), and each
announcement has a once-only key, so two workers never do the same job twice; e-mails and deliveries are
claimed with a lease (`app.notifications.claims`).
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.compliance import schedule as compliance_schedule
from app.core.clock import Clock
from app.core.config import Settings
from app.core.db import unit_of_work
from app.governance import schedule as governance_schedule
from app.governance import service as governance
from app.governance.models import Proposal, ProposalStatus
from app.mail.sender import send_mail
from app.notifications import outbox
from app.notifications.webhooks import delivery
from app.tenders import service as tenders
from app.tenders.visits import service as visits

log = logging.getLogger(__name__)
CLOSING_BATCH = 100
VISIT_BATCH = 200


@dataclass(frozen=True, slots=True)
class Pass:
    """What one pass did."""

    proposals_closed: int
    visits_confirmed: int
    closing_soon: int
    emails: int
    webhook_tries: int
    expiry_reminders: int = 0

    @property
    def busy(self) -> bool:
        return any(
            (
                self.proposals_closed,
                self.visits_confirmed,
                self.closing_soon,
                self.expiry_reminders,
                self.emails,
                self.webhook_tries,
            )
        )


class Worker:
    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        clock: Clock,
        send: outbox.Sender = send_mail,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.clock = clock
        self.send = send
        self.client = client

    async def close_due(self) -> int:
        closed = 0
        async with unit_of_work(self.sessionmaker) as session:
            now = self.clock.now()
            due = await governance_schedule.due_for_closing(session, now=now, limit=CLOSING_BATCH)
        for proposal_id in due:
            async with unit_of_work(self.sessionmaker) as session:
                proposal = await session.get(Proposal, proposal_id)
                if proposal is None or proposal.status != ProposalStatus.open:
                    continue  # closed meanwhile, by a reader or another worker
                settled = await governance.settle(session, None, proposal, now=now)
                closed += settled.status != ProposalStatus.open
        async with unit_of_work(self.sessionmaker) as session:
            await tenders.settle_due(session, None, now=now)
        return closed

    async def confirm_visits(self) -> int:
        """Every visit due for automatic confirmation, a batch per transaction."""
        confirmed = 0
        while True:
            async with unit_of_work(self.sessionmaker) as session:
                done = await visits.settle_due(session, now=self.clock.now(), limit=VISIT_BATCH)
            confirmed += done
            if done < VISIT_BATCH:
                return confirmed

    async def announce(self) -> int:
        async with unit_of_work(self.sessionmaker) as session:
            return await governance_schedule.announce_closing_soon(session, now=self.clock.now())

    async def remind_expiring(self) -> int:
        async with unit_of_work(self.sessionmaker) as session:
            return await compliance_schedule.announce_expiring(session, now=self.clock.now())

    async def run_once(self) -> Pass:
        """One pass of every job, in the order above."""
        closed = await self.close_due()
        confirmed = await self.confirm_visits()
        soon = await self.announce()
        reminders = await self.remind_expiring()
        emails = await outbox.send_due_emails(
            self.sessionmaker, self.settings, now=self.clock.now(), send=self.send
        )
        client = self.client or delivery.new_client()
        try:
            tries = await delivery.deliver_due(
                self.sessionmaker, self.settings, now=self.clock.now(), client=client
            )
        finally:
            if self.client is None:
                await client.aclose()
        return Pass(
            proposals_closed=closed,
            visits_confirmed=confirmed,
            closing_soon=soon,
            emails=emails,
            webhook_tries=tries,
            expiry_reminders=reminders,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Passes until `stop` is set, resting `DPC_WORKER_POLL_SECONDS` after a pass that
        found nothing to do; a failing pass is logged and the next one tries again."""
        while not stop.is_set():
            busy = False
            try:
                busy = (await self.run_once()).busy
            except Exception:
                log.exception("worker pass failed")
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.settings.worker_poll_seconds)
