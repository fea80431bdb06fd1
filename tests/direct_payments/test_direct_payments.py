import uuid
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.coops.models import Member
from app.direct_payments import service
from app.direct_payments.errors import ExceedsDirectPayment, NoDirectPayment, NotAHolder
from app.direct_payments.models import DirectPaymentAward
from tests.factories import (
    CARDIFF,
    SWANSEA,
    create_coop,
    grant_mandate,
    join_coop,
    register_person,
    set_direct_payment,
)
from tests.helpers import ok, problem, what_entries_say

URL = "/api/v1/me/direct-payment"


def award_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "area_code": CARDIFF,
        "weekly_amount_pence": 25_000,
        "start_date": "2026-02-02",
    }
    body.update(overrides)
    return body


async def awards(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(DirectPaymentAward)) or 0


class TestSetDirectPayment:
    async def test_records_the_award_with_todays_cycle(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        response = await client.put(
            URL, json=award_body(assessed_hours_per_week=12), headers=holder.headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["area_code"] == CARDIFF
        assert body["weekly_amount_pence"] == 25_000
        assert body["assessed_hours_per_week"] == 12
        assert body["end_date"] is None
        # The clock stands at 2026-03-02: the second cycle from 2026-02-02.
        assert body["current_cycle"] == {
            "number": 1,
            "first_day": "2026-03-02",
            "last_day": "2026-03-29",
            "allowance_pence": 100_000,
            "contributed_pence": 0,
            "remaining_pence": 100_000,
        }

    async def test_a_second_put_with_the_same_start_corrects_the_declared_version(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder = await register_person(client)
        await set_direct_payment(client, holder, weekly_amount_pence=10_000)
        changed = await set_direct_payment(
            client, holder, weekly_amount_pence=12_000, area_code=SWANSEA
        )
        assert (changed["weekly_amount_pence"], changed["area_code"]) == (12_000, SWANSEA)
        rows = await session.scalar(
            select(func.count())
            .select_from(DirectPaymentAward)
            .where(DirectPaymentAward.user_id == holder.id)
        )
        assert rows == 1
        activity = (await client.get("/api/v1/me/activity", headers=holder.headers)).json()
        actions = [e["action"] for e in activity["items"]]
        assert actions[:2] == ["direct_payment.changed", "direct_payment.recorded"]
        said = what_entries_say(activity)
        assert not [s for s in said if "12000" in s], said

    async def test_an_award_not_in_force_today_has_no_current_cycle(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        body = await set_direct_payment(client, holder, start_date=date(2026, 4, 1))
        assert body["current_cycle"] is None
        other = await register_person(client)
        ended = await set_direct_payment(
            client, other, start_date=date(2025, 1, 1), end_date=date(2026, 3, 1)
        )
        assert ended["current_cycle"] is None

    @pytest.mark.parametrize(
        ("override", "loc"),
        [
            ({"weekly_amount_pence": 0}, ["body", "weekly_amount_pence"]),
            ({"weekly_amount_pence": 10.5}, ["body", "weekly_amount_pence"]),
            ({"weekly_amount_pence": "100"}, ["body", "weekly_amount_pence"]),
            ({"weekly_amount_pence": True}, ["body", "weekly_amount_pence"]),
            ({"area_code": "W06999999"}, ["body", "area_code"]),
            ({"area_code": "cardiff"}, ["body", "area_code"]),
            ({"end_date": "2026-02-01"}, ["body"]),
            ({"assessed_hours_per_week": 169}, ["body", "assessed_hours_per_week"]),
            ({"start_date": "not a date"}, ["body", "start_date"]),
        ],
    )
    async def test_bad_figures_are_validation_errors_and_change_nothing(
        self,
        client: httpx.AsyncClient,
        session: AsyncSession,
        override: dict[str, object],
        loc: list[str],
    ) -> None:
        holder = await register_person(client)
        before = await awards(session)
        body = problem(
            await client.put(URL, json=award_body(**override), headers=holder.headers),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == loc
        assert await awards(session) == before

    async def test_who_may_not(self, client: httpx.AsyncClient, session: AsyncSession) -> None:
        problem(await client.put(URL, json=award_body()), 401, "not_authenticated")
        holder = await register_person(client)
        rep = await register_person(client)
        await grant_mandate(client, holder, rep, scopes=("view", "contribute", "vote", "refund"))
        before = await awards(session)
        problem(
            await client.put(URL, json=award_body(), headers=rep.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )
        assert await awards(session) == before


class TestGetDirectPayment:
    async def test_reads_the_award(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        written = await set_direct_payment(client, holder)
        response = await client.get(URL, headers=holder.headers)
        assert response.status_code == 200
        assert response.json() == written

    async def test_without_an_award_it_is_not_found(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        problem(await client.get(URL, headers=holder.headers), 404, "not_found")

    async def test_a_representative_reads_with_view_only(self, client: httpx.AsyncClient) -> None:
        holder = await register_person(client)
        await set_direct_payment(client, holder)
        viewer = await register_person(client)
        mandate_id = await grant_mandate(client, holder, viewer, scopes=("view",))
        read = await client.get(URL, headers=viewer.on_behalf_of(holder))
        assert read.status_code == 200
        assert read.json()["weekly_amount_pence"] == 25_000
        contributor = await register_person(client)
        await grant_mandate(client, holder, contributor, scopes=("contribute",))
        problem(
            await client.get(URL, headers=contributor.on_behalf_of(holder)),
            403,
            "outside_mandate",
        )
        ok(await client.delete(f"/api/v1/me/representatives/{mandate_id}", headers=holder.headers))
        problem(await client.get(URL, headers=viewer.on_behalf_of(holder)), 403, "no_mandate")

    async def test_anonymous_is_refused(self, client: httpx.AsyncClient) -> None:
        problem(await client.get(URL), 401, "not_authenticated")


class TestContributionAllowance:
    """The rule the ledger applies: an award in force, its cycle, and what is left of it."""

    async def holder_member(
        self, client: httpx.AsyncClient, session: AsyncSession, member_class: str = "service_user"
    ) -> tuple[uuid.UUID, Member]:
        admin = await register_person(client)
        coop_id = await create_coop(client, admin)
        holder = await register_person(client)
        member_id = await join_coop(client, coop_id, holder, admin, member_class)
        await set_direct_payment(
            client, holder, weekly_amount_pence=25_000, start_date=date(2026, 2, 2)
        )
        member = await session.get(Member, member_id)
        assert member is not None
        return holder.id, member

    async def test_headroom_is_four_weeks_less_what_was_contributed(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder_id, _ = await self.holder_member(client, session)
        today = await service.award_in_force(session, holder_id, on=date(2026, 3, 29))
        award = today.award
        assert today.surplus_weeks == 8  # the council never set its monitoring profile
        cycle = service.cycle_of(award, date(2026, 3, 29))
        assert (cycle.first_day, cycle.last_day) == (date(2026, 3, 2), date(2026, 3, 29))
        headroom = service.headroom(award, cycle, contributed_pence=30_000)
        assert (headroom.allowance_pence, headroom.contributed_pence) == (100_000, 30_000)
        assert headroom.remaining_pence == 70_000
        service.check_fits(headroom, amount_pence=70_000)
        with pytest.raises(ExceedsDirectPayment) as refused:
            service.check_fits(headroom, amount_pence=70_001)
        assert refused.value.extra == {"remaining_pence": 70_000}
        assert "2026-03-02" in refused.value.detail_in("cy")

    async def test_only_a_service_user_holder_contributes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder_id, carer = await self.holder_member(client, session, member_class="carer")
        with pytest.raises(NotAHolder):
            service.check_holder(carer, holder_user_id=holder_id)
        _, someone_elses = await self.holder_member(client, session)
        with pytest.raises(NotAHolder):
            service.check_holder(someone_elses, holder_user_id=holder_id)

    async def test_an_award_must_be_in_force(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        holder_id, _ = await self.holder_member(client, session)
        for day in (date(2026, 2, 1), date(2020, 1, 1)):
            with pytest.raises(NoDirectPayment):
                await service.award_in_force(session, holder_id, on=day)
        with pytest.raises(NoDirectPayment):
            await service.award_in_force(session, uuid.uuid4(), on=date(2026, 3, 5))
