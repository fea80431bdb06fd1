"""The files exchanged with the payroll bureau (no database): the export the co-op sends and
the results it gets back.

The export has one row per employment, `hours` to 2 places and `gross_pence = (rate x
minutes + 30) // 60`, the nearest penny, halves up. The results come back as CSV with a
header naming at least `employment_id, gross_pence, employer_ni_pence,
employer_pension_pence, net_pence` (other columns, a bureau's names and references, are
ignored), or as JSON.
"""

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from app.core.csv_answer import csv_text
from app.core.field_errors import FieldError, field_error
from app.core.money import decimal_text
from app.employment.schemas import MAX_PAYROLL_PENCE, MAX_RESULT_LINES

MINUTES_PER_HOUR = 60
EXPORT_COLUMNS = (
    "employment_id",
    "worker_name",
    "employer",
    "period_start",
    "period_end",
    "minutes",
    "hours",
    "hourly_rate_pence",
    "gross_pence",
)
RESULT_FIGURES = ("gross_pence", "employer_ni_pence", "employer_pension_pence", "net_pence")
RESULT_COLUMNS = ("employment_id", *RESULT_FIGURES)


def gross_pence(hourly_rate_pence: int, minutes: int) -> int:
    """(rate x minutes + 30) // 60: pay for some minutes at an hourly rate, to the penny."""
    return (hourly_rate_pence * minutes + MINUTES_PER_HOUR // 2) // MINUTES_PER_HOUR


def hours_text(minutes: int) -> str:
    """Minutes as hours with 2 places, halves up: 450 -> "7.50", 20 -> "0.33"."""
    return decimal_text(Fraction(minutes, MINUTES_PER_HOUR), 2)


@dataclass(frozen=True, slots=True)
class ExportRow:
    employment_id: uuid.UUID
    worker_name: str
    employer: str
    period_start: date
    period_end: date
    minutes: int
    hourly_rate_pence: int

    @property
    def gross_pence(self) -> int:
        return gross_pence(self.hourly_rate_pence, self.minutes)


def in_export_order(rows: list[ExportRow]) -> list[ExportRow]:
    """By worker name (letter case aside, then as written), then employment id."""
    return sorted(
        rows, key=lambda r: (r.worker_name.casefold(), r.worker_name, str(r.employment_id))
    )


def export_csv(rows: list[ExportRow]) -> str:
    """The export as CSV text, rows in the order given (see `in_export_order`)."""
    return csv_text(
        [
            list(EXPORT_COLUMNS),
            *(
                [
                    str(row.employment_id),
                    row.worker_name,
                    row.employer,
                    row.period_start,
                    row.period_end,
                    row.minutes,
                    hours_text(row.minutes),
                    row.hourly_rate_pence,
                    row.gross_pence,
                ]
                for row in rows
            ),
        ]
    )


@dataclass(frozen=True, slots=True)
class ResultFigures:
    employment_id: uuid.UUID
    gross_pence: int
    employer_ni_pence: int
    employer_pension_pence: int
    net_pence: int

    @property
    def cost_pence(self) -> int:
        """What the employer pays: gross pay, employer's NI and employer's pension."""
        return self.gross_pence + self.employer_ni_pence + self.employer_pension_pence


def _whole(text: str) -> int | None:
    stripped = text.strip()
    if not stripped.isascii() or not stripped.isdigit() or len(stripped) > 18:
        return None
    return int(stripped)


def parse_results_csv(text: str) -> tuple[list[tuple[int, ResultFigures]], list[FieldError]]:
    """The lines of a results file with their line numbers, or the errors of every bad cell:
    `loc` is `["body", <line>, <column>]`, the header being line 1."""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        return [], [
            field_error(["body"], f"Not a CSV file: {exc}.", msg_cy=f"Nid yw'n ffeil CSV: {exc}.")
        ]
    header = [name.strip() for name in (rows[0] if rows else [])]
    missing = [name for name in RESULT_COLUMNS if name not in header]
    if missing:
        return [], [
            field_error(
                ["body", 1, name],
                "The header names no such column.",
                msg_cy="Nid yw'r pennawd yn enwi colofn o'r fath.",
                type="missing",
            )
            for name in missing
        ]
    where = {name: header.index(name) for name in RESULT_COLUMNS}
    lines: list[tuple[int, ResultFigures]] = []
    errors: list[FieldError] = []
    for line_number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(lines) + len(errors) >= MAX_RESULT_LINES:
            errors.append(field_error(["body", line_number], "Too many lines in one file."))
            break
        cell = {name: cells[i] if i < len(cells) else "" for name, i in where.items()}
        bad = False
        try:
            employment_id = uuid.UUID(cell["employment_id"].strip())
        except ValueError:
            errors.append(
                field_error(
                    ["body", line_number, "employment_id"],
                    "Not an employment id.",
                    msg_cy="Nid yw'n rhif cyflogaeth.",
                )
            )
            bad = True
        figures: dict[str, int] = {}
        for name in RESULT_FIGURES:
            value = _whole(cell[name])
            if value is None or value > MAX_PAYROLL_PENCE:
                errors.append(
                    field_error(
                        ["body", line_number, name],
                        "A whole number of pence, 0 or more.",
                        msg_cy="Nifer cyfan o geiniogau, 0 neu fwy.",
                    )
                )
                bad = True
            else:
                figures[name] = value
        if not bad:
            lines.append((line_number, ResultFigures(employment_id=employment_id, **figures)))
    if not lines and not errors:
        errors.append(
            field_error(["body"], "The file has no lines.", msg_cy="Nid oes llinellau yn y ffeil.")
        )
    return lines, errors
