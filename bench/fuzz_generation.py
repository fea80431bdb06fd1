"""How long schemathesis takes to generate the fuzzing's cases alone, without sending any:
every operation of the OpenAPI, both generation modes, as many examples as the suite asks
(FUZZ_EXAMPLES, 8), derandomised as in tests/security/test_fuzz.py.

    .venv/bin/python -m bench.fuzz_generation            # every operation, the slowest shown
    .venv/bin/python -m bench.fuzz_generation --all      # each operation and mode on a line

Generating is the same work on every run (the examples are derandomised): what the suite's
fuzzing costs beyond it is the calls themselves, four for each case (two backends, two
logins). A mode for which no example can be generated is said so ("none"): in positive mode
that is a schema no valid request satisfies, which the suite's fuzzing refuses.
"""

import argparse
import os
import time
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core.result import Ok

from app.core.config import Settings
from app.main import create_app

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


Operation = schemathesis.APIOperation[Any, Any, Any, Any]


def generate(operation: Operation, mode: schemathesis.GenerationMode) -> int:
    """The number of cases generated for `operation` in `mode` (0 when none can be)."""
    generated = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def count(case: schemathesis.Case[Any]) -> None:  # noqa: ARG001 (only counted)
        nonlocal generated
        generated += 1

    try:
        count()
    except Unsatisfiable:
        return 0
    return generated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every operation and mode")
    parser.add_argument("--top", type=int, default=10, help="the slowest shown")
    args = parser.parse_args()
    app = create_app(Settings(env="test", database_url="sqlite+aiosqlite:///unused.sqlite3"))
    schema = schemathesis.openapi.from_dict(app.openapi())
    timings: list[tuple[float, int, str]] = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            raise SystemExit(f"an operation schemathesis cannot read: {result.err()}")
        operation = result.ok()
        for mode in MODES:
            started = time.perf_counter()
            generated = generate(operation, mode)
            timings.append(
                (time.perf_counter() - started, generated, f"{mode.value} {operation.label}")
            )
    total = sum(seconds for seconds, _, _ in timings)
    shown = timings if args.all else sorted(timings, reverse=True)[: args.top]
    for seconds, generated, name in shown:
        print(f"{seconds:6.2f} s  {generated or 'none':>4}  {name}")
    print(f"generating every case: {total:.1f} s for {len(timings)} operations and modes")


if __name__ == "__main__":
    main()
