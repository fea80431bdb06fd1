"""A bank statement as CSV: `date` (YYYY-MM-DD), `description`, and the signed amount, either
`amount` in pounds with two decimals or `amount_pence` in whole pence (never both); optional
`reference` and `balance` (the running balance, in the amount's units)."""

import csv
import io
import re
from datetime import date

from app.bank.lines import Problems, StatementLine, text
from app.core.schemas import FIRST_DAY, LAST_DAY

REQUIRED = ("date", "description")
AMOUNTS = ("amount", "amount_pence")
OPTIONAL = ("reference", "balance")
COLUMNS = (*REQUIRED, *AMOUNTS, *OPTIONAL)
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
POUNDS = re.compile(r"([+-]?)([0-9]{1,13})\.([0-9]{2})")
PENCE = re.compile(r"[+-]?[0-9]{1,15}")
MAX_DESCRIPTION = 1000
MAX_REFERENCE = 500


def _header(row: list[str], problems: Problems) -> list[str]:
    names = [name.strip().lower() for name in row]
    seen: set[str] = set()
    for name in names:
        if name not in COLUMNS:
            problems.add(
                1,
                name,
                f"Not a column of a bank statement (columns: {', '.join(COLUMNS)}).",
                f"Nid yw'n golofn cyfriflen banc (colofnau: {', '.join(COLUMNS)}).",
            )
        elif name in seen:
            problems.add(1, name, "This column appears twice.", "Mae'r golofn hon ddwywaith.")
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            problems.add(1, name, "This column is missing.", "Mae'r golofn hon ar goll.")
    if all(name in seen for name in AMOUNTS):
        problems.add(
            1,
            "amount_pence",
            "Give the amount once: `amount` (pounds) or `amount_pence`, never both.",
            "Rhowch y swm unwaith: `amount` (punnoedd) neu `amount_pence`, nid y ddau.",
        )
    elif not any(name in seen for name in AMOUNTS):
        problems.add(
            1,
            "amount",
            "An `amount` (pounds, two decimals) or `amount_pence` column is needed.",
            "Mae angen colofn `amount` (punnoedd, dau ddegolyn) neu `amount_pence`.",
        )
    return names


def _day(value: str) -> date | None:
    if not DAY.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def money(value: str, *, in_pounds: bool) -> int | None:
    """Signed pence from "-12.30" (pounds, exactly two decimals) or "-1230" (pence)."""
    if in_pounds:
        found = POUNDS.fullmatch(value)
        if found is None:
            return None
        sign, pounds, pence = found.groups()
        amount = int(pounds) * 100 + int(pence)
        return -amount if sign == "-" else amount
    return int(value) if PENCE.fullmatch(value) else None


def _money_error(in_pounds: bool) -> tuple[str, str]:
    if in_pounds:
        return (
            "Pounds with exactly two decimals, signed: 12.30, -4.05.",
            "Punnoedd gyda dau ddegolyn yn union, gydag arwydd: 12.30, -4.05.",
        )
    return (
        "Whole pence, signed: 1230, -405.",
        "Ceiniogau cyfan, gydag arwydd: 1230, -405.",
    )


def _line(
    number: int, cells: dict[str, str], in_pounds: bool, problems: Problems
) -> StatementLine | None:
    before = len(problems.errors)
    day = _day(cells["date"])
    if day is None:
        problems.add(
            number,
            "date",
            "A day written YYYY-MM-DD.",
            "Diwrnod wedi'i ysgrifennu BBBB-MM-DD.",
        )
    amount_column = "amount" if in_pounds else "amount_pence"
    amount = money(cells[amount_column], in_pounds=in_pounds)
    if amount is None:
        problems.add(number, amount_column, *_money_error(in_pounds))
    elif amount == 0:
        problems.add(
            number,
            amount_column,
            "A line moves money: not zero.",
            "Mae llinell yn symud arian: nid sero.",
        )
    balance = None
    if cells.get("balance"):
        balance = money(cells["balance"], in_pounds=in_pounds)
        if balance is None:
            problems.add(number, "balance", *_money_error(in_pounds))
    description = text(cells["description"])
    if not description or len(description) > MAX_DESCRIPTION:
        problems.add(
            number,
            "description",
            f"Some text, at most {MAX_DESCRIPTION} characters.",
            f"Rhywfaint o destun, {MAX_DESCRIPTION} nod ar y mwyaf.",
        )
    reference = text(cells.get("reference", "")) or None
    if reference is not None and len(reference) > MAX_REFERENCE:
        problems.add(
            number,
            "reference",
            f"At most {MAX_REFERENCE} characters.",
            f"{MAX_REFERENCE} nod ar y mwyaf.",
        )
    if len(problems.errors) != before or day is None or amount is None:
        return None
    return StatementLine(
        line=number,
        booked_on=day,
        amount_pence=amount,
        description=description,
        reference=reference,
        balance_pence=balance,
    )


def parse(body: str) -> list[StatementLine]:
    """The file's lines in file order, or `ValidationFailed` naming each bad line (the header
    is line 1) and field. Blank lines are skipped."""
    problems = Problems()
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    try:
        first = next(reader, None)
    except csv.Error as exc:
        problems.add(
            1, None, f"Not readable as CSV: {exc}.", f"Nid oes modd ei ddarllen fel CSV: {exc}."
        )
        problems.fail()
    if first is None:
        problems.add(
            1,
            None,
            "The file is empty: it needs a header row.",
            "Mae'r ffeil yn wag: mae angen rhes pennawd.",
        )
        problems.fail()
    header = _header(first, problems)
    problems.raise_any()
    in_pounds = "amount" in header
    lines: list[StatementLine] = []
    while True:
        number = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            problems.add(
                number,
                None,
                f"Not readable as CSV: {exc}.",
                f"Nid oes modd ei ddarllen fel CSV: {exc}.",
            )
            break
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.add(
                number,
                None,
                f"{len(row)} cells where the header has {len(header)}.",
                f"{len(row)} cell lle mae gan y pennawd {len(header)}.",
            )
            continue
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        line = _line(number, cells, in_pounds, problems)
        if line is not None:
            lines.append(line)
    problems.raise_any()
    return lines
