"""Importing bank statements over HTTP: CSV and OFX, duplicates, automatic matches, and
files refused whole."""

import uuid

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.bank.models import BankLine, BankLineDecision, BankStatement
from tests.bank.conftest import STATEMENT_CSV, Books, import_csv, lines
from tests.factories import create_coop, register_person
from tests.helpers import ok, problem


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def stored(session: AsyncSession) -> tuple[int, int, int, int]:
    return (
        await count(session, BankStatement),
        await count(session, BankLine),
        await count(session, BankLineDecision),
        int(
            await session.scalar(
                select(func.count()).where(AuditEntry.action == "bank.statement_imported")
            )
            or 0
        ),
    )


class TestCsvImport:
    async def test_imports_welsh_lines_to_the_penny_and_matches_where_one_transaction_fits(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        response = await import_csv(client, books, STATEMENT_CSV)
        assert response.status_code == 200, response.text
        assert response.json() == {"imported": 7, "duplicates": 0, "matched": 3}
        by_description = {line["description"]: line for line in await lines(client, books)}
        gwen = by_description["Taliad gan Gwenllïan i ŵyr"]
        assert (gwen["amount_pence"], gwen["balance_pence"], gwen["date"]) == (
            25_000,
            25_000,
            "2026-03-02",
        )
        assert (gwen["state"], gwen["method"]) == ("matched", "automatic")
        assert gwen["transaction_id"] == str(books.contribution_gwen)
        # The reference is found in the description, letter case aside.
        dafydd = by_description["DAFYDD LLŶR DPC-0002 â diolch"]
        assert (dafydd["amount_pence"], dafydd["transaction_id"]) == (
            12_345,
            str(books.contribution_dafydd),
        )
        refund = by_description["Ad-daliad i Gwenllïan"]
        assert (refund["amount_pence"], refund["transaction_id"]) == (
            -4_050,
            str(books.refund_4050),
        )
        unmatched = await lines(client, books, "unmatched")
        # Either 10.00 line could be either refund of 10.00: both are left for a person.
        assert sorted((line["description"], line["amount_pence"]) for line in unmatched) == [
            ("Ad-daliad", -1_000),
            ("Ad-daliad", -1_000),
            ("Llog", 7),
            ("Tâl banc", -500),
        ]
        assert all(line["transaction_id"] is None for line in unmatched)

    async def test_the_same_file_again_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        before = await stored(session)
        again = await import_csv(client, books, STATEMENT_CSV)
        assert again.status_code == 200, again.text
        assert again.json() == {"imported": 0, "duplicates": 7, "matched": 0}
        assert await stored(session) == before

    async def test_an_overlapping_file_imports_only_its_new_lines(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_csv(client, books, STATEMENT_CSV))
        later = (
            "date,description,amount,reference,balance\n"
            "2026-03-20,Tâl banc,-5.00,,308.02\n"
            "2026-03-21,Taliad arall,1.00,,309.02\n"
        )
        response = await import_csv(client, books, later)
        assert response.json() == {"imported": 1, "duplicates": 1, "matched": 0}
        assert len(await lines(client, books)) == 8

    async def test_identical_lines_are_duplicates_only_as_many_times_as_they_exist(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        once = "date,description,amount_pence\n2026-03-09,Arian parod,300\n"
        ok(await import_csv(client, books, once))
        twice = once + "2026-03-09,Arian parod,300\n"
        response = await import_csv(client, books, twice)
        assert response.json() == {"imported": 1, "duplicates": 1, "matched": 0}
        thrice = twice + "2026-03-09,Arian parod,300\n"
        response = await import_csv(client, books, thrice)
        assert response.json() == {"imported": 1, "duplicates": 2, "matched": 0}
        assert len(await lines(client, books)) == 3

    async def test_a_newest_first_export_is_read_as_the_money_moved(
        self, client: httpx.AsyncClient, session: AsyncSession, books: Books
    ) -> None:
        newest_first = (
            "date,description,amount_pence,balance\n"
            "2026-03-05,Three,-100,1900\n"
            "2026-03-05,Two,500,2000\n"
            "2026-03-05,One,1500,1500\n"
        )
        ok(await import_csv(client, books, newest_first))
        order = (
            await session.scalars(select(BankLine.description).order_by(BankLine.position))
        ).all()
        assert order == ["One", "Two", "Three"]

    async def test_amount_pence_and_a_sign_written_plus_are_taken(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        body = "Date, Description ,Amount_Pence,Balance\n2026-03-09,Cash,+1250,+1250\n"
        assert (await import_csv(client, books, body)).json()["imported"] == 1
        (line,) = await lines(client, books)
        assert (line["amount_pence"], line["balance_pence"]) == (1_250, 1_250)


class TestOfxImport:
    async def test_an_ofx_1_sgml_export_is_imported_by_its_fitids(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        response = await import_ofx(client, books, OFX_SGML)
        assert response.status_code == 200, response.text
        assert response.json() == {"imported": 3, "duplicates": 0, "matched": 2}
        again = await import_ofx(client, books, OFX_SGML)
        assert again.json() == {"imported": 0, "duplicates": 3, "matched": 0}
        by_amount = {line["amount_pence"]: line for line in await lines(client, books)}
        assert by_amount[25_000]["transaction_id"] == str(books.contribution_gwen)
        assert by_amount[25_000]["reference"] == "DPC-0001"
        assert by_amount[25_000]["bank_id"] == "309634/12345678:202603020001"
        assert by_amount[-4_050]["transaction_id"] == str(books.refund_4050)
        assert by_amount[-4_050]["date"] == "2026-03-04"
        assert by_amount[-500]["state"] == "unmatched"

    async def test_an_ofx_2_xml_export_keeps_welsh_letters(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        response = await import_ofx(client, books, OFX_XML)
        assert response.status_code == 200, response.text
        assert response.json() == {"imported": 1, "duplicates": 0, "matched": 1}
        (line,) = await lines(client, books)
        assert line["description"] == "DAFYDD LLŶR â'i ŵyr"
        assert line["transaction_id"] == str(books.contribution_dafydd)

    async def test_the_same_fitid_in_a_file_with_other_text_is_a_duplicate(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        ok(await import_ofx(client, books, OFX_SGML))
        renamed = OFX_SGML.replace(b"<NAME>BANK CHARGE", b"<NAME>CHARGES")
        response = await import_ofx(client, books, renamed)
        assert response.json() == {"imported": 0, "duplicates": 3, "matched": 0}


class TestRefused:
    async def test_a_malformed_csv_names_each_line_and_field_and_imports_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, books: Books
    ) -> None:
        bad = (
            "date,description,amount,balance\n"
            "2026-03-02,Fine,1.00,1.00\n"
            "02/03/2026,Bad date,1.00,2.00\n"
            "2026-03-03,Bad amount,1.5,\n"
            "2026-03-03,,2.00,4.00\n"
            "2026-03-03,Zero,0.00,\n"
            "2026-03-03,Bad balance,1.00,£3\n"
        )
        body = problem(await import_csv(client, books, bad), 422, "validation_error")
        assert [e["loc"] for e in body["errors"]] == [
            ["body", 3, "date"],
            ["body", 4, "amount"],
            ["body", 5, "description"],
            ["body", 6, "amount"],
            ["body", 7, "balance"],
        ]
        assert await stored(session) == (0, 0, 0, 0)

    async def test_both_amount_columns_are_refused(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        body = problem(
            await import_csv(
                client, books, "date,description,amount,amount_pence\n2026-03-02,X,1.00,100\n"
            ),
            422,
            "validation_error",
        )
        assert body["errors"][0]["loc"] == ["body", 1, "amount_pence"]

    async def test_an_unknown_or_missing_column_is_refused(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        body = problem(
            await import_csv(client, books, "date,paid in,amount\n2026-03-02,1.00,1.00\n"),
            422,
            "validation_error",
        )
        assert [e["loc"] for e in body["errors"]] == [
            ["body", 1, "paid in"],
            ["body", 1, "description"],
        ]

    async def test_a_file_not_in_utf8_is_refused(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        latin = "date,description,amount\n2026-03-02,Caf\xe9,1.00\n".encode("latin-1")
        response = await client.post(
            books.url("/bank/statements"),
            content=latin,
            headers={**books.admin.headers, "Content-Type": "text/csv"},
        )
        assert problem(response, 422, "validation_error")["errors"][0]["loc"] == ["body", 2]

    async def test_a_malformed_ofx_names_the_line_and_field(
        self, client: httpx.AsyncClient, session: AsyncSession, books: Books
    ) -> None:
        bad = OFX_SGML.replace(b"<TRNAMT>-40.50", b"<TRNAMT>-4O.50")
        body = problem(await import_ofx(client, books, bad), 422, "validation_error")
        line = bad.split(b"\n").index(b"<TRNAMT>-4O.50") + 1
        assert [e["loc"] for e in body["errors"]] == [["body", line, "TRNAMT"]]
        missing = OFX_SGML.replace(b"<FITID>202603200003\n", b"")
        body = problem(await import_ofx(client, books, missing), 422, "validation_error")
        assert body["errors"][0]["loc"][2] == "FITID"
        not_ofx = problem(await import_ofx(client, books, b"hello"), 422, "validation_error")
        assert not_ofx["errors"][0]["loc"] == ["body", 1, "OFXHEADER"]
        euros = problem(
            await import_ofx(client, books, OFX_SGML.replace(b"<CURDEF>GBP", b"<CURDEF>EUR")),
            422,
            "validation_error",
        )
        assert euros["errors"][0]["loc"][2] == "CURDEF"
        assert await stored(session) == (0, 0, 0, 0)

    async def test_another_media_type_is_refused(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        response = await client.post(
            books.url("/bank/statements"),
            json={"date": "2026-03-02"},
            headers=books.admin.headers,
        )
        problem(response, 415, "unsupported_media_type")

    async def test_a_body_beyond_the_import_limit_is_refused(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        # Above the 1 MiB of other bodies, within the 16 MiB of imports.
        row = "2026-03-09,Arian parod i Siân,3.00\n"
        big = "date,description,amount\n" + row * (2 * 1024 * 1024 // len(row))
        response = await import_csv(client, books, big)
        assert response.status_code == 200, response.text
        assert response.json()["imported"] == big.count("\n") - 1
        too_big = "date,description,amount\n" + "x" * (16 * 1024 * 1024)
        problem(await import_csv(client, books, too_big), 413, "body_too_large")

    async def test_only_the_coops_administrators_import(
        self, client: httpx.AsyncClient, books: Books
    ) -> None:
        problem(await import_csv(client, books, STATEMENT_CSV, books.gwen), 403, "forbidden")
        problem(await import_csv(client, books, STATEMENT_CSV, books.elsewhere), 404, "not_found")


async def import_ofx(client: httpx.AsyncClient, books: Books, body: bytes) -> httpx.Response:
    return await client.post(
        books.url("/bank/statements"),
        content=body,
        headers={**books.admin.headers, "Content-Type": "application/x-ofx"},
    )


# As a UK bank exports OFX 1.02: SGML, closing tags of elements left out, CRLF-free here.
OFX_SGML = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1>
<SONRS>
<STATUS>
<CODE>0
<SEVERITY>INFO
</STATUS>
<DTSERVER>20260331120000[0:GMT]
<LANGUAGE>ENG
</SONRS>
</SIGNONMSGSRSV1>
<BANKMSGSRSV1>
<STMTTRNRS>
<TRNUID>1
<STATUS>
<CODE>0
<SEVERITY>INFO
</STATUS>
<STMTRS>
<CURDEF>GBP
<BANKACCTFROM>
<BANKID>309634
<ACCTID>12345678
<ACCTTYPE>CHECKING
</BANKACCTFROM>
<BANKTRANLIST>
<DTSTART>20260301
<DTEND>20260331
<STMTTRN>
<TRNTYPE>CREDIT
<DTPOSTED>20260302
<TRNAMT>250.00
<FITID>202603020001
<NAME>GWENLLIAN AP RHYS
<MEMO>DPC-0001
</STMTTRN>
<STMTTRN>
<TRNTYPE>DEBIT
<DTPOSTED>20260304120000[0:GMT]
<TRNAMT>-40.50
<FITID>202603040002
<NAME>AD-DALIAD
</STMTTRN>
<STMTTRN>
<TRNTYPE>FEE
<DTPOSTED>20260320
<TRNAMT>-5.00
<FITID>202603200003
<NAME>BANK CHARGE
</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL>
<BALAMT>204.50
<DTASOF>20260331
</LEDGERBAL>
</STMTRS>
</STMTTRNRS>
</BANKMSGSRSV1>
</OFX>
"""

OFX_XML = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX>
  <SIGNONMSGSRSV1>
    <SONRS>
      <STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
      <DTSERVER>20260331120000.000[0:GMT]</DTSERVER>
      <LANGUAGE>ENG</LANGUAGE>
    </SONRS>
  </SIGNONMSGSRSV1>
  <BANKMSGSRSV1>
    <STMTTRNRS>
      <TRNUID>2</TRNUID>
      <STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
      <STMTRS>
        <CURDEF>GBP</CURDEF>
        <BANKACCTFROM>
          <BANKID>309634</BANKID>
          <ACCTID>12345678</ACCTID>
          <ACCTTYPE>CHECKING</ACCTTYPE>
        </BANKACCTFROM>
        <BANKTRANLIST>
          <DTSTART>20260301</DTSTART>
          <DTEND>20260331</DTEND>
          <STMTTRN>
            <TRNTYPE>CREDIT</TRNTYPE>
            <DTPOSTED>20260303</DTPOSTED>
            <TRNAMT>123.45</TRNAMT>
            <FITID>202603030009</FITID>
            <NAME>DAFYDD LLŶR â'i ŵyr</NAME>
            <MEMO>Ref DPC-0002</MEMO>
          </STMTTRN>
        </BANKTRANLIST>
        <LEDGERBAL><BALAMT>123.45</BALAMT><DTASOF>20260331</DTASOF></LEDGERBAL>
      </STMTRS>
    </STMTTRNRS>
  </BANKMSGSRSV1>
</OFX>
""".encode()


async def test_another_coops_line_does_not_exist_here(
    client: httpx.AsyncClient, books: Books
) -> None:
    ok(await import_csv(client, books, STATEMENT_CSV))
    line_id = (await lines(client, books, "unmatched"))[0]["id"]
    other = await register_person(client, full_name="Other treasurer")
    other_coop = await create_coop(client, other, name="Cydweithfa Arall")
    for action, body in (
        ("match", {"transaction_id": str(books.refund_gwen_1000)}),
        ("ignore", {"reason": "Not ours"}),
        ("create-contribution", {"member_id": str(books.gwen_member)}),
    ):
        response = await client.post(
            f"/api/v1/coops/{other_coop}/bank/lines/{line_id}/{action}",
            json=body,
            headers=other.headers,
        )
        problem(response, 404, "not_found")
    missing = await client.post(
        books.url(f"/bank/lines/{uuid.uuid4()}/ignore"),
        json={"reason": "x"},
        headers=books.admin.headers,
    )
    problem(missing, 404, "not_found")
