"""One tender from draft to a paid invoice, driven through the HTTP API alone.

(The platform administrator who verifies the providers is made as the CLI makes one; every
other step is a request a front end would send.)
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from tests.factories import (
    Person,
    bid_fields,
    contribute,
    create_coop,
    join_coop,
    platform_admin,
    register_person,
    set_direct_payment,
    sign_in_again,
    tender_fields,
    verified_provider,
)
from tests.helpers import problem
from tests.tenders.ocds_review import assert_valid


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_a_tender_from_draft_to_a_paid_invoice(
    client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock, tmp_path: Path
) -> None:
    # The co-op, its two holders with money in the pool, and three verified providers.
    admin = await register_person(client, full_name="Alys Admin")
    coop = await create_coop(client, admin)
    holder_a = await register_person(client, full_name="Huw Holder")
    holder_b = await register_person(client, full_name="Hawys Holder")
    member_a = await join_coop(client, coop, holder_a, admin)
    member_b = await join_coop(client, coop, holder_b, admin)
    for holder in (holder_a, holder_b):
        await set_direct_payment(client, holder, weekly_amount_pence=20_000)
        await ok(await contribute(client, coop, holder, amount_pence=40_000), 201)
    verifier = await platform_admin(client, session)
    staff = [await register_person(client, full_name=f"Staff {n}") for n in (1, 2, 3)]
    providers = [
        (await verified_provider(client, session, staff=s, admin=verifier, welsh_language="full"))[
            "id"
        ]
        for s in staff
    ]
    everyone: list[Person] = [admin, holder_a, holder_b, verifier, *staff]

    async def travel(delta: timedelta) -> None:
        clock.advance(delta)
        await sign_in_again(client, *everyone)

    # A draft, the holders' demand, publication.
    draft = await ok(
        await client.post(
            f"/api/v1/coops/{coop}/tenders", json=tender_fields(), headers=admin.headers
        ),
        201,
    )
    tender = f"/api/v1/tenders/{draft['id']}"
    for holder, hours in ((holder_a, 10), (holder_b, 6)):
        await ok(
            await client.put(
                f"{tender}/demand/me", json={"hours_per_week": hours}, headers=holder.headers
            )
        )
    opened = await ok(await client.post(f"{tender}/publish", headers=admin.headers))
    assert opened["status"] == "open"
    assert opened["demand"] == {
        "total_hours_per_week": 16,
        "members": {"value": None, "suppressed": True},
    }

    # A clarification, answered for every bidder alike.
    question = await ok(
        await client.post(
            f"{tender}/questions",
            json={"question": "Is the Active Offer needed for every visit?"},
            headers=staff[0].headers,
        ),
        201,
    )
    await ok(
        await client.post(
            f"{tender}/questions/{question['id']}/answer",
            json={"answer": "Some Welsh is enough; full is welcome."},
            headers=admin.headers,
        )
    )
    public_questions = await ok(await client.get(f"{tender}/questions"))
    assert [q["answer"] for q in public_questions["items"]] == [
        "Some Welsh is enough; full is welcome."
    ]

    # Three sealed bids.
    bids = [
        (
            await ok(
                await client.post(
                    f"{tender}/bids", json=bid_fields(hourly_rate_pence=rate), headers=s.headers
                ),
                201,
            )
        )["id"]
        for s, rate in zip(staff, (1975, 2135, 2450), strict=True)
    ]
    problem(await client.get(f"{tender}/bids", headers=admin.headers), 403, "bids_sealed")

    # The deadline: evaluation, scores, the ranking.
    await travel(timedelta(days=14, hours=3))
    assert (await ok(await client.get(tender)))["status"] == "evaluation"
    for bid_id, score in zip(bids, (40, 95, 60), strict=True):
        await ok(
            await client.put(
                f"{tender}/bids/{bid_id}/score",
                json={"quality_score": score},
                headers=admin.headers,
            )
        )
    ranking = await ok(await client.get(f"{tender}/evaluation", headers=admin.headers))
    assert [(i["provider_id"], i["total_points"]) for i in ranking["items"]] == [
        (providers[1], "93.50"),
        (providers[0], "76.00"),
        (providers[2], "72.37"),
    ]

    # The award, put to the members' vote.
    pending = await ok(
        await client.post(f"{tender}/award", json={"bid_id": bids[1]}, headers=admin.headers)
    )
    assert pending["status"] == "award_pending_vote"
    for voter in (admin, holder_a, holder_b):
        await ok(
            await client.post(
                f"/api/v1/proposals/{pending['award_proposal_id']}/votes",
                json={"choice": "yes"},
                headers=voter.headers,
            )
        )
    awarded = await ok(await client.get(tender))
    assert awarded["status"] == "awarded"
    assert awarded["award"]["hourly_rate_pence"] == 2135

    # The contract, once the standstill is over.
    problem(
        await client.post(f"{tender}/contract", headers=admin.headers), 409, "standstill_not_over"
    )
    await travel(timedelta(days=10))
    contract = await ok(await client.post(f"{tender}/contract", headers=admin.headers), 201)
    assert sorted(c["hours_per_week"] for c in contract["call_offs"]) == [6, 10]

    # A week's invoice once the week is over; a line the holder disputes is upheld and not
    # charged.
    await travel(datetime(2026, 4, 3, 9, tzinfo=UTC) - clock.now())
    invoice = await ok(
        await client.post(
            f"/api/v1/contracts/{contract['id']}/invoices",
            json={
                "period_start": "2026-03-27",
                "period_end": "2026-04-02",
                "lines": [
                    {"member_id": str(member_a), "minutes": 600, "description": "Morning calls"},
                    {"member_id": str(member_b), "minutes": 300, "description": "Evening calls"},
                    {"member_id": str(member_b), "minutes": 60, "description": "Extra Sunday"},
                ],
            },
            headers=staff[1].headers,
        ),
        201,
    )
    assert invoice["total_pence"] == 21_350 + 10_675 + 2_135
    extra = invoice["lines"][2]["id"]
    await ok(
        await client.post(
            f"/api/v1/invoices/{invoice['id']}/lines/{extra}/dispute",
            json={"reason": "There was no visit that Sunday."},
            headers=holder_b.headers,
        )
    )
    problem(
        await client.post(f"/api/v1/invoices/{invoice['id']}/approve", headers=admin.headers),
        409,
        "invoice_disputed",
    )
    resolved = await ok(
        await client.post(
            f"/api/v1/invoices/{invoice['id']}/lines/{extra}/resolve",
            json={"outcome": "upheld", "note": "The rota shows no Sunday visit."},
            headers=admin.headers,
        )
    )
    assert resolved["total_pence"] == 21_350 + 10_675

    # The holders have two days to dispute a line: approval waits for them.
    refused = problem(
        await client.post(f"/api/v1/invoices/{invoice['id']}/approve", headers=admin.headers),
        409,
        "dispute_window_open",
    )
    assert refused["opens_at"] == "2026-04-05T09:00:00+00:00"
    await travel(timedelta(days=2))

    # Approval and payment through the ledger.
    approved = await ok(
        await client.post(
            f"/api/v1/invoices/{invoice['id']}/approve",
            headers={**admin.headers, "Idempotency-Key": "march-week-1"},
        )
    )
    assert approved["status"] == "approved"
    pool = await ok(await client.get(f"/api/v1/coops/{coop}/pool", headers=admin.headers))
    assert pool["provider_payable_pence"] == 32_025
    assert pool["members_pence"] == 80_000 - 32_025
    paid = await ok(
        await client.post(
            f"/api/v1/invoices/{invoice['id']}/pay",
            headers={**admin.headers, "Idempotency-Key": "march-week-1-pay"},
        )
    )
    assert paid["status"] == "paid"
    pool = await ok(await client.get(f"/api/v1/coops/{coop}/pool", headers=admin.headers))
    assert pool["provider_payable_pence"] == 0
    holder_view = await ok(
        await client.get(f"/api/v1/invoices/{invoice['id']}", headers=holder_a.headers)
    )
    assert holder_view["total_pence"] == 21_350

    # The open data shows the contract; the holders stay bound by their call-offs.
    ocds = await client.get(f"{tender}/ocds")
    assert ocds.json()["releases"][-1]["tag"] == ["contract"]
    assert_valid(ocds.content, tmp_path)
    problem(
        await client.post(
            f"/api/v1/coops/{coop}/members/{member_a}/leave", headers=holder_a.headers
        ),
        409,
        "member_has_commitments",
    )

    # The holder's quarterly return shows the care bought, by the tender's kind of care.
    now = clock.now()
    quarter = f"{now.year}-Q{(now.month - 1) // 3 + 1}"
    dp_return = await ok(
        await client.get(
            f"/api/v1/coops/{coop}/members/{member_a}/dp-return",
            params={"period": quarter},
            headers=holder_a.headers,
        )
    )
    assert [(c["service_type"], c["amount_pence"]) for c in dp_return["care_bought"]] == [
        ("domiciliary_support", 21_350)
    ]

    # The council that pays both holders sees the spend by kind of care, under disclosure
    # control: two holders are too few for their number or money to be shown.
    summary = await ok(
        await client.get("/api/v1/la/areas/W06000015/summary", headers=verifier.headers)
    )
    assert summary["spend_by_service_type"] == [
        {
            "service_type": "domiciliary_support",
            "holders": {"value": None, "suppressed": True},
            "spend_pence": {"value": None, "suppressed": True},
        }
    ]
