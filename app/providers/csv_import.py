"""Reading a provider CSV file into validated rows, or into an error for every bad row."""

import csv
import io
import re
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from app.providers.models import search_key
from app.providers.schemas import ProviderCreate

FIELDS = tuple(ProviderCreate.model_fields)
LIST_FIELDS = frozenset({"service_types", "area_codes"})
INTEGER_FIELDS = frozenset({"hourly_rate_pence", "capacity_hours_per_week"})
REQUIRED_FIELDS = frozenset(n for n, f in ProviderCreate.model_fields.items() if f.is_required())
# Digits, and few enough of them to be a number any column can hold.
WHOLE_NUMBER = re.compile(r"[0-9]{1,15}")

Error = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    details: ProviderCreate
    # The columns the file has: a matched provider keeps the values of columns it lacks.
    columns: frozenset[str]

    def match_key(self) -> tuple[str, str]:
        return search_key(self.details.name), self.details.contact_email


def _error(line: int, field: str | None, msg: str) -> Error:
    return {"loc": ["body", line] if field is None else ["body", line, field], "msg": msg}


def _check_header(header: list[str]) -> list[Error]:
    errors = []
    seen: set[str] = set()
    for name in header:
        if name not in FIELDS:
            errors.append(_error(1, name, "Not a provider field."))
        elif name in seen:
            errors.append(_error(1, name, "This column appears twice."))
        seen.add(name)
    errors.extend(
        _error(1, name, "This column is required.")
        for name in FIELDS
        if name in REQUIRED_FIELDS and name not in seen
    )
    return errors


def _cell_value(field: str, cell: str) -> tuple[Any, str | None]:
    """The value a cell stands for, or a message saying why it stands for none."""
    if field in LIST_FIELDS:
        return [part.strip() for part in cell.split(";") if part.strip()], None
    if cell == "":
        return None, None
    if field in INTEGER_FIELDS:
        if not WHOLE_NUMBER.fullmatch(cell):
            return None, "Must be a whole number."
        return int(cell), None
    return cell, None


def _parse_row(
    line: int, header: list[str], cells: list[str], known_area_codes: Set[str]
) -> ImportRow | list[Error]:
    if len(cells) != len(header):
        return [_error(line, None, f"Expected {len(header)} cells, found {len(cells)}.")]
    errors: list[Error] = []
    values: dict[str, Any] = {}
    for field, raw in zip(header, cells, strict=True):
        value, problem = _cell_value(field, raw.strip())
        if problem:
            errors.append(_error(line, field, problem))
        elif value is not None:
            values[field] = value
    unknown = [c for c in values.get("area_codes", []) if c not in known_area_codes]
    errors.extend(
        _error(line, "area_codes", f"Not a Welsh principal local authority: {c}") for c in unknown
    )
    try:
        details = ProviderCreate.model_validate(values)
    except ValidationError as exc:
        reported = {e["loc"][2] for e in errors if len(e["loc"]) > 2}
        for item in exc.errors():
            where = str(item["loc"][0]) if item["loc"] else None
            if where not in reported:
                errors.append(_error(line, where, item["msg"]))
        return errors
    return errors or ImportRow(line=line, details=details, columns=frozenset(header))


def _duplicate_of(
    row: ImportRow, seen_ciw: dict[str, int], seen_key: dict[Any, int]
) -> Error | None:
    ciw = row.details.ciw_service_id
    if ciw is not None:
        if ciw in seen_ciw:
            return _error(
                row.line, "ciw_service_id", f"The same CIW service id as line {seen_ciw[ciw]}."
            )
        seen_ciw[ciw] = row.line
        return None
    key = row.match_key()
    if key in seen_key:
        return _error(
            row.line, "name", f"The same name and contact e-mail as line {seen_key[key]}."
        )
    seen_key[key] = row.line
    return None


def parse_csv(text: str, *, known_area_codes: Set[str]) -> tuple[list[ImportRow], list[Error]]:
    """Rows and errors; lines are physical lines of the file, the header being line 1.

    List fields are `;`-separated inside their cell. An empty cell leaves an optional field
    empty. Blank lines are skipped.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        return [], [_error(1, None, "The file is empty: it needs a header row.")]
    except csv.Error as exc:
        return [], [_error(1, None, f"Not readable as CSV: {exc}.")]
    errors = _check_header(header)
    if errors:
        return [], errors
    rows: list[ImportRow] = []
    seen_ciw: dict[str, int] = {}
    seen_key: dict[Any, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(_error(line, None, f"Not readable as CSV: {exc}."))
            break
        if not any(cell.strip() for cell in cells):
            continue
        parsed = _parse_row(line, header, cells, known_area_codes)
        if isinstance(parsed, list):
            errors.extend(parsed)
            continue
        duplicate = _duplicate_of(parsed, seen_ciw, seen_key)
        if duplicate is not None:
            errors.append(duplicate)
            continue
        rows.append(parsed)
    return rows, errors
