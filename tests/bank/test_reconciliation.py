"""The reconciliation, every figure to the penny, as the lines are matched and ignored."""

import httpx

from tests.bank.conftest import STATEMENT_CSV, Books, import_csv, lines
from tests.helpers import ok, problem

FIELDS = (
    "bank_balance_pence",
    "ledger_bank_pence",
    "unmatched_in_pence",
    "unmatched_out_pence",
    "difference_pence",
)


async def figures(client: httpx.AsyncClient, books: Books, at: str) -> tuple[int, ...]:
    response = ok(
        await client.get(
            books.url("/bank/reconciliation"), params={"at": at}, headers=books.admin.headers
        )
    )
    body = response.json()
    assert body["at"] == at
    return tuple(body[name] for name in FIELDS)


class TestReconciliation:
    async def test_every_figure_as_the_lines_are_explained(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        # Before any line and any transaction.
        assert await figures(client, books, "2026-03-01") == (0, 0, 0, 0, 0)
        # The bank has only Gwenllïan's 250.00 (matched); the ledger has the whole day.
        assert await figures(client, books, "2026-03-02") == (25_000, 31_295, 0, 0, -6_295)
        # Both 10.00 refunds are out of the bank, their lines not yet matched.
        assert await figures(client, books, "2026-03-05") == (31_295, 31_295, 0, 2_000, 2_000)
        # 308.02 in the bank; interest of 0.07 in and a charge of 5.00 out unexplained too.
        assert await figures(client, books, "2026-03-31") == (30_802, 31_295, 7, 2_500, 2_000)
        refunds = [
            line
            for line in await lines(client, books, "unmatched")
            if line["amount_pence"] == -1_000
        ]
        for line, transaction in zip(
            refunds, (books.refund_gwen_1000, books.refund_dafydd_1000), strict=True
        ):
            ok(
                await client.post(
                    books.url(f"/bank/lines/{line['id']}/match"),
                    json={"transaction_id": str(transaction)},
                    headers=books.admin.headers,
                )
            )
        # What is left unmatched is exactly the gap: the difference is nothing.
        assert await figures(client, books, "2026-03-31") == (30_802, 31_295, 7, 500, 0)
        for line in await lines(client, books, "unmatched"):
            ok(
                await client.post(
                    books.url(f"/bank/lines/{line['id']}/ignore"),
                    json={"reason": "The bank's own"},
                    headers=books.admin.headers,
                )
            )
        # Set aside, they no longer explain the gap.
        assert await figures(client, books, "2026-03-31") == (30_802, 31_295, 0, 0, -493)

    async def test_without_running_balances_the_bank_is_the_sum_of_its_lines(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        body = (
            "date,description,amount,balance\n"
            "2026-03-02,Taliad DPC-0001,250.00,1250.00\n"
            "2026-03-03,Ad-daliad,-40.50,\n"
            "2026-04-01,Later,1.00,\n"
        )
        ok(await import_csv(client, books, body))
        # The last line to 2 March carries a balance; the last to 3 March does not.
        assert (await figures(client, books, "2026-03-02"))[0] == 125_000
        assert await figures(client, books, "2026-03-03") == (20_950, 31_295, 0, 0, -10_345)

    async def test_is_for_administrators_and_the_day_is_checked(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        url = books.url("/bank/reconciliation")
        problem(await client.get(url, headers=books.gwen.headers), 403, "forbidden")
        problem(await client.get(url, headers=books.elsewhere.headers), 404, "not_found")
        bad = await client.get(url, params={"at": "31/03/2026"}, headers=books.admin.headers)
        problem(bad, 422, "validation_error")
        today = ok(await client.get(url, headers=books.admin.headers)).json()
        assert today["at"] == "2026-03-02"
