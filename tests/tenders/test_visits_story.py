"""A week of care confirmed before it is paid, driven through the HTTP API as the provider,
the holder and the co-op's administrator would: visits recorded day by day, one queried and
rejected, the rest confirmed (one automatically, as the clock moves on), an invoice built
from them, its approval refused inside the dispute window and made after it."""

from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.tenders.invoices.pricing import line_amount
from tests.helpers import ok, problem
from tests.tenders.conftest import World, travel
from tests.tenders.test_contracts import contracted
from tests.tenders.test_invoices import balances, fund
from tests.tenders.visiting import WORKER, act, listed, visit_body

MONDAY = date(2026, 3, 30)
RATE = 2135


async def test_a_week_of_visits_confirmed_invoiced_and_paid_after_the_dispute_window(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, world: World
) -> None:
    await fund(client, world, world.holder_a, 20_000)
    _, contract_id = await contracted(clock, world)
    member, staff = world.holder_a_member_id, world.staff_2

    # Each evening the provider records the morning's visit; the holder answers the next
    # morning. Wednesday's carer never came; Sunday's visit the holder leaves alone.
    week = [MONDAY + timedelta(days=n) for n in range(7)]
    visits: dict[date, str] = {}
    for day in week:
        evening = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=19)
        await travel(clock, world, evening - clock.now())
        made = ok(
            await client.post(
                f"/api/v1/contracts/{contract_id}/visits",
                json=visit_body(member, day.isoformat(), "08:00", "09:00", notes="Morning call"),
                headers=staff.headers,
            )
        ).json()
        assert (made["status"], made["worker_name"], made["minutes"]) == ("to_confirm", WORKER, 60)
        visits[day] = made["id"]
        await travel(clock, world, timedelta(hours=13))
        if day.weekday() == 2:
            ok(
                await act(
                    client, made["id"], "query", world.holder_a.headers, {"reason": "Nobody came."}
                )
            )
        elif day.weekday() != 6:
            ok(await act(client, made["id"], "confirm", world.holder_a.headers))
    feed = ok(await client.get("/api/v1/me/notifications", headers=world.holder_a.headers)).json()[
        "items"
    ]
    assert sum(item["type"] == "visit.to_confirm" for item in feed) == 7

    # The administrator checks the rota and rejects Wednesday's visit.
    wednesday = visits[week[2]]
    settled = ok(
        await act(
            client,
            wednesday,
            "resolve",
            world.admin.headers,
            {"outcome": "rejected", "note": "The rota shows the carer was off sick."},
        )
    ).json()
    assert settled["status"] == "rejected"

    # Sunday's visit confirms itself 48 hours after it was recorded.
    sunday = visits[week[6]]
    [waiting] = await listed(client, contract_id, world.holder_a.headers, "?status=to_confirm")
    assert waiting["id"] == sunday
    await travel(clock, world, timedelta(hours=35))
    read = ok(await client.get(f"/api/v1/visits/{sunday}", headers=world.holder_a.headers)).json()
    assert (read["status"], read["confirmed_by"]) == ("confirmed", "auto")

    # The week's invoice, from its confirmed visits: one line for the six that happened.
    invoice = ok(
        await client.post(
            f"/api/v1/contracts/{contract_id}/invoices",
            json={
                "period_start": week[0].isoformat(),
                "period_end": week[-1].isoformat(),
                "from_visits": True,
            },
            headers=staff.headers,
        )
    ).json()
    [billed] = invoice["lines"]
    assert billed["visit_ids"] == [visits[d] for d in week if visits[d] != wednesday]
    assert (billed["minutes"], billed["amount_pence"]) == (360, line_amount(RATE, 360))
    for visit in await listed(client, contract_id, world.holder_a.headers):
        assert visit["invoice_id"] == (invoice["id"] if visit["id"] != wednesday else None)

    # Sunday's visit was not confirmed by the holder: the window stays open for two days.
    url = f"/api/v1/invoices/{invoice['id']}"
    refused = problem(
        await client.post(f"{url}/approve", headers=world.admin.headers),
        409,
        "dispute_window_open",
    )
    submitted_at = clock.now()
    assert refused["opens_at"] == (submitted_at + timedelta(days=2)).isoformat()
    await travel(clock, world, timedelta(days=2))
    approved = ok(
        await client.post(
            f"{url}/approve", headers={**world.admin.headers, "Idempotency-Key": "week-14"}
        )
    ).json()
    assert approved["status"] == "approved"
    books = await balances(session, world.coop_id)
    assert books[f"member:{member}"] == 20_000 - line_amount(RATE, 360)
    paid = ok(
        await client.post(
            f"{url}/pay", headers={**world.admin.headers, "Idempotency-Key": "week-14-pay"}
        )
    ).json()
    assert paid["status"] == "paid"
    # Paid care is history: its visits no longer change.
    problem(
        await act(client, sunday, "query", world.holder_a.headers, {"reason": "Late"}),
        409,
        "invalid_transition",
    )
