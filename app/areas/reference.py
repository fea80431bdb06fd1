"""The project's own copy of the areas list, read by the migration that loads it."""

import csv
from pathlib import Path

AREAS_CSV = Path(__file__).parent / "data" / "areas.csv"


def load_areas() -> list[dict[str, str]]:
    with AREAS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
