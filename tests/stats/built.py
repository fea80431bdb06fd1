"""Worlds built through the services the routes call, not through the API.

For the part of a world a test is not about: the same workflows a request would run (and the
same audit entries and notifications), in one unit of work on the test's own transaction,
without the cost of a request each. The behaviour under test still goes over HTTP.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.auth.models import PreferredLanguage, User
from app.coops import service as coops
from app.coops.models import Coop, Member, MemberClass
from app.coops.schemas import CoopRules
from app.core.db import unit_of_work
from app.councils import service as councils
from app.councils.dependencies import Council
from app.direct_payments import council as award_decisions
from app.direct_payments import service as direct_payments
from app.direct_payments.models import DirectPaymentAward
from app.ledger import contributions
from app.ledger.models import ContributionSource
from app.providers import service as providers
from app.providers.models import Provider
from app.providers.schemas import ProviderCreate
from app.workflows import accounts, membership, provider_listing
from tests.factories import CARDIFF, DEFAULT_PASSWORD, Person, provider_fields, unique_email


@dataclass
class Builder:
    app: FastAPI
    session: AsyncSession

    @property
    def now(self) -> datetime:
        now: datetime = self.app.state.clock.now()
        return now

    async def user(self, person: Person) -> User:
        user = await self.session.get(User, person.id)
        assert user is not None
        return user

    async def actor(self, person: Person) -> Actor:
        return Actor(user=await self.user(person))

    async def person(
        self,
        *,
        full_name: str = "Test Person",
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        preferred_language: str = "en",
        platform_admin: bool = False,
        signed_in: bool = True,
    ) -> Person:
        """An account registered (POST /auth/register) and, unless `signed_in` is false,
        signed in (POST /auth/token); someone never signed in has no token."""
        email = email or unique_email()
        user = await accounts.register(
            self.session,
            self.app.state.passwords,
            email=email,
            password=password,
            full_name=full_name,
            preferred_language=PreferredLanguage(preferred_language),
            now=self.now,
        )
        user.is_platform_admin = platform_admin
        person = Person(id=user.id, email=user.email, password=password, token="", refresh_token="")
        return await self.sign_in(person) if signed_in else person

    async def sign_in(self, person: Person) -> Person:
        """A new login for `person` now (tokens live 15 minutes on the test clock)."""
        tokens = await accounts.start_login(
            self.session, self.app.state.settings, user=await self.user(person), now=self.now
        )
        person.token = tokens.access_token
        assert tokens.refresh_token is not None
        person.refresh_token = tokens.refresh_token
        return person

    async def coop(
        self,
        founder: Person,
        *,
        name: str = "Cydweithfa Gofal Caerdydd",
        area_codes: tuple[str, ...] = (CARDIFF,),
        **rules: Any,
    ) -> Coop:
        return await membership.found_coop(
            self.session,
            await self.actor(founder),
            name=name,
            description="Pooling Direct Payments to buy care together.",
            area_codes=list(area_codes),
            rules=CoopRules(**rules),
            founder_class=MemberClass.service_user,
            now=self.now,
        )

    async def coop_by_id(self, coop_id: uuid.UUID) -> Coop:
        return await coops.get_coop(self.session, coop_id)

    async def join(
        self,
        coop: Coop,
        person: Person,
        admin: Person,
        member_class: str = "service_user",
    ) -> Member:
        """Apply and be approved by `admin`, as the two requests would."""
        applied = await membership.apply_to_join(
            self.session,
            await self.actor(person),
            coop,
            member_class=MemberClass(member_class),
            now=self.now,
        )
        return await membership.admit_member(
            self.session, await self.actor(admin), applied, now=self.now
        )

    async def member(self, coop_id: uuid.UUID, member_id: uuid.UUID) -> Member:
        return await coops.get_member(self.session, coop_id=coop_id, member_id=member_id)

    async def member_of(self, coop: Coop, person: Person) -> Member:
        member = await coops.active_membership(self.session, coop_id=coop.id, user_id=person.id)
        assert member is not None
        return member

    async def appoint(self, admin: Person, area_code: str, officer: Person) -> None:
        await councils.appoint_officer(
            self.session,
            await self.actor(admin),
            area_code=area_code,
            user_id=officer.id,
            now=self.now,
        )

    async def award(
        self,
        holder: Person,
        *,
        area_code: str = CARDIFF,
        weekly_amount_pence: int = 25_000,
        start_date: date = date(2026, 3, 2),
        end_date: date | None = None,
    ) -> DirectPaymentAward:
        """A Direct Payment award version declared by the holder (PUT /me/direct-payment)."""
        return await direct_payments.set_award(
            self.session,
            await self.actor(holder),
            direct_payments.AwardFigures(
                area_code=area_code,
                weekly_amount_pence=weekly_amount_pence,
                start_date=start_date,
                end_date=end_date,
                assessed_hours_per_week=None,
            ),
            now=self.now,
        )

    async def award_by_id(self, award_id: uuid.UUID | str) -> DirectPaymentAward:
        award = await self.session.get(DirectPaymentAward, uuid.UUID(str(award_id)))
        assert award is not None
        return award

    async def confirm(self, officer: Person, award: DirectPaymentAward) -> DirectPaymentAward:
        """The paying council's officer confirms the version."""
        council = Council(area_codes=frozenset([award.area_code]), user=await self.user(officer))
        return await award_decisions.confirm(
            self.session,
            council,
            award,
            weekly_amount_pence=None,
            council_reference=None,
            now=self.now,
        )

    async def contribute(
        self,
        member: Member,
        holder: Person,
        *,
        amount_pence: int,
        reference: str = "Direct Payment, March",
        source: ContributionSource = ContributionSource.direct_payment,
    ) -> uuid.UUID:
        """The holder pays into their own account (POST .../pool/contributions)."""
        transaction = await contributions.contribute(
            self.session,
            await self.actor(holder),
            member,
            member,
            amount_pence=amount_pence,
            reference=reference,
            now=self.now,
            source=source,
        )
        return transaction.id

    async def provider(self, staff: Person, **fields: Any) -> Provider:
        """A provider registered by `staff` (POST /providers): pending until verified."""
        return await providers.create_provider(
            self.session,
            await self.actor(staff),
            details=ProviderCreate.model_validate(provider_fields(**fields)),
            now=self.now,
        )

    async def verified_provider(self, admin: Person, **fields: Any) -> Provider:
        """A provider registered by new staff and verified by the platform admin `admin`."""
        staff = await self.person(full_name="Provider Staff", signed_in=False)
        provider = await self.provider(staff, **fields)
        return await provider_listing.verify_provider(
            self.session, await self.actor(admin), provider, now=self.now
        )


@asynccontextmanager
async def built(app: FastAPI) -> AsyncIterator[Builder]:
    """A builder whose work is committed (to the test's transaction) when the block ends.
    Objects it returns belong to its session: in a later block, read them again."""
    async with unit_of_work(app.state.sessionmaker) as session:
        yield Builder(app, session)
