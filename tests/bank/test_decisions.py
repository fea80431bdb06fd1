"""Deciding bank lines by hand over HTTP: matching, posting the contribution a line shows,
ignoring; and the statement naming the line behind a contribution."""

import uuid

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.ledger.models import LedgerTransaction, TransactionKind
from tests.bank.conftest import STATEMENT_CSV, Books, import_csv, lines
from tests.helpers import ok, problem


async def line_of(client: httpx.AsyncClient, books: Books, description: str) -> dict[str, object]:
    return next(line for line in await lines(client, books) if line["description"] == description)


async def contributions(session: AsyncSession) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(LedgerTransaction)
        .where(LedgerTransaction.kind == TransactionKind.contribution)
    )
    return int(found or 0)


async def post(
    client: httpx.AsyncClient, books: Books, line_id: object, action: str, body: dict[str, str]
) -> httpx.Response:
    return await client.post(
        books.url(f"/bank/lines/{line_id}/{action}"), json=body, headers=books.admin.headers
    )


class TestMatch:
    async def test_an_administrator_matches_an_ambiguous_line_and_it_stays_matched(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        first, second = [
            line
            for line in await lines(client, books, "unmatched")
            if line["amount_pence"] == -1_000
        ]
        response = await post(
            client, books, first["id"], "match", {"transaction_id": str(books.refund_gwen_1000)}
        )
        assert response.status_code == 200, response.text
        assert response.json()["state"] == "matched"
        assert response.json()["method"] == "manual"
        assert response.json()["transaction_id"] == str(books.refund_gwen_1000)
        assert response.json()["decided_by_user_id"] == str(books.admin.id)
        matched = {line["id"] for line in await lines(client, books, "matched")}
        assert first["id"] in matched
        assert second["id"] not in matched

    async def test_amount_or_direction_that_disagree_is_a_mismatch(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        interest = await line_of(client, books, "Llog")
        for transaction in (books.refund_gwen_1000, books.contribution_gwen):
            response = await post(
                client, books, interest["id"], "match", {"transaction_id": str(transaction)}
            )
            problem(response, 422, "match_mismatch")
        assert (await line_of(client, books, "Llog"))["state"] == "unmatched"

    async def test_a_line_or_a_transaction_already_matched_is_a_conflict(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        gwen = await line_of(client, books, "Taliad gan Gwenllïan i ŵyr")
        response = await post(
            client, books, gwen["id"], "match", {"transaction_id": str(books.contribution_gwen)}
        )
        problem(response, 409, "already_matched")
        first, second = [
            line
            for line in await lines(client, books, "unmatched")
            if line["amount_pence"] == -1_000
        ]
        body = {"transaction_id": str(books.refund_dafydd_1000)}
        ok(await post(client, books, first["id"], "match", body))
        problem(await post(client, books, second["id"], "match", body), 409, "already_matched")

    async def test_a_transaction_of_another_coop_or_none_is_not_found(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        fee = await line_of(client, books, "Tâl banc")
        response = await post(
            client, books, fee["id"], "match", {"transaction_id": str(uuid.uuid4())}
        )
        problem(response, 404, "not_found")

    async def test_only_the_coops_administrators_decide(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        fee = await line_of(client, books, "Tâl banc")
        response = await client.post(
            books.url(f"/bank/lines/{fee['id']}/ignore"),
            json={"reason": "Bank charge"},
            headers=books.gwen.headers,
        )
        problem(response, 403, "forbidden")
        lines_as_member = await client.get(books.url("/bank/lines"), headers=books.gwen.headers)
        problem(lines_as_member, 403, "forbidden")


class TestIgnore:
    async def test_an_ignored_line_keeps_its_reason_and_is_decided_once(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        fee = await line_of(client, books, "Tâl banc")
        response = await post(client, books, fee["id"], "ignore", {"reason": "Tâl y banc"})
        assert response.status_code == 200, response.text
        assert (response.json()["state"], response.json()["reason"]) == ("ignored", "Tâl y banc")
        assert [line["id"] for line in await lines(client, books, "ignored")] == [fee["id"]]
        again = await post(client, books, fee["id"], "ignore", {"reason": "Again"})
        problem(again, 409, "line_ignored")
        matching = await post(
            client, books, fee["id"], "match", {"transaction_id": str(books.refund_4050)}
        )
        problem(matching, 409, "line_ignored")
        gwen = await line_of(client, books, "Taliad gan Gwenllïan i ŵyr")
        problem(
            await post(client, books, gwen["id"], "ignore", {"reason": "x"}), 409, "already_matched"
        )


NEW_MONEY = "date,description,amount,reference\n2026-03-02,Trosglwyddiad Gwenllïan,75.00,Ebrill\n"


class TestCreateContribution:
    async def test_posts_the_contribution_the_line_shows_once(
        self, client: httpx.AsyncClient, session: AsyncSession, books: Books
    ) -> None:
        ok(await import_csv(client, books, NEW_MONEY))
        (line,) = await lines(client, books)
        before = await contributions(session)
        body = {"member_id": str(books.gwen_member)}
        first = await post(client, books, line["id"], "create-contribution", body)
        assert first.status_code == 201, first.text
        transaction = first.json()
        assert transaction["kind"] == "contribution"
        assert transaction["memo"] == "Ebrill"
        assert transaction["source"] == "direct_payment"
        assert sorted((p["account"], p["amount_pence"]) for p in transaction["postings"]) == [
            ("external:deposits", -7_500),
            (f"member:{books.gwen_member}", 7_500),
        ]
        second = await post(client, books, line["id"], "create-contribution", body)
        assert second.status_code == 200, second.text
        assert second.json() == transaction
        assert await contributions(session) == before + 1
        (matched,) = await lines(client, books, "matched")
        assert (matched["transaction_id"], matched["method"]) == (transaction["id"], "contribution")

    async def test_the_statement_names_the_bank_line_behind_each_contribution(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        more = "2026-03-02,Trosglwyddiad Gwenllïan,75.00,Ebrill,\n"
        ok(await import_csv(client, books, STATEMENT_CSV + more))
        new = await line_of(client, books, "Trosglwyddiad Gwenllïan")
        posted = ok(
            await post(
                client,
                books,
                new["id"],
                "create-contribution",
                {"member_id": str(books.gwen_member)},
            )
        ).json()
        auto = await line_of(client, books, "Taliad gan Gwenllïan i ŵyr")
        refund = await line_of(client, books, "Ad-daliad i Gwenllïan")
        statement = ok(
            await client.get(
                books.url(f"/members/{books.gwen_member}/statement"), headers=books.gwen.headers
            )
        ).json()
        behind = {m["transaction_id"]: m["bank_line_id"] for m in statement["movements"]}
        assert behind == {
            str(books.contribution_gwen): auto["id"],
            str(books.refund_4050): refund["id"],
            str(books.refund_gwen_1000): None,
            posted["id"]: new["id"],
        }
        as_csv = await client.get(
            books.url(f"/members/{books.gwen_member}/statement"),
            params={"format": "csv"},
            headers=books.gwen.headers,
        )
        assert f'"{new["id"]}"' in as_csv.content.decode("utf-8-sig")

    async def test_money_out_or_a_line_matched_elsewhere_is_refused_and_posts_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        before = await contributions(session)
        body = {"member_id": str(books.gwen_member)}
        fee = await line_of(client, books, "Tâl banc")
        problem(
            await post(client, books, fee["id"], "create-contribution", body), 422, "match_mismatch"
        )
        gwen = await line_of(client, books, "Taliad gan Gwenllïan i ŵyr")
        problem(
            await post(client, books, gwen["id"], "create-contribution", body),
            409,
            "already_matched",
        )
        assert await contributions(session) == before

    async def test_the_contribution_rules_apply_and_a_refusal_leaves_the_line_open(
        self, client: httpx.AsyncClient, session: AsyncSession, books: Books
    ) -> None:
        # Four weeks of a 50,000 award is 200,000; 25,000 is in already.
        big = "date,description,amount\n2026-03-02,Lump sum,1800.00\n"
        ok(await import_csv(client, books, big))
        (line,) = await lines(client, books)
        before = await contributions(session)
        response = await post(
            client, books, line["id"], "create-contribution", {"member_id": str(books.gwen_member)}
        )
        problem(response, 422, "exceeds_direct_payment")
        top_up = await post(
            client,
            books,
            line["id"],
            "create-contribution",
            {"member_id": str(books.gwen_member), "source": "top_up"},
        )
        assert top_up.status_code == 201, top_up.text
        assert top_up.json()["source"] == "top_up"
        assert await contributions(session) == before + 1
        unknown = await post(
            client, books, line["id"], "create-contribution", {"member_id": str(uuid.uuid4())}
        )
        # Already posted from this line: the same answer, whoever is named now.
        assert unknown.status_code == 200
