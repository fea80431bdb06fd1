"""The public Wales table: the twelve complete months before this one, made at the month's
first request, stored, and served unchanged until the month ends (on the world of
tests/stats/conftest.py)."""

import csv
import io
from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.core.clock import FrozenClock
from app.stats.models import WalesEdition, WalesEditionRow
from app.stats.wales import CSV_COLUMNS
from tests.factories import CARDIFF, SWANSEA
from tests.helpers import ok
from tests.stats.built import built
from tests.stats.conftest import CARDIFF_PUBLISHED, HIDDEN, World, holder

WALES = "/api/v1/stats/wales"


def by_area(body: dict[str, object]) -> dict[str, dict[str, object]]:
    items = body["items"]
    assert isinstance(items, list)
    return {row["area_code"]: row for row in items}


async def test_one_row_per_area_with_its_names_for_the_twelve_months_before_this_one(
    client: httpx.AsyncClient, world: World
) -> None:
    body = ok(await client.get(WALES)).json()
    assert body["next_cursor"] is None
    rows = by_area(body)
    assert len(rows) == 22
    # The clock stands on 2026-03-02: March 2025 to February 2026, never March 2026.
    assert rows[CARDIFF] == {
        "area_code": CARDIFF,
        "name_en": "Cardiff",
        "name_cy": "Caerdydd",
        "from": "2025-03-01",
        "to": "2026-02-28",
        "holders_pooling": {"value": 10, "suppressed": False},
        "contributions_pence": {"value": CARDIFF_PUBLISHED, "suppressed": False},
        "coops_active": 1,
        "tenders_awarded": 0,
        "gaps": 7,
    }
    assert rows[SWANSEA]["name_cy"] == "Abertawe"
    assert rows[SWANSEA]["holders_pooling"] == HIDDEN
    assert rows[SWANSEA]["contributions_pence"] == HIDDEN
    assert rows[SWANSEA]["coops_active"] == 1
    assert rows[SWANSEA]["gaps"] == 8
    quiet = rows["W06000001"]
    assert quiet["holders_pooling"] == {"value": 0, "suppressed": False}
    assert quiet["contributions_pence"] == {"value": 0, "suppressed": False}
    assert quiet["coops_active"] == 0


async def test_the_same_all_month_whatever_happens_then_renewed_for_the_next(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    clock: FrozenClock,
    world: World,
) -> None:
    first = ok(await client.get(WALES))
    first_csv = ok(await client.get(WALES, params={"format": "csv"}))
    etag = first.headers["ETag"]
    # During March: five more Cardiff holders pay in, and a provider starts to offer respite
    # in Swansea. The summary (to today) sees them at once; the public table does not.
    async with built(app) as b:
        for _ in range(5):
            await holder(
                b,
                world.coop,
                world.founder,
                area=CARDIFF,
                amounts=[1000],
                award_from=date(2026, 3, 1),
                officer=world.cardiff_officer,
            )
        await b.verified_provider(world.admin, service_types=["respite"], area_codes=[SWANSEA])
    summary = ok(
        await client.get(f"/api/v1/la/areas/{CARDIFF}/summary", headers=world.admin.headers)
    ).json()
    assert summary["holders_pooling"]["value"] == 15
    # 23:59 BST on 31 March is still March in Wales.
    clock.set(datetime(2026, 3, 31, 22, 59, tzinfo=UTC))
    again = await client.get(WALES)
    assert (again.content, again.headers["ETag"]) == (first.content, etag)
    assert (await client.get(WALES, params={"format": "csv"})).content == first_csv.content
    unchanged = await client.get(WALES, headers={"If-None-Match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    # 00:30 BST on 1 April (23:30 UTC on 31 March): April's table, counting March too.
    clock.set(datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    april = await client.get(WALES)
    assert april.headers["ETag"] != etag
    rows = by_area(april.json())
    assert (rows[CARDIFF]["from"], rows[CARDIFF]["to"]) == ("2025-04-01", "2026-03-31")
    assert rows[CARDIFF]["holders_pooling"] == {"value": 15, "suppressed": False}
    # 123,450p + 5 x 1,000p = 128,450p: the nearest £100 is 130,000p.
    assert rows[CARDIFF]["contributions_pence"] == {"value": 130_000, "suppressed": False}
    assert rows[SWANSEA]["gaps"] == 7
    months = (await session.scalars(select(WalesEdition.month).order_by("month"))).all()
    assert months == [date(2026, 3, 1), date(2026, 4, 1)]
    published = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action == "stats.wales_published")
    )
    assert published == 2


async def test_csv_by_query_or_accept(client: httpx.AsyncClient, world: World) -> None:
    by_query = await client.get(WALES, params={"format": "csv"})
    by_accept = await client.get(WALES, headers={"Accept": "text/csv"})
    for response in (by_query, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        assert "charset=utf-8" in response.headers["content-type"]
        assert response.headers["content-disposition"] == (
            'attachment; filename="wales-2025-03-2026-02.csv"'
        )
    assert by_query.content == by_accept.content
    assert by_query.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(by_query.content.decode("utf-8-sig"))))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 23
    assert [
        CARDIFF,
        "Cardiff",
        "Caerdydd",
        "2025-03-01",
        "2026-02-28",
        "10",
        "false",
        str(CARDIFF_PUBLISHED),
        "false",
        "1",
        "0",
        "7",
    ] in rows
    swansea = next(row for row in rows if row[0] == SWANSEA)
    assert swansea[5:9] == ["", "true", "", "true"]
    # Each form has its own ETag; JSON stays the default.
    json_answer = await client.get(WALES)
    assert json_answer.headers["content-type"].startswith("application/json")
    assert json_answer.headers["ETag"] != by_query.headers["ETag"]
    assert by_query.headers["vary"] == "Accept"


async def test_openapi_documents_csv(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    content = spec["paths"]["/api/v1/stats/wales"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in content
    assert "application/json" in content


class TestAPublishedTableIsNeverChanged:
    async def test_updating_a_row_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        ok(await client.get(WALES))
        before = (
            await session.scalars(select(WalesEditionRow.gaps).order_by(WalesEditionRow.area_code))
        ).all()
        assert any(before)
        with pytest.raises(DBAPIError, match="never changed"):
            async with session.begin_nested():
                await session.execute(update(WalesEditionRow).values(gaps=0))
        assert (
            await session.scalars(select(WalesEditionRow.gaps).order_by(WalesEditionRow.area_code))
        ).all() == before

    async def test_deleting_an_edition_is_refused(
        self, client: httpx.AsyncClient, session: AsyncSession, world: World
    ) -> None:
        ok(await client.get(WALES))
        with pytest.raises(DBAPIError, match="never changed"):
            async with session.begin_nested():
                await session.execute(delete(WalesEditionRow))
        with pytest.raises(DBAPIError, match="never changed"):
            async with session.begin_nested():
                await session.execute(delete(WalesEdition))
        assert await session.scalar(select(func.count()).select_from(WalesEdition)) == 1
        assert await session.scalar(select(func.count()).select_from(WalesEditionRow)) == 22
