"""Where the test suite's time goes: a pytest run's `--durations=0` report summed by phase,
by backend and by test package or file.

    .venv/bin/python -m pytest -n 2 --dist loadgroup --durations=0 -q > /tmp/durations.log
    .venv/bin/python -m bench.suite_time /tmp/durations.log

The sums are worker-seconds: with two workers the run's wall time is about half of them
when the workers are kept equally busy, so only taking work away shortens it.
"""

import argparse
import re
from collections import defaultdict
from pathlib import Path

LINE = re.compile(r"^([0-9.]+)s (setup|call|teardown)\s+(\S.*)$")


def package(test_file: str) -> str:
    """`tests/web/test_x.py` -> `web`; a file directly in tests/ stands for itself."""
    parts = test_file.split("/")
    return parts[1] if len(parts) > 2 else test_file


def backend(node: str) -> str:
    for name in ("postgresql", "sqlite"):
        if re.search(rf"[\[-]{name}[\]-]", node):
            return name
    return "either (no backend parameter)"


def report(lines: list[str], top: int) -> str:
    phases: defaultdict[str, float] = defaultdict(float)
    backends: defaultdict[str, float] = defaultdict(float)
    packages: defaultdict[str, float] = defaultdict(float)
    files: defaultdict[str, float] = defaultdict(float)
    for line in lines:
        found = LINE.match(line.strip())
        if found is None:
            continue
        seconds, phase, node = float(found[1]), found[2], found[3]
        test_file = node.split("::")[0]
        phases[phase] += seconds
        backends[backend(node)] += seconds
        packages[package(test_file)] += seconds
        files[test_file] += seconds
    total = sum(phases.values())
    if not total:
        raise SystemExit("no durations found: run pytest with --durations=0")
    out = [f"worker-seconds in all: {total:,.1f}", ""]
    for title, counts, limit in (
        ("by phase", phases, None),
        ("by backend", backends, None),
        ("by package", packages, top),
        ("by file", files, top),
    ):
        out.append(f"{title}:")
        ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
        for name, seconds in ranked[:limit]:
            out.append(f"  {seconds:8.1f} s  {seconds / total:6.1%}  {name}")
        out.append("")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", type=Path, help="the output of pytest --durations=0")
    parser.add_argument("--top", type=int, default=15, help="packages and files shown")
    args = parser.parse_args()
    print(report(args.log.read_text().splitlines(), args.top))


if __name__ == "__main__":
    main()
