import csv
import io
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.clock import FrozenClock
from app.core.csv_answer import wants_csv
from app.ledger.statements import weeks_held
from tests.factories import Person, contribute, fresh_token, request_refund
from tests.helpers import ok, problem
from tests.ledger.conftest import WEEKLY, Pool


async def statement(
    client: httpx.AsyncClient,
    pool: Pool,
    headers: dict[str, str],
    *,
    member_id: Any = None,
    **params: Any,
) -> httpx.Response:
    return await client.get(
        pool.url(f"/members/{member_id or pool.holder_member}/statement"),
        params=params,
        headers=headers,
    )


async def paid(
    client: httpx.AsyncClient, pool: Pool, person: Person, amount: int, memo: str
) -> None:
    response = await contribute(client, pool.coop_id, person, amount_pence=amount, reference=memo)
    assert response.status_code == 201, response.text


@pytest.fixture
async def history(client: httpx.AsyncClient, pool: Pool, clock: FrozenClock) -> Pool:
    """2 March: pays 40,000. 3 March: takes 5,000 back. 31 March (next cycle): pays 100,000."""
    await paid(client, pool, pool.holder, 40_000, "Mawrth")
    clock.advance(timedelta(days=1))
    await fresh_token(client, pool.holder)
    response = await request_refund(
        client,
        pool.coop_id,
        pool.holder,
        member_id=pool.holder_member,
        amount_pence=5_000,
        reason='=HYPERLINK("http://evil")',
    )
    assert response.status_code == 201, response.text
    clock.advance(timedelta(days=28))
    for person in (pool.holder, pool.admin, pool.rep, pool.other):
        await fresh_token(client, person)
    await paid(client, pool, pool.holder, 100_000, "Ebrill: seibiant i Siân a'i ŵyr")
    return pool


