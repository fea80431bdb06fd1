"""More of a world built through the services the routes call (see `tests/stats/built.py`).

For the arranging part of a test: the same workflows a request runs, with the same audit
entries and notifications, on the app's own sessions (the test's transaction, for the test's
app), without a request each. What a test is about still goes over HTTP. Each step says the
request it stands for; where that request's dependencies bring a tender up to date first
(`app.tenders.dependencies`), the step does too.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from app.coops import rules
from app.coops import service as coops
from app.coops.models import Coop, Member, MemberClass
from app.coops.schemas import CoopRulesUpdate
from app.core.clock import local_date
from app.core.db import SETTINGS_KEY, unit_of_work
from app.core.errors import must_exist
from app.councils import service as councils
from app.ledger import refunds
from app.ledger.models import LedgerTransaction, Refund
from app.providers.models import Provider
from app.support import charges, shared_services
from app.support.models import SupportCategory, SupportService
from app.tenders import repository as tenders_repository
from app.tenders import service as tenders
from app.tenders.award import service as awards
from app.tenders.bids import service as bids
from app.tenders.contracts import service as contracts
from app.tenders.contracts import variations
from app.tenders.demand import service as demand
from app.tenders.invoices import service as invoices
from app.tenders.invoices.schemas import InvoiceCreate
from app.tenders.models import Contract, Invoice, Tender
from app.tenders.schemas import BidCreate, TenderCreate
from app.workflows import membership, provider_listing
from tests.factories import Person, bid_fields, tender_fields
from tests.stats.built import Builder


class WorldBuilder(Builder):
    async def verify(self, admin: Person, provider: Provider) -> Provider:
        """The platform admin `admin` verifies the provider (POST /providers/{id}/verify)."""
        return await provider_listing.verify_provider(
            self.session, await self.actor(admin), provider, now=self.now
        )

    async def membership(self, coop_id: uuid.UUID, person: Person) -> Member:
        member = await coops.active_membership(self.session, coop_id=coop_id, user_id=person.id)
        assert member is not None, f"{person.email} is no active member of {coop_id}"
        return member

    async def apply(self, coop: Coop, person: Person, member_class: str = "service_user") -> Member:
        """`person` applies to join (POST /coops/{id}/applications): pending until approved."""
        return await membership.apply_to_join(
            self.session,
            await self.actor(person),
            coop,
            member_class=MemberClass(member_class),
            now=self.now,
        )

    async def set_admin(
        self,
        coop_id: uuid.UUID,
        person: Person,
        admin: Person,
        is_admin: bool,
        *,
        safeguarding_lead: bool | None = None,
    ) -> Member:
        """`admin` appoints or stands down `person` (POST .../members/{id}/admin)."""
        return await coops.set_admin(
            self.session,
            await self.actor(admin),
            await self.membership(coop_id, admin),
            await self.membership(coop_id, person),
            is_admin=is_admin,
            safeguarding_lead=safeguarding_lead,
        )

    async def propose_rules(
        self, coop_id: uuid.UUID, proposer: Person, changes: dict[str, Any]
    ) -> uuid.UUID:
        """Rules that weaken a safeguard, asked for by `proposer` (PATCH /coops/{id}, 202):
        the rule change waiting for another administrator."""
        outcome = await rules.update_coop(
            self.session,
            await self.actor(proposer),
            await coops.get_coop(self.session, coop_id),
            rule_changes=CoopRulesUpdate.model_validate(changes).model_dump(exclude_unset=True),
            now=self.now,
        )
        assert outcome.waiting is not None, "the change was applied at once: it weakens nothing"
        return outcome.waiting.id

    async def agree_rules(
        self, coop_id: uuid.UUID, proposer: Person, approver: Person, changes: dict[str, Any]
    ) -> None:
        """Rules that weaken a safeguard: `proposer` asks (PATCH /coops/{id}, 202) and
        `approver`, another administrator, approves (POST .../rule-changes/{id}/approve)."""
        rule_change_id = await self.propose_rules(coop_id, proposer, changes)
        await rules.approve_rule_change(
            self.session,
            await self.actor(approver),
            coop_id=coop_id,
            rule_change_id=rule_change_id,
            now=self.now,
        )

    async def appoint_officer(self, admin: Person, area_code: str, officer: Person) -> uuid.UUID:
        """The platform admin `admin` appoints a council officer (POST /admin/la-officers):
        the appointment's id."""
        appointment, _ = await councils.appoint_officer(
            self.session,
            await self.actor(admin),
            area_code=area_code,
            user_id=officer.id,
            now=self.now,
        )
        return appointment.id

    async def refund(
        self,
        member: Member,
        by: Person,
        *,
        amount_pence: int,
        reason: str = "Moving to a care home",
    ) -> Refund:
        """`by` (the member, or an administrator in person) asks for a refund of the member's
        money (POST .../pool/refunds); it posts at once unless it must wait for approval."""
        return await refunds.request_refund(
            self.session,
            await self.actor(by),
            await self.membership(member.coop_id, by),
            member,
            amount_pence=amount_pence,
            reason=reason,
            now=self.now,
        )

    async def tender(
        self, coop_id: uuid.UUID, admin: Person, *, publish: bool = True, **fields: Any
    ) -> Tender:
        """A tender drafted by `admin` (POST /coops/{id}/tenders, `tender_fields`) and, unless
        `publish` is false, published (POST /tenders/{id}/publish): open for bids."""
        actor = await self.actor(admin)
        tender = await tenders.create_tender(
            self.session,
            actor,
            await coops.get_coop(self.session, coop_id),
            fields=TenderCreate.model_validate(tender_fields(**fields)),
            now=self.now,
        )
        if publish:
            tender = await tenders.publish(self.session, actor, tender, now=self.now)
        return tender

    async def settled(self, tender_id: uuid.UUID, person: Person) -> Tender:
        """The tender as a request about it finds it: brought up to date (bidding closed at
        the deadline, a due award vote closed)."""
        tender = must_exist(
            await tenders_repository.get_tender(self.session, tender_id), "a built tender"
        )
        return await tenders.settle(self.session, await self.actor(person), tender, now=self.now)

    async def demand(self, tender_id: uuid.UUID, holder: Person, hours_per_week: int) -> None:
        """The holder declares demand (PUT /tenders/{id}/demand/me)."""
        tender = await self.settled(tender_id, holder)
        await demand.set_demand(
            self.session,
            await self.actor(holder),
            tender,
            await self.membership(tender.coop_id, holder),
            hours_per_week=hours_per_week,
            now=self.now,
        )

    async def bid(self, tender_id: uuid.UUID, staff: Person, **fields: Any) -> uuid.UUID:
        """The provider's staff bid (POST /tenders/{id}/bids, `bid_fields`)."""
        body = BidCreate.model_validate(bid_fields(**fields))
        actor = await self.actor(staff)
        tender = await self.settled(tender_id, staff)
        provider = await bids.bidding_provider(self.session, actor, provider_id=body.provider_id)
        bid = await bids.submit(self.session, actor, tender, provider, fields=body, now=self.now)
        return bid.id

    async def score(
        self, tender_id: uuid.UUID, admin: Person, scores: dict[uuid.UUID, int]
    ) -> None:
        """`admin` scores each bid (PUT /tenders/{id}/bids/{bid}/score)."""
        for bid_id, quality_score in scores.items():
            tender = await self.settled(tender_id, admin)
            await bids.score(
                self.session,
                await self.actor(admin),
                tender,
                bid_id,
                quality_score=quality_score,
            )

    async def award_tender(self, tender_id: uuid.UUID, admin: Person, bid_id: uuid.UUID) -> Tender:
        """`admin` awards the tender to the bid (POST /tenders/{id}/award)."""
        tender = await self.settled(tender_id, admin)
        return await awards.award(
            self.session,
            await self.actor(admin),
            tender,
            await coops.get_coop(self.session, tender.coop_id),
            bid_id=bid_id,
            now=self.now,
        )

    async def contract(self, tender_id: uuid.UUID, admin: Person) -> Contract:
        """`admin` contracts the awarded provider (POST /tenders/{id}/contract)."""
        tender = await self.settled(tender_id, admin)
        return await contracts.create_contract(
            self.session, await self.actor(admin), tender, now=self.now
        )

    async def seen_contract(self, contract_id: uuid.UUID, person: Person) -> Contract:
        """The contract as a request about it finds it: a due variation vote closed, and
        ended once past its last day."""
        contract = must_exist(await contracts.get_contract(self.session, contract_id), "a contract")
        await variations.settle_votes(
            self.session, await self.actor(person), [contract.id], now=self.now
        )
        return await contracts.settle(self.session, contract, now=self.now)

    async def invoice(self, contract_id: uuid.UUID, staff: Person, body: dict[str, Any]) -> Invoice:
        """The provider's staff invoice (POST /contracts/{id}/invoices with `body`)."""
        contract = await self.seen_contract(contract_id, staff)
        return await invoices.submit(
            self.session,
            await self.actor(staff),
            contract,
            InvoiceCreate.model_validate(body),
            now=self.now,
        )

    async def approve_invoice(self, invoice_id: uuid.UUID, admin: Person) -> Invoice:
        """A co-op administrator approves the invoice (POST /invoices/{id}/approve)."""
        invoice = must_exist(await invoices.get_invoice(self.session, invoice_id), "an invoice")
        contract = must_exist(
            await contracts.get_contract(self.session, invoice.contract_id), "its contract"
        )
        return await invoices.approve(
            self.session, await self.actor(admin), invoice, contract, now=self.now
        )

    async def support_service(
        self,
        coop_id: uuid.UUID,
        admin: Person,
        *,
        name: str = "Payroll for personal assistants",
        category: str = "payroll",
        monthly_fee_pence: int = 10_000,
    ) -> SupportService:
        """A service in the co-op's catalogue (POST .../support/services)."""
        return await shared_services.create_service(
            self.session,
            await self.actor(admin),
            coop_id,
            name=name,
            category=SupportCategory(category),
            description="Payslips, PAYE and pensions for the PAs members employ.",
            monthly_fee_pence=monthly_fee_pence,
            now=self.now,
        )

    async def subscribe(self, service: SupportService, holder: Person) -> None:
        """The holder subscribes from today (POST .../support/services/{id}/subscription)."""
        await shared_services.subscribe(
            self.session,
            await self.actor(holder),
            service,
            await self.membership(service.coop_id, holder),
            today=local_date(self.now),
        )

    async def charge(
        self, service: SupportService, admin: Person, *, period: str
    ) -> LedgerTransaction:
        """An administrator charges a month of the service (POST .../charges)."""
        return await charges.charge(
            self.session,
            await self.actor(admin),
            service,
            period=period,
            amount_pence=None,
            now=self.now,
        )


@asynccontextmanager
async def building(app: FastAPI) -> AsyncIterator[WorldBuilder]:
    """A builder whose work is committed (to the test's transaction, for the test's app) when
    the block ends, with the app's settings as a request's session has them. Objects it
    returns belong to its session: in a later block, read them again."""
    async with unit_of_work(app.state.sessionmaker) as session:
        session.info[SETTINGS_KEY] = app.state.settings
        yield WorldBuilder(app, session)


async def sign_in_again(app: FastAPI, *people: Person) -> None:
    """New tokens for people whose old ones the test clock has let expire (they live 15
    minutes): a login each, opened as POST /auth/token opens it."""
    async with building(app) as b:
        for person in people:
            await b.sign_in(person)
