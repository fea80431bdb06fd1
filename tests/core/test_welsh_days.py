"""Days are Welsh days: an instant's date, and a run of days' instants, follow GMT and BST."""

from datetime import UTC, date, datetime, timedelta

import httpx

from app.core.clock import FrozenClock, day_range, local_date
from tests.factories import (
    contribute,
    create_coop,
    join_coop,
    register_person,
    set_direct_payment,
    sign_in_again,
)
from tests.helpers import ok

# 00:30 on 1 July in Wales (BST) is still 30 June in UTC.
JUST_INTO_JULY = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)


class TestLocalDate:
    def test_in_summer_the_day_starts_an_hour_before_utc(self) -> None:
        assert local_date(JUST_INTO_JULY) == date(2026, 7, 1)
        assert local_date(datetime(2026, 6, 30, 22, 59, tzinfo=UTC)) == date(2026, 6, 30)

    def test_in_winter_it_is_the_utc_day(self) -> None:
        assert local_date(datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == date(2026, 1, 31)
        assert local_date(datetime(2026, 2, 1, 0, 0, tzinfo=UTC)) == date(2026, 2, 1)


class TestDayRange:
    def test_summer_days_run_from_2300_utc(self) -> None:
        assert day_range(date(2026, 7, 1), date(2026, 9, 30)) == (
            datetime(2026, 6, 30, 23, tzinfo=UTC),
            datetime(2026, 9, 30, 23, tzinfo=UTC),
        )

    def test_winter_days_run_from_midnight_utc(self) -> None:
        assert day_range(date(2026, 1, 1), date(2026, 1, 31)) == (
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2026, 2, 1, tzinfo=UTC),
        )

    def test_the_days_the_clocks_change_are_23_and_25_hours_long(self) -> None:
        spring = day_range(date(2026, 3, 29), date(2026, 3, 29))
        autumn = day_range(date(2026, 10, 25), date(2026, 10, 25))
        assert spring[1] - spring[0] == timedelta(hours=23)
        assert autumn[1] - autumn[0] == timedelta(hours=25)


async def test_a_payment_just_after_midnight_on_1_july_belongs_to_july_and_the_third_quarter(
    client: httpx.AsyncClient, clock: FrozenClock
) -> None:
    admin = await register_person(client, full_name="Ada Admin")
    coop_id = await create_coop(client, admin)
    holder = await register_person(client, full_name="Heledd")
    member_id = await join_coop(client, coop_id, holder, admin)
    await set_direct_payment(client, holder, weekly_amount_pence=25_000)
    clock.set(JUST_INTO_JULY)
    await sign_in_again(client, admin, holder)
    assert (await contribute(client, coop_id, holder, amount_pence=7_000)).status_code == 201

    statement = await client.get(
        f"/api/v1/coops/{coop_id}/members/{member_id}/statement",
        params={"from": "2026-07-01", "to": "2026-07-01"},
        headers=holder.headers,
    )
    assert statement.status_code == 200, statement.text
    body = statement.json()
    assert [m["amount_pence"] for m in body["movements"]] == [7_000]
    assert body["to"] == "2026-07-01"  # today, in Wales
    june = await client.get(
        f"/api/v1/coops/{coop_id}/members/{member_id}/statement",
        params={"from": "2026-06-01", "to": "2026-06-30"},
        headers=holder.headers,
    )
    assert ok(june).json()["movements"] == []
    csv_text = ok(
        await client.get(
            f"/api/v1/coops/{coop_id}/members/{member_id}/statement",
            params={"from": "2026-07-01", "to": "2026-07-01", "format": "csv"},
            headers=holder.headers,
        )
    ).text
    assert "2026-07-01" in csv_text.splitlines()[1]

    returns = f"/api/v1/coops/{coop_id}/members/{member_id}/dp-return"
    q2 = await client.get(returns, params={"period": "2026-Q2"}, headers=admin.headers)
    q3 = await client.get(returns, params={"period": "2026-Q3"}, headers=admin.headers)
    assert q2.status_code == 200, q2.text
    assert q3.status_code == 200, q3.text
    assert (q2.json()["contributions_pence"], q3.json()["contributions_pence"]) == (0, 7_000)