class TestGetStatement:
    async def test_by_default_the_whole_history_to_today(
        self, client: httpx.AsyncClient, history: Pool
    ) -> None:
        response = await statement(client, history, history.holder.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["from"] == "2026-03-02"
        assert body["to"] == "2026-03-31"
        assert body["opening_balance_pence"] == 0
        assert [(m["kind"], m["amount_pence"]) for m in body["movements"]] == [
            ("contribution", 40_000),
            ("refund", -5_000),
            ("contribution", 100_000),
        ]
        assert body["closing_balance_pence"] == 135_000
        assert body["weeks_of_budget_held"] == "5.4"
        assert body["surplus"] is False

    async def test_a_period_opens_with_the_balance_before_it(
        self, client: httpx.AsyncClient, history: Pool
    ) -> None:
        body = (
            await statement(
                client,
                history,
                history.holder.headers,
                **{"from": "2026-03-03", "to": "2026-03-30"},
            )
        ).json()
        assert body["opening_balance_pence"] == 40_000
        assert [m["amount_pence"] for m in body["movements"]] == [-5_000]
        assert body["closing_balance_pence"] == 35_000
        assert body["weeks_of_budget_held"] == "1.4"

    async def test_more_than_eight_weeks_is_a_surplus(
        self, client: httpx.AsyncClient, history: Pool
    ) -> None:
        ok(
            await client.put(
                "/api/v1/me/direct-payment",
                json={
                    "area_code": "W06000015",
                    "weekly_amount_pence": 16_874,
                    "start_date": "2026-03-02",
                },
                headers=history.holder.headers,
            )
        )
        body = (await statement(client, history, history.holder.headers)).json()
        # 135,000 / 16,874 = 8.0004...: published as 8.0, yet above eight weeks.
        assert (body["weeks_of_budget_held"], body["surplus"]) == ("8.0", True)

    async def test_without_an_award_both_figures_are_null(
        self, client: httpx.AsyncClient, history: Pool
    ) -> None:
        body = (
            await statement(client, history, history.admin.headers, member_id=history.admin_member)
        ).json()
        assert body["closing_balance_pence"] == 0
        assert (body["weeks_of_budget_held"], body["surplus"]) == (None, None)

    async def test_a_period_ending_before_the_account_opened_is_empty(
        self, client: httpx.AsyncClient, history: Pool
    ) -> None:
        body = (await statement(client, history, history.holder.headers, to="2026-03-01")).json()
        assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-01")
        assert (body["opening_balance_pence"], body["closing_balance_pence"]) == (0, 0)
        assert body["movements"] == []

    async def test_from_after_to_is_invalid(self, client: httpx.AsyncClient, pool: Pool) -> None:
        problem(
            await statement(
                client, pool, pool.holder.headers, **{"from": "2026-03-05", "to": "2026-03-04"}
            ),
            422,
            "validation_error",
        )

    async def test_an_admin_and_the_representative_may_read_it_another_member_may_not(
        self, client: httpx.AsyncClient, history: Pool
    ) -> None:
        mine = (await statement(client, history, history.holder.headers)).json()
        assert (await statement(client, history, history.admin.headers)).json() == mine
        assert (await statement(client, history, history.as_rep)).json() == mine
        problem(await statement(client, history, history.other.headers), 403, "forbidden")

    @pytest.mark.parametrize(
        ("params", "accept"),
        [({"format": "csv"}, None), ({}, "text/csv"), ({}, "application/json;q=0.5, text/csv")],
    )
    async def test_csv_keeps_welsh_text_and_defuses_formulas(
        self,
        client: httpx.AsyncClient,
        history: Pool,
        params: dict[str, str],
        accept: str | None,
    ) -> None:
        headers = dict(history.holder.headers)
        if accept:
            headers["Accept"] = accept
        response = await statement(client, history, headers, **params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert "attachment" in response.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [
            "date",
            "transaction_id",
            "kind",
            "amount_pence",
            "balance_pence",
            "memo",
            "source",
            "invoice_id",
            "provider_name",
            "bank_line_id",
        ]
        assert rows[1] == [
            "2026-03-02",
            "",
            "opening_balance",
            "",
            "0",
            "Opening balance",
            "",
            "",
            "",
            "",
        ]
        assert [row[2:5] + row[6:] for row in rows[2:5]] == [
            ["contribution", "40000", "40000", "direct_payment", "", "", ""],
            ["refund", "-5000", "35000", "", "", "", ""],
            ["contribution", "100000", "135000", "direct_payment", "", "", ""],
        ]
        assert rows[3][5] == '\'=HYPERLINK("http://evil")'
        assert rows[4][5] == "Ebrill: seibiant i Siân a'i ŵyr"
        assert rows[5] == [
            "2026-03-31",
            "",
            "closing_balance",
            "",
            "135000",
            "Closing balance",
            "",
            "",
            "",
            "",
        ]

    async def test_json_is_the_default_and_format_json_overrides_accept(
        self, client: httpx.AsyncClient, history: Pool
    ) -> None:
        headers = {**history.holder.headers, "Accept": "text/csv"}
        response = await statement(client, history, headers, format="json")
        assert response.headers["content-type"] == "application/json"


class TestWeeksHeld:
    @pytest.mark.parametrize(
        ("balance", "weekly", "weeks", "surplus"),
        [
            (0, WEEKLY, "0.0", False),
            (200_000, WEEKLY, "8.0", False),
            (200_001, WEEKLY, "8.0", True),
            (1_250, WEEKLY, "0.1", False),  # 0.05 exactly: half up
            (1_249, WEEKLY, "0.0", False),
            (10, 3, "3.3", False),
            (35, 3, "11.7", True),
        ],
    )
    def test_rounds_half_up_and_compares_exactly(
        self, balance: int, weekly: int, weeks: str, surplus: bool
    ) -> None:
        held = weeks_held(balance, weekly, surplus_weeks=8)
        assert (held.weeks, held.surplus) == (weeks, surplus)

    @given(
        balance=st.integers(min_value=0, max_value=10**12),
        weekly=st.integers(min_value=1, max_value=10_000_000),
    )
    def test_agrees_with_decimal_rounding_of_the_exact_value(
        self, balance: int, weekly: int
    ) -> None:
        exact = Fraction(balance, weekly)
        expected = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        # Decimal's 28 digits are exact enough here to serve as the reference.
        assert weeks_held(balance, weekly, surplus_weeks=8).weeks == str(expected)
        assert weeks_held(balance, weekly, surplus_weeks=8).surplus == (exact > 8)
        assert weeks_held(balance, weekly, surplus_weeks=3).surplus == (exact > 3)


class TestWantsCsv:
    @pytest.mark.parametrize(
        ("format_", "accept", "csv_wanted"),
        [
            (None, None, False),
            (None, "*/*", False),
            (None, "text/csv", True),
            (None, "text/csv;q=0.9, application/json", False),
            (None, "application/json;q=0.1, text/*", True),
            (None, "text/csv;q=0", False),
            (None, "text/html", False),
            ("csv", "application/json", True),
            ("json", "text/csv", False),
        ],
    )
    def test_the_format_parameter_then_the_accept_header_decide(
        self, format_: str | None, accept: str | None, csv_wanted: bool
    ) -> None:
        assert wants_csv(format_, accept) is csv_wanted
