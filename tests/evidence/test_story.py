"""The evidence behind a holder's payments, read by their council only while they let it."""

import csv
import io
import uuid
from typing import Any

import httpx

from app.core.clock import FrozenClock
from tests.evidence.conftest import Story, grant, ok_json
from tests.factories import confirm_award
from tests.helpers import problem

CSV_HEADER = [
    "row",
    "transaction_id",
    "date",
    "kind",
    "source",
    "amount_pence",
    "balance_pence",
    "memo",
    "invoice_id",
    "provider_name",
    "charge_id",
    "bank_line_id",
    "visit_date",
    "start_time",
    "end_time",
    "minutes",
    "worker_name",
    "confirmed_by",
    "employment_id",
    "period_start",
    "period_end",
    "share_pence",
]


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEADER
    return [dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]]


async def activity_of(client: httpx.AsyncClient, story: Story, action: str) -> list[dict[str, Any]]:
    items = await ok_json(
        await client.get("/api/v1/me/activity?limit=200", headers=story.holder.headers)
    )
    return [item for item in items["items"] if item["action"] == action]


async def test_the_council_reads_every_visit_behind_the_payment_only_while_the_grant_stands(
    client: httpx.AsyncClient, clock: FrozenClock, story: Story
) -> None:
    officer = story.cardiff_officer
    await confirm_award(client, officer, story.award_id, council_reference="CDF/DP/0042")

    # Before the holder consents, the evidence does not exist for the council.
    problem(await client.get(story.url(), headers=officer.headers), 404, "not_found")

    granted = await ok_json(await grant(client, story), 201)
    assert granted == {
        "id": granted["id"],
        "coop_id": str(story.world.coop_id),
        "member_id": str(story.member_id),
        "area_code": "W06000015",
        "granted_at": granted["granted_at"],
        "until": None,
        "ended_at": None,
        "in_force": True,
    }

    body = await ok_json(await client.get(story.url(), headers=officer.headers))
    statement = await ok_json(
        await client.get(
            f"/api/v1/coops/{story.world.coop_id}/members/{story.member_id}/statement",
            headers=story.holder.headers,
        )
    )
    provider = await ok_json(await client.get(f"/api/v1/providers/{story.world.provider_2}"))
    contribution, top_up, care, charge = statement["movements"]
    assert body == {
        "member_id": str(story.member_id),
        "holder_name": "Huw Holder",
        "council_reference": "CDF/DP/0042",
        "coop_name": "Cydweithfa Gofal Caerdydd",
        "from": statement["from"],
        "to": statement["to"],
        "opening_balance_pence": 0,
        "movements": [
            {
                **contribution,
                "visits": [],
                "charge_id": None,
                "bank_line_id": None,
                "payroll_lines": [],
            },
            {**top_up, "visits": [], "charge_id": None, "bank_line_id": None, "payroll_lines": []},
            {
                **care,
                "visits": [
                    {
                        "date": "2026-03-28",
                        "start_time": "08:30",
                        "end_time": "09:30",
                        "minutes": 60,
                        "worker_name": "Dafydd ap Gwilym",
                        "confirmed_by": "auto",
                    },
                    {
                        "date": "2026-03-30",
                        "start_time": "08:00",
                        "end_time": "09:00",
                        "minutes": 60,
                        "worker_name": "Siân Owen",
                        "confirmed_by": "member",
                    },
                ],
                "charge_id": None,
                "bank_line_id": None,
                "payroll_lines": [],
            },
            {
                **charge,
                "visits": [],
                "charge_id": str(story.charge_id),
                "bank_line_id": None,
                "payroll_lines": [],
            },
        ],
        "closing_balance_pence": 29_730,
        "totals": {
            "contributions_pence": 35_000,
            "care_total_pence": 4_270,
            "shared_charges_pence": 1_000,
            "payroll_pence": 0,
            "refunds_pence": 0,
        },
    }
    # The statement names the invoice and provider of the payment for care, as the evidence.
    assert (care["kind"], care["amount_pence"]) == ("invoice_approval", -4_270)
    assert care["invoice_id"] == str(story.invoice_id)
    assert care["provider_name"] == provider["name"]
    assert [m["source"] for m in body["movements"]] == ["direct_payment", "top_up", None, None]
    # Every visit behind the payment, and their minutes make up the line that was paid.
    assert sum(v["minutes"] for v in body["movements"][2]["visits"]) == 120

    # Another council's officer: not found, although a grant exists (to Cardiff).
    problem(await client.get(story.url(), headers=story.swansea_officer.headers), 404, "not_found")

    # The read shows in the holder's activity, naming the officer and the grant.
    reads = await activity_of(client, story, "evidence.read_by_council")
    assert len(reads) == 1
    assert reads[0]["actor_user_id"] == str(officer.id)
    assert reads[0]["about_user_id"] == str(story.holder.id)
    assert reads[0]["data"]["grant_id"] == granted["id"]
    assert reads[0]["data"]["area_code"] == "W06000015"
    assert reads[0]["description"]

    # The CSV: one row per movement, then one per visit, as the JSON says.
    rows = csv_rows(
        await client.get(story.url(), params={"format": "csv"}, headers=officer.headers)
    )
    movements, visits = rows[:4], rows[4:]
    assert [r["row"] for r in rows] == ["movement"] * 4 + ["visit"] * 2
    for row, movement in zip(movements, body["movements"], strict=True):
        assert row["transaction_id"] == movement["transaction_id"]
        assert row["kind"] == movement["kind"]
        assert int(row["amount_pence"]) == movement["amount_pence"]
        assert row["memo"] == movement["memo"]
        assert row["source"] == (movement["source"] or "")
        assert row["invoice_id"] == (movement["invoice_id"] or "")
        assert row["provider_name"] == (movement["provider_name"] or "")
        assert row["charge_id"] == (movement["charge_id"] or "")
        assert row["bank_line_id"] == ""
    assert [int(r["balance_pence"]) for r in movements] == [30_000, 35_000, 30_730, 29_730]
    for row, shown in zip(visits, body["movements"][2]["visits"], strict=True):
        assert row["transaction_id"] == body["movements"][2]["transaction_id"]
        assert row["invoice_id"] == str(story.invoice_id)
        assert (row["visit_date"], row["start_time"], row["end_time"]) == (
            shown["date"],
            shown["start_time"],
            shown["end_time"],
        )
        assert int(row["minutes"]) == shown["minutes"]
        assert (row["worker_name"], row["confirmed_by"]) == (
            shown["worker_name"],
            shown["confirmed_by"],
        )
    assert len(await activity_of(client, story, "evidence.read_by_council")) == 2

    # Ended: at once, the council is told it does not exist; the grant stays on record.
    ended = await client.delete(
        f"/api/v1/me/council-access/{granted['id']}", headers=story.holder.headers
    )
    assert ended.status_code == 204, ended.text
    problem(await client.get(story.url(), headers=officer.headers), 404, "not_found")
    mine = await ok_json(
        await client.get("/api/v1/me/council-access", headers=story.holder.headers)
    )
    assert [(g["id"], g["in_force"]) for g in mine["items"]] == [(granted["id"], False)]
    assert mine["items"][0]["ended_at"] is not None
    # A refused read is not a read: nothing more in the holder's activity.
    assert len(await activity_of(client, story, "evidence.read_by_council")) == 2


