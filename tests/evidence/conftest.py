"""A holder with a story to show their council: an award, contributions, an approved invoice
whose lines the provider's visits stand behind (recorded through the ORM, as the visits'
routes belong to another part of the service), and a shared support charge."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.core.clock import FrozenClock
from app.ledger.models import ContributionSource
from app.support.models import SupportCharge
from app.tenders.visits.models import ConfirmedBy, Visit, VisitStatus
from tests.factories import (
    CARDIFF,
    SWANSEA,
    Person,
    register_person,
)
from tests.replay import replayed
from tests.tenders.conftest import World, travel
from tests.tenders.conftest import world as world  # the tenders' co-op, for the story
from tests.tenders.test_invoices import invoiceable
from tests.worlds import building, sign_in_again

WEEKLY = 50_000
RATE = 2135


@dataclass
class Story:
    world: World
    contract_id: uuid.UUID
    award_id: uuid.UUID
    invoice_id: uuid.UUID
    line_id: uuid.UUID
    charge_id: uuid.UUID
    visit_ids: list[uuid.UUID]
    cardiff_officer: Person
    swansea_officer: Person

    @property
    def holder(self) -> Person:
        return self.world.holder_a

    @property
    def member_id(self) -> uuid.UUID:
        return self.world.holder_a_member_id

    def url(self, member_id: uuid.UUID | None = None) -> str:
        return f"/api/v1/coops/{self.world.coop_id}/members/{member_id or self.member_id}/evidence"

    def people(self) -> list[Person]:
        return [*self.world.people(), self.cardiff_officer, self.swansea_officer]


def visit(
    story_world: World,
    contract_id: uuid.UUID,
    line_id: uuid.UUID,
    *,
    day: date,
    start: time,
    minutes: int,
    worker: str,
    recorded_by: uuid.UUID,
    confirmed_by: ConfirmedBy = ConfirmedBy.member,
) -> Visit:
    starts_at = datetime.combine(day, start, tzinfo=UTC)
    ends_at = starts_at + timedelta(minutes=minutes)
    return Visit(
        contract_id=contract_id,
        member_id=story_world.holder_a_member_id,
        date=day,
        start_time=start,
        end_time=ends_at.time(),
        starts_at=starts_at,
        ends_at=ends_at,
        minutes=minutes,
        worker_name=worker,
        status=VisitStatus.confirmed,
        confirmed_by=confirmed_by,
        recorded_at=ends_at,
        recorded_by_user_id=recorded_by,
        confirmed_at=ends_at + timedelta(hours=1),
        invoice_line_id=line_id,
    )


async def ok_json(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
async def story(
    connection: AsyncConnection,
    clock: FrozenClock,
    world: World,
) -> Story:
    """The same story in every test: built once per backend, then its rows written back
    (tests.replay)."""
    return await replayed(
        "evidence.story", connection, world.app, lambda: build_story(clock, world)
    )


async def build_story(clock: FrozenClock, world: World) -> Story:
    """Huw (holder A, paid by Cardiff) pays in 30,000 and then 5,000 of his own money; a
    120-minute line of provider 2's invoice for the week from 27 March, behind which stand two
    visits of 60 minutes (confirmed by Huw and automatically), is approved; March's 1,000
    payroll support is charged to him alone. Built through the services the routes call."""
    _, contract_id = await invoiceable(clock, world)
    async with building(world.app) as b:
        award = await b.award(world.holder_a, weekly_amount_pence=WEEKLY)
        member = await b.member(world.coop_id, world.holder_a_member_id)
        await b.contribute(member, world.holder_a, amount_pence=30_000)
        await b.contribute(
            member,
            world.holder_a,
            amount_pence=5_000,
            reference="Fy arian fy hun",
            source=ContributionSource.top_up,
        )
        invoice = await b.invoice(
            contract_id,
            world.staff_2,
            {
                "period_start": "2026-03-27",
                "period_end": "2026-04-02",
                "lines": [
                    {
                        "member_id": str(world.holder_a_member_id),
                        "minutes": 120,
                        "description": "Morning calls",
                    }
                ],
            },
        )
        invoice_id, line_id = invoice.id, invoice.lines[0].id
        award_id = award.id
    visits = [
        visit(
            world,
            contract_id,
            line_id,
            day=date(2026, 3, 30),
            start=time(8, 0),
            minutes=60,
            worker="Siân Owen",
            recorded_by=world.staff_2.id,
        ),
        visit(
            world,
            contract_id,
            line_id,
            day=date(2026, 3, 28),
            start=time(8, 30),
            minutes=60,
            worker="Dafydd ap Gwilym",
            recorded_by=world.staff_2.id,
            confirmed_by=ConfirmedBy.auto,
        ),
    ]
    # A session of the build's own: the replay rolls back all that the build opened.
    async with world.app.state.sessionmaker() as session:
        session.add_all(visits)
        await session.commit()
    # Past any window for disputing the invoice.
    await travel(clock, world, timedelta(days=3))
    async with building(world.app) as b:
        await b.approve_invoice(invoice_id, world.admin)
        service = await b.support_service(world.coop_id, world.admin, monthly_fee_pence=1_000)
        await b.subscribe(service, world.holder_a)
        charged = await b.charge(service, world.admin, period="2026-04")
        cardiff = await b.person(full_name="Council Officer")
        await b.appoint(world.platform_admin, CARDIFF, cardiff)
        swansea = await b.person(full_name="Council Officer")
        await b.appoint(world.platform_admin, SWANSEA, swansea)
        charged_id = charged.id
    async with world.app.state.sessionmaker() as session:
        charge_id = await _charge_of(session, charged_id)
    return Story(
        world=world,
        contract_id=contract_id,
        award_id=award_id,
        invoice_id=invoice_id,
        line_id=line_id,
        charge_id=charge_id,
        visit_ids=[v.id for v in visits],
        cardiff_officer=cardiff,
        swansea_officer=swansea,
    )


async def _charge_of(session: AsyncSession, transaction_id: uuid.UUID) -> uuid.UUID:
    found = await session.scalar(
        select(SupportCharge.id).where(SupportCharge.transaction_id == transaction_id)
    )
    assert found is not None
    return found


async def travel_story(
    client: httpx.AsyncClient, clock: FrozenClock, story: Story, delta: timedelta
) -> None:
    """Move the clock; everyone in the story signs in again (through the services)."""
    clock.advance(delta)
    await sign_in_again(story.world.app, *story.people())


async def grant(
    client: httpx.AsyncClient,
    story: Story,
    *,
    until: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"coop_id": str(story.world.coop_id)}
    if until is not None:
        body["until"] = until
    return await client.post(
        "/api/v1/me/council-access", json=body, headers=headers or story.holder.headers
    )


async def new_person(client: httpx.AsyncClient, name: str) -> Person:
    return await register_person(client, full_name=name)
