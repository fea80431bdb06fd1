"""A bank statement as OFX (1.x SGML or 2.x XML), read with ofxtools: each `STMTTRN` of each
bank or card statement becomes a line, identified by the bank's own `FITID`.

The description is the payee (`NAME`, or `PAYEE`'s name), else the `MEMO`; the reference is
the `MEMO` when there is a payee, else `REFNUM` or `CHECKNUM`. OFX gives no running balance
per line, so none is kept. Amounts must be in pounds sterling (`CURDEF` GBP).
"""

import io
import re
import warnings
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element

from ofxtools.header import OFXHeaderError
from ofxtools.models import STMTTRN
from ofxtools.models.base import OFXAggregateWarning
from ofxtools.Parser import OFXTree, ParseError
from ofxtools.Types import OFXTypeWarning

from app.bank.lines import Problems, StatementLine, text
from app.core.clock import local_date
from app.core.schemas import FIRST_DAY, LAST_DAY

STATEMENTS = ("STMTRS", "CCSTMTRS")
MISSING_FIELD = re.compile(r"STMTTRN\.(\w+)")
TRANSACTION_START = re.compile(rb"<STMTTRN>", re.IGNORECASE)


class _Where:
    """Line numbers in the file: of each transaction's start, and of a tag within it."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.starts = [m.start() for m in TRANSACTION_START.finditer(body)]

    def line_at(self, offset: int) -> int:
        return self.body.count(b"\n", 0, offset) + 1

    def transaction(self, index: int) -> int:
        return self.line_at(self.starts[index]) if index < len(self.starts) else 1

    def field(self, index: int, tag: str) -> int:
        if index >= len(self.starts):
            return 1
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.body)
        found = re.compile(rb"<" + tag.encode() + rb">", re.IGNORECASE).search(
            self.body, start, end
        )
        return self.line_at(found.start()) if found else self.line_at(start)


def _bad_field(element: Element, error: Exception) -> str | None:
    """The field a transaction failed on: named by ofxtools when one is missing, else the
    first whose value its type refuses."""
    named = MISSING_FIELD.search(str(error))
    if named:
        return named.group(1).upper()
    for child in element:
        spec: Any = STMTTRN.spec.get(child.tag.lower())
        if spec is None or len(child):
            continue
        try:
            spec.convert(child.text)
        except (ValueError, TypeError, InvalidOperation):
            return str(child.tag).upper()
    return None


def _pence(amount: Decimal) -> int | None:
    pence = amount * 100
    return int(pence) if pence == pence.to_integral_value() else None


def _transaction(
    element: Element, index: int, account: str, where: _Where, problems: Problems
) -> StatementLine | None:
    line = where.transaction(index)
    try:
        trn: Any = STMTTRN.from_etree(element)
    except (ValueError, TypeError, InvalidOperation) as exc:
        field = _bad_field(element, exc)
        if field is None:
            problems.add(
                line,
                None,
                f"Not a valid OFX transaction: {exc}",
                f"Nid yw'n drafodiad OFX dilys: {exc}",
            )
        elif "required" in str(exc):
            problems.add(line, field, f"{field} is required.", f"Mae angen {field}.")
        else:
            problems.add(
                where.field(index, field),
                field,
                f"Not a valid value for {field}.",
                f"Nid yw'n werth dilys ar gyfer {field}.",
            )
        return None
    pence = _pence(trn.trnamt)
    if pence is None or pence == 0:
        problems.add(
            where.field(index, "TRNAMT"),
            "TRNAMT",
            "An amount in pounds to the penny, not zero.",
            "Swm mewn punnoedd i'r geiniog, nid sero.",
        )
        return None
    day = local_date(trn.dtposted)
    if not FIRST_DAY <= day <= LAST_DAY:
        problems.add(
            where.field(index, "DTPOSTED"),
            "DTPOSTED",
            "A date out of range.",
            "Dyddiad y tu hwnt i'r ystod.",
        )
        return None
    payee = trn.name or (trn.payee.name if trn.payee is not None else None)
    memo = trn.memo
    description = text(payee or memo or trn.trntype)
    reference = memo if payee else (trn.refnum or trn.checknum)
    return StatementLine(
        line=line,
        booked_on=day,
        amount_pence=pence,
        description=description,
        reference=text(reference) if reference else None,
        bank_id=f"{account}:{trn.fitid}",
    )


def _account(statement: Element) -> str:
    """The account the statement is of (bank id and account id), so a FITID is read as the
    bank means it: unique within one account."""
    parts = [statement.findtext(f".//{tag}") or "" for tag in ("BANKID", "ACCTID")]
    return "/".join(part.strip() for part in parts)


def parse(body: bytes) -> list[StatementLine]:
    """Every transaction of every statement in the file, in file order; a malformed file (or
    a transaction in another currency than GBP) raises `ValidationFailed` naming the line and
    the OFX field."""
    problems = Problems()
    tree = OFXTree()
    try:
        # Banks add tags of their own (`<INTU.BID>`...): skipped, as OFX readers do.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OFXAggregateWarning)
            warnings.simplefilter("ignore", OFXTypeWarning)
            tree.parse(io.BytesIO(body))
    except OFXHeaderError as exc:
        problems.add(1, "OFXHEADER", f"Not an OFX header: {exc}", f"Nid yw'n bennawd OFX: {exc}")
        problems.fail()
    except (ParseError, ValueError, UnicodeDecodeError) as exc:
        problems.add(
            1, None, f"Not readable as OFX: {exc}", f"Nid oes modd ei ddarllen fel OFX: {exc}"
        )
        problems.fail()
    root = tree.getroot()
    statements = [s for tag in STATEMENTS for s in root.iter(tag)] if root is not None else []
    if not statements:
        problems.add(
            1,
            "STMTRS",
            "The file holds no bank or card statement.",
            "Nid oes cyfriflen banc na cherdyn yn y ffeil.",
        )
        problems.fail()
    where = _Where(body)
    lines: list[StatementLine] = []
    index = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OFXAggregateWarning)
        warnings.simplefilter("ignore", OFXTypeWarning)
        for statement in statements:
            currency = (statement.findtext("CURDEF") or "").strip().upper()
            transactions = list(statement.iter("STMTTRN"))
            if currency != "GBP":
                problems.add(
                    where.transaction(index),
                    "CURDEF",
                    f"Amounts must be in pounds sterling (GBP), not {currency or 'unstated'}.",
                    f"Rhaid i symiau fod mewn punnoedd sterling (GBP), nid {currency or 'heb ei nodi'}.",
                )
            account = _account(statement)
            for element in transactions:
                line = _transaction(element, index, account, where, problems)
                index += 1
                if line is not None:
                    lines.append(line)
    problems.raise_any()
    return lines
