"""Parse time of the seed plan in each format (not a test: run it, read the table).

Usage: ``.venv/bin/python bench/bench_parse.py [--runs N]``. The .docx and .pdf
renderings are generated from the seed as the tests generate them (tests/conftest.py),
into a temporary folder. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aseankg.extract.parser import parse_plan  # noqa: E402
from aseankg.extract.reader import read_document  # noqa: E402
from tests.conftest import (  # noqa: E402
    SEED,
    plan_paragraphs,
    write_docx,
    write_docx_auto,
    write_pdf,
)


def time_runs(action: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` calls of ``action`` after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per format")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        lines = plan_paragraphs(SEED)
        files = {
            "txt": SEED,
            "docx (numbers typed)": write_docx(lines, Path(folder) / "seed.docx"),
            "docx (automatic numbering)": write_docx_auto(lines, Path(folder) / "auto.docx"),
            "pdf (9 pages)": write_pdf(
                lines, Path(folder) / "seed.pdf", running_header="ASEAN-Canada 2021-2025"
            ),
        }
        print(f"Python {platform.python_version()} on {platform.machine()}, {args.runs} runs")
        print()
        print("| format | file size | read (median ms) | read + parse (median ms) | min ms |")
        print("|---|---:|---:|---:|---:|")
        for name, path in files.items():
            read = time_runs(partial(read_document, path), args.runs)
            parse = time_runs(partial(parse_plan, path), args.runs)
            lines_found = len(parse_plan(path).action_lines)
            assert lines_found == 106, (name, lines_found)
            print(
                f"| {name} | {path.stat().st_size / 1024:.0f} KiB "
                f"| {statistics.median(read) * 1000:.1f} "
                f"| {statistics.median(parse) * 1000:.1f} | {min(parse) * 1000:.1f} |"
            )


if __name__ == "__main__":
    main()
