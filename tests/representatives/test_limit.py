import uuid
from datetime import date

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.actor import Actor
from app.auth.errors import NoMandate, OutsideMandate
from app.auth.models import User
from app.representatives import service
from app.representatives.errors import BeyondMandateLimit
from app.representatives.models import Mandate, MandateStatus
from tests.factories import Person, grant_mandate, register_person, set_direct_payment

Asked = list[tuple[uuid.UUID, uuid.UUID, date, date]]


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> Asked:
    """A stand-in for the ledger: 4,000 pence already moved in whatever cycle is asked."""
    monkeypatch.setattr(service, "_usage_sources", [])
    asked: Asked = []

    async def ledger(
        session: AsyncSession,
        *,
        representative_user_id: uuid.UUID,
        holder_user_id: uuid.UUID,
        first_day: date,
        last_day: date,
    ) -> int:
        asked.append((representative_user_id, holder_user_id, first_day, last_day))
        return 4_000

    service.register_mandate_usage_source(ledger)
    return asked


async def acting(session: AsyncSession, rep: Person, holder: Person) -> Actor:
    user = await session.get(User, rep.id)
    assert user is not None
    found = await service.resolve_mandate(session, representative=user, holder_id=holder.id)
    assert found is not None
    holder_user, mandate = found
    return Actor(user=user, on_behalf_of=holder_user, mandate=mandate)


class TestCheckMandateLimit:
    async def test_up_to_the_limit_passes_and_beyond_it_is_outside_the_mandate(
        self, client: httpx.AsyncClient, session: AsyncSession, moved: Asked
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        await grant_mandate(
            client, holder, rep, scopes=("contribute",), limit_pence_per_cycle=5_000
        )
        await set_direct_payment(client, holder, start_date=date(2026, 2, 2))
        actor = await acting(session, rep, holder)
        await service.check_mandate_limit(session, actor, amount_pence=1_000, on=date(2026, 3, 10))
        with pytest.raises(BeyondMandateLimit) as refused:
            await service.check_mandate_limit(
                session, actor, amount_pence=1_001, on=date(2026, 3, 10)
            )
        assert isinstance(refused.value, OutsideMandate)
        assert refused.value.code == "outside_mandate"
        assert refused.value.extra == {"remaining_pence": 1_000}
        # The holder's Direct Payment cycle, counted from the award's start date.
        assert moved[-1] == (rep.id, holder.id, date(2026, 3, 2), date(2026, 3, 29))

    async def test_without_an_award_cycles_count_from_the_grant(
        self, client: httpx.AsyncClient, session: AsyncSession, moved: Asked
    ) -> None:
        holder = await register_person(client)
        rep = await register_person(client)
        await grant_mandate(client, holder, rep, scopes=("refund",), limit_pence_per_cycle=9_000)
        actor = await acting(session, rep, holder)
        await service.check_mandate_limit(session, actor, amount_pence=5_000, on=date(2026, 4, 1))
        assert moved[-1][2:] == (date(2026, 3, 30), date(2026, 4, 26))

    async def test_acting_as_oneself_is_never_limited(
        self, client: httpx.AsyncClient, session: AsyncSession, moved: Asked
    ) -> None:
        holder = await register_person(client)
        user = await session.get(User, holder.id)
        assert user is not None
        await service.check_mandate_limit(
            session, Actor(user=user), amount_pence=10**9, on=date(2026, 3, 10)
        )
        assert moved == []

    @pytest.mark.usefixtures("moved")
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
            await service.check_mandate_limit(session, actor, amount_pence=1, on=date(2026, 3, 10))
