"""The bank and desk pages over plain HTTP, as a browser without scripts uses them: they do
what the API does (the same lines, matches and figures), refuse what it refuses, keep nothing
a refused form did, and show no other co-op's lines or requests."""

import re
import uuid
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.ledger.models import LedgerTransaction
from app.support.models import SupportComment
from app.web.rendering import money
from tests.factories import (
    DEFAULT_PASSWORD,
    Person,
    contribute,
    create_coop,
    join_coop,
    raise_support_request,
    register_person,
    request_refund,
    set_direct_payment,
)
from tests.helpers import ok
from tests.replay import replayed
from tests.web.pages import csrf_of, post_form, sign_in


def csv_statement(rows: list[tuple[date, str, int, str]]) -> bytes:
    """A bank's CSV export: date, description, amount in pounds (signed), reference."""
    lines = ["date,description,amount,reference"]
    for day, description, pence, reference in rows:
        pounds = f"{'-' if pence < 0 else ''}{abs(pence) // 100}.{abs(pence) % 100:02d}"
        lines.append(f"{day.isoformat()},{description},{pounds},{reference}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def ofx_statement(rows: list[tuple[date, str, int, str]]) -> bytes:
    """An OFX 1.02 (SGML) statement in GBP, as UK banks export it: each row's last field is
    the bank's own id for the line (FITID)."""
    entries = "".join(
        "<STMTTRN>\n"
        f"<TRNTYPE>{'CREDIT' if pence > 0 else 'DEBIT'}\n"
        f"<DTPOSTED>{day:%Y%m%d}\n"
        f"<TRNAMT>{'-' if pence < 0 else ''}{abs(pence) // 100}.{abs(pence) % 100:02d}\n"
        f"<FITID>{fitid}\n"
        f"<NAME>{name}\n"
        "</STMTTRN>\n"
        for day, name, pence, fitid in rows
    )
    return (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
        "<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n"
        "<DTSERVER>20260331120000[0:GMT]\n<LANGUAGE>ENG\n</SONRS>\n</SIGNONMSGSRSV1>\n"
        "<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n"
        "<STMTRS>\n<CURDEF>GBP\n<BANKACCTFROM>\n<BANKID>309634\n<ACCTID>12345678\n"
        "<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n<BANKTRANLIST>\n<DTSTART>20260301\n"
        f"<DTEND>20260331\n{entries}</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n"
        "</BANKMSGSRSV1>\n</OFX>\n"
    ).encode("ascii")


MARCH_2 = date(2026, 3, 2)
# Gwen's contribution shown by its reference (matched by the import), Dafydd's without one
# (to match by hand), cash nobody recorded, two lines that could each be either refund of
# 10.00, and a bank charge.
STATEMENT = [
    (MARCH_2, "Taliad gan Gwenllïan", 25_000, "DPC-0001"),
    (MARCH_2, "BACS D LLYR", 12_345, ""),
    (date(2026, 3, 3), "Arian parod", 3_000, ""),
    (date(2026, 3, 3), "Ad-daliad", -1_000, ""),
    (date(2026, 3, 3), "Ad-daliad", -1_000, ""),
    (date(2026, 3, 4), "Tâl banc", -500, ""),
]


@dataclass
class Bank:
    """A co-op with two holders' contributions and two refunds of 10.00 in its ledger (all on
    2 March 2026), its administrator signed in to the pages, a member who is not one, and
    another co-op with a line of its own."""

    coop: uuid.UUID
    admin: Person
    gwen: Person
    gwen_member: uuid.UUID
    dafydd_contribution: str
    refunds: list[str]
    elsewhere: Person
    other_coop: uuid.UUID
    other_line: str

    def page(self, path: str = "") -> str:
        return f"/coops/{self.coop}/bank{path}"

    def api(self, path: str = "") -> str:
        return f"/api/v1/coops/{self.coop}/bank{path}"


@pytest.fixture
async def bank(
    client: httpx.AsyncClient, connection: AsyncConnection, app: FastAPI, browser: httpx.AsyncClient
) -> Bank:
    """The same books in every test: built once per backend, then their rows written back
    (tests.replay); the treasurer signs in to the browser."""
    built = await replayed("web.bank", connection, app, lambda: build_bank(client))
    await sign_in(browser, built.admin.email, DEFAULT_PASSWORD)
    return built


async def build_bank(client: httpx.AsyncClient) -> Bank:
    admin = await register_person(client, full_name="Trysorydd")
    coop = await create_coop(client, admin, refund_second_approval_pence=1_000_000)
    gwen = await register_person(client, full_name="Gwenllïan ap Rhys")
    gwen_member = await join_coop(client, coop, gwen, admin)
    await set_direct_payment(client, gwen, weekly_amount_pence=50_000)
    dafydd = await register_person(client, full_name="Dafydd Llŷr")
    dafydd_member = await join_coop(client, coop, dafydd, admin)
    await set_direct_payment(client, dafydd, weekly_amount_pence=50_000)
    ok(await contribute(client, coop, gwen, amount_pence=25_000, reference="DPC-0001"))
    paid = ok(await contribute(client, coop, dafydd, amount_pence=12_345, reference="March"))
    refunds = []
    for member in (gwen_member, dafydd_member):
        refund = ok(await request_refund(client, coop, admin, member_id=member, amount_pence=1_000))
        refunds.append(refund.json()["transaction_id"])
    elsewhere = await register_person(client, full_name="Elsewhere")
    other = await create_coop(client, elsewhere, name="Cwmni Arall")
    ok(
        await client.post(
            f"/api/v1/coops/{other}/bank/statements",
            content=csv_statement([(MARCH_2, "Llog", 7, "")]),
            headers={**elsewhere.headers, "Content-Type": "text/csv"},
        )
    )
    other_lines = ok(
        await client.get(f"/api/v1/coops/{other}/bank/lines", headers=elsewhere.headers)
    )
    return Bank(
        coop=coop,
        admin=admin,
        gwen=gwen,
        gwen_member=gwen_member,
        dafydd_contribution=paid.json()["id"],
        refunds=refunds,
        elsewhere=elsewhere,
        other_coop=other,
        other_line=other_lines.json()["items"][0]["id"],
    )


def imported(response: httpx.Response) -> httpx.Response:
    """Assert an arranging upload was taken: the form answers by sending the browser on."""
    assert response.status_code == 303, f"{response.status_code}: {response.text}"
    assert "imported=" in response.headers["location"]
    return response


async def upload(
    browser: httpx.AsyncClient,
    bank: Bank,
    body: bytes,
    *,
    name: str = "march.csv",
    media_type: str = "text/csv",
    token: bool = True,
) -> httpx.Response:
    """Post the upload form as a browser does: multipart, the file and the form's token."""
    shown = await browser.get(bank.page())
    data = {"csrf_token": csrf_of(shown.text)} if token else {}
    return await browser.post(
        bank.page("/statements"), data=data, files={"statement": (name, body, media_type)}
    )


async def api_lines(
    client: httpx.AsyncClient, bank: Bank, state: str | None = None
) -> list[dict[str, object]]:
    params = {"limit": "200", **({"state": state} if state else {})}
    answer = ok(await client.get(bank.api("/lines"), params=params, headers=bank.admin.headers))
    items: list[dict[str, object]] = answer.json()["items"]
    return items


def line_id(lines: list[dict[str, object]], description: str, n: int = 0) -> str:
    return str([line["id"] for line in lines if line["description"] == description][n])


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


class TestUploadingAStatement:
    async def test_a_csv_is_imported_and_matched_as_the_api_imports_it(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        answer = await upload(browser, bank, csv_statement(STATEMENT))
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == bank.page("?imported=6&duplicates=0&matched=1")
        lines = await api_lines(client, bank)
        assert len(lines) == len(STATEMENT)
        assert [line["description"] for line in lines if line["state"] == "matched"] == [
            "Taliad gan Gwenllïan"
        ]
        shown = await browser.get(answer.headers["location"])
        assert "6 new lines imported, 1 of them matched at once; 0 lines" in shown.text

    async def test_the_same_file_again_imports_nothing(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        imported(await upload(browser, bank, csv_statement(STATEMENT)))
        again = await upload(browser, bank, csv_statement(STATEMENT))
        assert again.headers["location"] == bank.page("?imported=0&duplicates=6&matched=0")
        assert len(await api_lines(client, bank)) == len(STATEMENT)

    async def test_an_ofx_file_is_told_by_its_content_whatever_its_name_and_type(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        body = ofx_statement([(MARCH_2, "GWENLLIAN DPC-0001", 25_000, "F1")])
        answer = await upload(
            browser, bank, body, name="download", media_type="application/octet-stream"
        )
        assert answer.headers["location"] == bank.page("?imported=1&duplicates=0&matched=1")
        [line] = await api_lines(client, bank)
        assert line["bank_id"] == "309634/12345678:F1"

    async def test_a_faulty_file_is_refused_whole_each_fault_named_by_its_line(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        body = csv_statement(STATEMENT).replace(b"2026-03-04", b"04/03/2026")
        refused = await upload(browser, bank, body)
        assert refused.status_code == 422
        assert "Line 7, date: A day written YYYY-MM-DD." in refused.text
        assert 'href="#field-statement"' in refused.text
        assert 'aria-invalid="true"' in refused.text
        assert await api_lines(client, bank) == []

    async def test_a_form_without_a_file_is_refused(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        refused = await post_form(browser, bank.page(), bank.page("/statements"), {})
        assert refused.status_code == 422
        assert "Choose the statement file to upload." in refused.text
        assert await api_lines(client, bank) == []

    async def test_an_upload_without_the_form_token_is_refused_and_stores_nothing(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        refused = await upload(browser, bank, csv_statement(STATEMENT), token=False)
        assert refused.status_code == 403
        assert await api_lines(client, bank) == []

    async def test_a_member_who_is_not_an_administrator_may_not_upload(
        self, client: httpx.AsyncClient, app: FastAPI, bank: Bank
    ) -> None:
        transport = httpx.ASGITransport(app=app, client=("203.0.113.21", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="https://test") as member:
            await sign_in(member, bank.gwen.email, DEFAULT_PASSWORD)
            shown = await member.get("/account")
            refused = await member.post(
                bank.page("/statements"),
                data={"csrf_token": csrf_of(shown.text)},
                files={"statement": ("march.csv", csv_statement(STATEMENT), "text/csv")},
            )
            assert refused.status_code == 403
            assert (await member.get(bank.page())).status_code == 403
        assert await api_lines(client, bank) == []


class TestTheMonth:
    async def test_the_figures_are_the_apis_reconciliation_at_the_months_end_so_far(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        imported(await upload(browser, bank, csv_statement(STATEMENT)))
        # The test clock stands on 2 March 2026: the month is reconciled at today's end.
        figures = ok(
            await client.get(
                bank.api("/reconciliation"), params={"at": "2026-03-02"}, headers=bank.admin.headers
            )
        ).json()
        shown = await browser.get(bank.page("?month=2026-03"))
        assert "at the end of 2 March 2026" in shown.text
        listed = re.findall(r"<dd>(?:<strong>)?([^<]+)", shown.text)
        for name in (
            "bank_balance_pence",
            "ledger_bank_pence",
            "unmatched_in_pence",
            "unmatched_out_pence",
            "difference_pence",
        ):
            assert money(figures[name]) in listed, name

    async def test_a_past_month_counts_its_own_lines_only(
        self, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        imported(await upload(browser, bank, csv_statement(STATEMENT)))
        february = await browser.get(bank.page("?month=2026-02"))
        assert "at the end of 28 February 2026" in february.text
        rows = re.findall(r'data-label="Lines">(\d+)<', february.text)
        assert rows == ["0", "0", "0"]
        march = await browser.get(bank.page("?month=2026-03"))
        assert re.findall(r'data-label="Lines">(\d+)<', march.text) == ["5", "1", "0"]

    async def test_a_month_not_written_as_one_is_shown_as_the_fields_error(
        self, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        shown = await browser.get(bank.page("?month=March"))
        assert shown.status_code == 200
        assert 'href="#field-month"' in shown.text
        assert "Enter a month as year-month" in shown.text


class TestDecidingALine:
    async def test_two_lines_either_refund_could_be_each_suggest_both_until_one_is_confirmed(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        imported(await upload(browser, bank, csv_statement(STATEMENT)))
        listed = await browser.get(bank.page("/lines?state=unmatched"))
        for refund in bank.refunds:
            assert listed.text.count(f'name="transaction_id" value="{refund}"') == 2
        first = line_id(await api_lines(client, bank), "Ad-daliad")
        confirmed = await browser.post(
            bank.page(f"/lines/{first}/match"),
            data={
                "csrf_token": csrf_of(listed.text),
                "transaction_id": bank.refunds[0],
                "back": bank.page("/lines?state=unmatched"),
            },
        )
        assert confirmed.status_code == 303
        assert confirmed.headers["location"] == bank.page("/lines?state=unmatched&done=matched")
        [matched] = [line for line in await api_lines(client, bank) if line["id"] == first]
        assert matched["transaction_id"] == bank.refunds[0]
        assert matched["method"] == "manual"
        listed = await browser.get(confirmed.headers["location"])
        assert f'value="{bank.refunds[0]}"' not in listed.text
        assert listed.text.count(f'name="transaction_id" value="{bank.refunds[1]}"') == 1

    async def test_a_line_is_matched_by_hand_to_a_transaction_of_its_amount(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        imported(await upload(browser, bank, csv_statement(STATEMENT)))
        line = line_id(await api_lines(client, bank), "BACS D LLYR")
        shown = await browser.get(bank.page(f"/lines/{line}"))
        assert f'<option value="{bank.dafydd_contribution}"' in shown.text
        answer = await post_form(
            browser,
            bank.page(f"/lines/{line}"),
            bank.page(f"/lines/{line}/match"),
            {"transaction_id": bank.dafydd_contribution},
        )
        assert answer.headers["location"] == bank.page(f"/lines/{line}?done=matched")
        [matched] = [x for x in await api_lines(client, bank) if x["id"] == line]
        assert (matched["transaction_id"], matched["method"]) == (
            bank.dafydd_contribution,
            "manual",
        )

    async def test_a_transaction_of_another_amount_is_refused_beside_the_field(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        imported(await upload(browser, bank, csv_statement(STATEMENT)))
        line = line_id(await api_lines(client, bank), "BACS D LLYR")
        refused = await post_form(
            browser,
            bank.page(f"/lines/{line}"),
            bank.page(f"/lines/{line}/match"),
            {"transaction_id": bank.refunds[0]},
        )
        assert refused.status_code == 422
        assert 'href="#field-transaction_id"' in refused.text
        assert len(await api_lines(client, bank, "unmatched")) == 5

    async def test_the_contribution_a_line_shows_is_posted_once_however_often_it_is_sent(
        self,
        client: httpx.AsyncClient,
        browser: httpx.AsyncClient,
        bank: Bank,
        session: AsyncSession,
    ) -> None:
        imported(await upload(browser, bank, csv_statement(STATEMENT)))
        line = line_id(await api_lines(client, bank), "Arian parod")
        before = await count(session, LedgerTransaction)
        form = {"member_id": str(bank.gwen_member), "source": "top_up"}
        for _ in range(2):
            answer = await post_form(
                browser,
                bank.page(f"/lines/{line}"),
                bank.page(f"/lines/{line}/create-contribution"),
                form,
            )
            assert answer.status_code == 303
        assert await count(session, LedgerTransaction) == before + 1
        [posted] = [x for x in await api_lines(client, bank) if x["id"] == line]
        assert posted["method"] == "contribution"
        shown = await browser.get(bank.page(f"/lines/{line}?done=contributed"))
        assert "The contribution is posted" in shown.text

    async def test_a_line_is_ignored_only_with_a_reason(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        imported(await upload(browser, bank, csv_statement(STATEMENT)))
        line = line_id(await api_lines(client, bank), "Tâl banc")
        page = bank.page(f"/lines/{line}")
        refused = await post_form(browser, page, bank.page(f"/lines/{line}/ignore"), {})
        assert refused.status_code == 422
        assert 'href="#field-reason"' in refused.text
        assert await api_lines(client, bank, "ignored") == []
        done = await post_form(
            browser, page, bank.page(f"/lines/{line}/ignore"), {"reason": "Bank charge"}
        )
        assert done.status_code == 303
        [ignored] = await api_lines(client, bank, "ignored")
        assert (ignored["id"], ignored["reason"]) == (line, "Bank charge")

    @pytest.mark.parametrize(
        ("action", "fields"),
        [
            ("", None),
            ("/match", {"transaction_id": "refund"}),
            ("/ignore", {"reason": "Not ours"}),
            ("/create-contribution", {"member_id": "gwen"}),
        ],
    )
    async def test_another_coops_line_does_not_exist_here(
        self,
        client: httpx.AsyncClient,
        browser: httpx.AsyncClient,
        bank: Bank,
        action: str,
        fields: dict[str, str] | None,
    ) -> None:
        path = bank.page(f"/lines/{bank.other_line}{action}")
        if fields is None:
            answer = await browser.get(path)
        else:
            values = {"refund": bank.refunds[0], "gwen": str(bank.gwen_member)}
            sent = {k: values.get(v, v) for k, v in fields.items()}
            answer = await post_form(browser, bank.page(), path, sent)
        assert answer.status_code == 404
        theirs = ok(
            await client.get(
                f"/api/v1/coops/{bank.other_coop}/bank/lines", headers=bank.elsewhere.headers
            )
        )
        assert [line["state"] for line in theirs.json()["items"]] == ["unmatched"]


class TestTheDesk:
    async def test_the_desk_answers_a_request_and_moves_it_on(
        self,
        client: httpx.AsyncClient,
        browser: httpx.AsyncClient,
        bank: Bank,
        session: AsyncSession,
    ) -> None:
        asked = await raise_support_request(client, bank.coop, bank.gwen.headers)
        listed = await browser.get(f"/coops/{bank.coop}/desk")
        assert f'href="/coops/{bank.coop}/desk/{asked}"' in listed.text
        assert "Gwenllïan ap Rhys" in listed.text
        page = f"/coops/{bank.coop}/desk/{asked}"
        refused = await post_form(browser, page, f"{page}/comments", {})
        assert refused.status_code == 422
        assert await count(session, SupportComment) == 0
        answered = await post_form(
            browser, page, f"{page}/comments", {"body": "We send it on Thursday."}
        )
        assert answered.headers["location"] == f"{page}?done=answered"
        moved = await post_form(browser, page, page, {"status": "in_progress"})
        assert moved.status_code == 303
        seen = ok(
            await client.get(
                f"/api/v1/coops/{bank.coop}/support/requests/{asked}", headers=bank.gwen.headers
            )
        ).json()
        assert seen["status"] == "in_progress"
        assert [c["body"] for c in seen["comments"]] == ["We send it on Thursday."]
        assert (await browser.get(f"/coops/{bank.coop}/desk")).text.count(str(asked)) == 0
        assert str(asked) in (await browser.get(f"/coops/{bank.coop}/desk?status=in_progress")).text

    async def test_another_coops_request_does_not_exist_here(
        self, client: httpx.AsyncClient, browser: httpx.AsyncClient, bank: Bank
    ) -> None:
        elsewhere = await register_person(client, full_name="Elsewhere Member")
        other = await create_coop(client, elsewhere, name="Cwmni Arall Eto")
        theirs = await raise_support_request(client, other, elsewhere.headers)
        answer = await browser.get(f"/coops/{bank.coop}/desk/{theirs}")
        assert answer.status_code == 404
        posted = await post_form(
            browser,
            f"/coops/{bank.coop}/desk",
            f"/coops/{bank.coop}/desk/{theirs}/comments",
            {"body": "Hello"},
        )
        assert posted.status_code == 404
