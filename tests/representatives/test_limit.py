from datetime import date

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.auth.errors import NoMandate, OutsideMandate
from app.auth.models import User
from app.ledger.contributions import check_mandate_limit
from app.representatives import service
from app.representatives.errors import BeyondMandateLimit
from app.representatives.models import Mandate, MandateStatus
from tests.factories import Person, grant_mandate, register_person, set_direct_payment


async def acting(session: AsyncSession, rep: Person, holder: Person) -> Actor:
    user = await session.get(User, rep.id)
    assert user is not None
    found = await service.resolve_mandate(session, representative=user, holder_id=holder.id)
    assert found is not None
    holder_user, mandate = found
    return Actor(user=user, on_behalf_of=holder_user, mandate=mandate)


class TestCheckMandateLimit:
    """The rule is the representatives' (a pure function); the sum is the ledger's."""

    async def test_up_to_the_limit_passes_and_beyond_it_is_outside_the_mandate(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        await grant_mandate(
            client, holder, rep, scopes=("contribute",), limit_pence_per_cycle=5_000
        )
        await set_direct_payment(client, holder, start_date=date(2026, 2, 2))
        actor = await acting(session, rep, holder)
        mandate = await service.mandate_in_use(session, actor)
        cycle = await service.mandate_cycle(session, mandate, date(2026, 3, 10))
        # The holder's Direct Payment cycle, counted from the award's start date.
        assert (cycle.first_day, cycle.last_day) == (date(2026, 3, 2), date(2026, 3, 29))
        service.check_within_limit(mandate, cycle, moved_pence=4_000, amount_pence=1_000)
        with pytest.raises(BeyondMandateLimit) as refused:
            service.check_within_limit(mandate, cycle, moved_pence=4_000, amount_pence=1_001)
        assert isinstance(refused.value, OutsideMandate)
        assert refused.value.code == "outside_mandate"
        assert refused.value.extra == {"remaining_pence": 1_000}
        # Nothing moved yet in the ledger: the whole limit is there.
        await check_mandate_limit(session, actor, amount_pence=5_000, on=date(2026, 3, 10))
        with pytest.raises(BeyondMandateLimit):
            await check_mandate_limit(session, actor, amount_pence=5_001, on=date(2026, 3, 10))

    async def test_without_an_award_cycles_count_from_the_grant(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        await grant_mandate(client, holder, rep, scopes=("refund",), limit_pence_per_cycle=9_000)
        actor = await acting(session, rep, holder)
        mandate = await service.mandate_in_use(session, actor)
        cycle = await service.mandate_cycle(session, mandate, date(2026, 4, 1))
        assert (cycle.first_day, cycle.last_day) == (date(2026, 3, 30), date(2026, 4, 26))

    async def test_acting_as_oneself_is_never_limited(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        user = await session.get(User, holder.id)
        assert user is not None
        await check_mandate_limit(
            session, Actor(user=user), amount_pence=10**9, on=date(2026, 3, 10)
        )

    async def test_a_mandate_revoked_meanwhile_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        mandate_id = await grant_mandate(
            client, holder, rep, scopes=("contribute",), limit_pence_per_cycle=50_000
        )
        actor = await acting(session, rep, holder)
        await session.execute(
            update(Mandate)
            .where(Mandate.id == mandate_id)
            .values(status=MandateStatus.revoked, revoked_at=Mandate.created_at)
        )
        with pytest.raises(NoMandate):
            await service.mandate_in_use(session, actor)
        with pytest.raises(NoMandate):
            await check_mandate_limit(session, actor, amount_pence=1, on=date(2026, 3, 10))
