"""The 22 Welsh areas as the project ships them (`app/areas/data/areas.csv`), read once, at
import: the migration loads the table from it, the schemas check area codes against it, the
demo data covers it."""

import csv
from pathlib import Path

AREAS_CSV = Path(__file__).resolve().parents[1] / "areas" / "data" / "areas.csv"


def _read() -> tuple[dict[str, str], ...]:
    with AREAS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


_AREAS = _read()
AREA_CODES: tuple[str, ...] = tuple(row["code"] for row in _AREAS)


def load_areas() -> list[dict[str, str]]:
    """Every area's row (code, names in English and Welsh), a fresh copy each call."""
    return [dict(row) for row in _AREAS]