async def test_the_councils_own_system_reads_under_the_grant_too(
    client: httpx.AsyncClient, story: Story
) -> None:
    created = await ok_json(
        await client.post(
            "/api/v1/admin/api-clients",
            json={"name": "Cardiff DP monitoring", "area_code": "W06000015"},
            headers=story.world.platform_admin.headers,
        ),
        201,
    )
    token = await ok_json(
        await client.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": created["client_id"],
                "client_secret": created["client_secret"],
            },
        )
    )
    system = {"Authorization": f"Bearer {token['access_token']}"}
    problem(await client.get(story.url(), headers=system), 404, "not_found")
    await ok_json(await grant(client, story), 201)
    body = await ok_json(await client.get(story.url(), headers=system))
    assert body["member_id"] == str(story.member_id)
    assert len(body["movements"]) == 4
    holders = await ok_json(await client.get("/api/v1/la/areas/W06000015/holders", headers=system))
    assert [h["member_id"] for h in holders["items"]] == [str(story.member_id)]
    reads = await activity_of(client, story, "evidence.read_by_council")
    assert len(reads) == 1
    assert reads[0]["actor_user_id"] is None
    assert reads[0]["data"]["api_client_id"] == created["id"]
    # Another council's system: not found.
    other = await ok_json(
        await client.post(
            "/api/v1/admin/api-clients",
            json={"name": "Swansea DP monitoring", "area_code": "W06000011"},
            headers=story.world.platform_admin.headers,
        ),
        201,
    )
    other_token = await ok_json(
        await client.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": other["client_id"],
                "client_secret": other["client_secret"],
            },
        )
    )
    problem(
        await client.get(
            story.url(), headers={"Authorization": f"Bearer {other_token['access_token']}"}
        ),
        404,
        "not_found",
    )


async def test_the_member_their_viewer_and_administrators_read_it_without_a_grant(
    client: httpx.AsyncClient, story: Story
) -> None:
    from tests.factories import grant_mandate, register_person

    world = story.world
    for headers in (world.holder_a.headers, world.admin.headers):
        body = await ok_json(await client.get(story.url(), headers=headers))
        assert body["closing_balance_pence"] == 29_730
    viewer = await register_person(client, full_name="Viv Viewer")
    await grant_mandate(client, world.holder_a, viewer, scopes=("view",))
    await ok_json(await client.get(story.url(), headers=viewer.on_behalf_of(world.holder_a)))
    payer = await register_person(client, full_name="Pat Payer")
    await grant_mandate(
        client, world.holder_a, payer, scopes=("contribute",), limit_pence_per_cycle=1
    )
    problem(
        await client.get(story.url(), headers=payer.on_behalf_of(world.holder_a)),
        403,
        "outside_mandate",
    )
    # Another member, an outsider and a member of the co-op asking by another's id: not found.
    for headers in (world.holder_b.headers, world.outsider.headers, world.carer.headers):
        problem(await client.get(story.url(), headers=headers), 404, "not_found")
    problem(
        await client.get(story.url(uuid.uuid4()), headers=world.admin.headers), 404, "not_found"
    )
    # Nobody but a council is audited for reading.
    assert await activity_of(client, story, "evidence.read_by_council") == []
